// core/git/walk: one walk over the history hands each commit's semantic changes to its caller.
#include <doctest/doctest.h>

#include "core/git/walk.hpp"
#include "support/git_repo.hpp"

using namespace tandem;

namespace {

struct Seen {
  std::string summary;
  std::vector<std::string> changes;  // "kind id field"
  std::size_t parents = 0;
  bool has_after = false;
};

std::vector<Seen> walk(const test::GitRepo& r, const std::string& base = "") {
  git::Repository repo(r.path());
  history::Reader reader(&repo, "tandem.yaml", {});
  std::optional<git::Oid> from;
  if (!base.empty()) from = repo.resolve(base);
  Diagnostics problems;
  std::vector<Seen> out;
  history::for_each_change(repo, reader, history::Range{from, repo.resolve("HEAD")}, problems, [&](history::Step& s) {
    Seen seen{s.commit.summary, {}, s.parents.size(), s.after != nullptr};
    for (const auto& c : s.changes) seen.changes.push_back(c.kind + " " + c.id + " " + c.field);
    out.push_back(seen);
  });
  return out;
}

}  // namespace

TEST_CASE("for_each_change hands each commit oldest first, with its changes against its parent") {
  test::GitRepo r;
  r.write("tandem.yaml", test::k_history_config);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 3}\n");
  r.commit("create");
  r.write("README", "not a plan file\n");
  r.commit("readme");
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 5}\n  - {id: A-2, title: Two}\n");
  r.commit("value and A-2", test::k_carol);
  r.write("backlog.yaml", "items:\n  - {id: A-2, title: Two}\n");
  r.commit("drop A-1");

  auto steps = walk(r);
  REQUIRE(steps.size() == 4);
  CHECK(steps[0].summary == "create");
  CHECK(steps[0].parents == 0);
  CHECK(steps[0].changes == std::vector<std::string>{"config  create", "backlog A-1 create"});
  CHECK(steps[1].changes.empty());
  CHECK(steps[2].changes == std::vector<std::string>{"backlog A-1 value", "backlog A-2 create"});
  CHECK(steps[3].changes == std::vector<std::string>{"backlog A-1 delete"});
  CHECK(steps[3].parents == 1);
  CHECK(steps[3].has_after);

  auto range = walk(r, "HEAD~2");
  REQUIRE(range.size() == 2);
  CHECK(range[0].summary == "value and A-2");
}

TEST_CASE("for_each_change hands a merge only what matches no parent, with the versions of both parents") {
  test::GitRepo r;
  r.write("tandem.yaml", test::k_history_config);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 3}\n");
  r.write("roadmap.yaml", "milestones:\n  - {id: M1, title: Beta}\n");
  r.commit("base");
  r.git("checkout -q -b side");
  r.write("roadmap.yaml", "milestones:\n  - {id: M1, title: Gamma}\n");
  r.commit("side");
  r.git("checkout -q main");
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 4}\n");
  r.commit("main");
  r.git("merge -q --no-commit side");
  // An evil merge: besides both sides' changes it sets a title neither side wrote.
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: Uno, value: 4}\n");
  r.commit("merge");

  auto steps = walk(r);
  REQUIRE(steps.size() == 4);
  CHECK(steps.back().summary == "merge");
  CHECK(steps.back().parents == 2);
  CHECK(steps.back().changes == std::vector<std::string>{"backlog A-1 title"});
}

TEST_CASE("for_each_change reports plan files that do not parse, and keeps their last good records") {
  test::GitRepo r;
  r.write("tandem.yaml", test::k_history_config);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One}\n");
  r.commit("create");
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: [One\n");
  r.commit("broken");
  git::Repository repo(r.path());
  history::Reader reader(&repo, "tandem.yaml", {});
  Diagnostics problems;
  std::vector<std::size_t> counts;
  history::for_each_change(repo, reader, history::Range{std::nullopt, repo.resolve("HEAD")}, problems,
                           [&](history::Step& s) { counts.push_back(s.changes.size()); });
  CHECK(counts == std::vector<std::size_t>{2, 0});
  REQUIRE(problems.items().size() == 1);
  CHECK(problems.items()[0].code == "unparseable-history");
}
