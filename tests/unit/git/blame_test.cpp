// core/git/blame: the history of one record and who set each of its current fields.
#include <doctest/doctest.h>

#include "core/base/error.hpp"
#include "core/git/blame.hpp"
#include "support/git_repo.hpp"

using namespace tandem;

namespace {

/// alice creates A-1, carol estimates it, bob re-titles A-2 only, alice raises A-1's value.
struct History {
  test::GitRepo r;
  std::string create, estimate, value;
  History() {
    r.write("tandem.yaml", test::k_history_config);
    r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 3}\n  - {id: A-2, title: Two}\n");
    create = r.commit("create");
    r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 3, estimate: 2}\n  - {id: A-2, title: Two}\n");
    estimate = r.commit("estimate", test::k_carol);
    r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 3, estimate: 2}\n  - {id: A-2, title: Deux}\n");
    r.commit("A-2", test::k_bob);
    r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 5, estimate: 2}\n  - {id: A-2, title: Deux}\n");
    value = r.commit("value");
  }
  load::Options options() const {
    load::Options o;
    o.start_dir = r.path();
    return o;
  }
};

}  // namespace

TEST_CASE("record_log lists the commits that changed one record, with the person and those changes") {
  History h;
  auto entries = history::record_log(h.options(), "", "A-1");
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].commit.id == h.create);
  CHECK(entries[0].person == "alice");
  CHECK(entries[0].changes.size() == 1);
  CHECK(entries[0].changes[0].field == "create");
  CHECK(entries[1].person == "carol");
  CHECK(entries[1].changes[0].field == "estimate");
  CHECK(entries[2].changes[0].new_value == "5");
  CHECK(history::record_log(h.options(), "HEAD~1", "A-1").size() == 2);
  CHECK_THROWS_WITH_AS(history::record_log(h.options(), "", "Z-9"),
                       "no commit changed an item, milestone or risk 'Z-9'", Error);
}

TEST_CASE("blame names who set each current field") {
  History h;
  auto lines = history::blame(h.options(), "", "A-1");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].field == "estimate");
  CHECK(lines[0].commit.id == h.estimate);
  CHECK(lines[0].person == "carol");
  CHECK(lines[1].field == "title");
  CHECK(lines[1].commit.id == h.create);
  CHECK(lines[2].field == "value");
  CHECK(lines[2].value == "5");
  CHECK(lines[2].commit.id == h.value);
}

TEST_CASE("blame of a deleted record says so; a re-created record starts afresh") {
  History h;
  h.r.write("backlog.yaml", "items:\n  - {id: A-2, title: Deux}\n");
  h.r.commit("drop A-1");
  CHECK_THROWS_WITH_AS(history::blame(h.options(), "", "A-1"), "'A-1' was deleted", Error);
  h.r.write("backlog.yaml", "items:\n  - {id: A-2, title: Deux}\n  - {id: A-1, title: Again}\n");
  std::string again = h.r.commit("again", test::k_bob);
  auto lines = history::blame(h.options(), "", "A-1");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].field == "title");
  CHECK(lines[0].commit.id == again);
  CHECK(lines[0].person == "bob");
}

TEST_CASE("Blame replays changes: removed fields go, order changes are not fields") {
  history::Version after;
  auto record = std::make_shared<history::Record>();
  record->id = "A-1";
  record->fields = {{"title", "\"One\""}};
  record->lines = {0};
  after.kinds[0].push_back({record, "backlog.yaml", 2});
  git::CommitInfo first, second;
  first.id = "1";
  second.id = "2";
  history::Blame blame("A-1");
  blame.add({first, "alice", {{"backlog", "A-1", "create", std::nullopt, "\"One\"", "backlog.yaml", 2}}}, after);
  blame.add({second, "bob",
             {{"backlog", "A-1", "value", std::nullopt, "3", "backlog.yaml", 3},
              {"backlog", "A-1", "order", "2", "1", "backlog.yaml", 2}}},
            after);
  auto lines = blame.lines();
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].field == "title");
  CHECK(lines[0].person == "alice");
  CHECK(lines[1].field == "value");
  CHECK(lines[1].person == "bob");
  blame.add({second, "bob", {{"backlog", "A-1", "value", "3", std::nullopt, "backlog.yaml", 2}}}, after);
  CHECK(blame.lines().size() == 1);
}
