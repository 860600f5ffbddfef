// core/git/recent and done_dates: the report's recent changes and the dates items became done.
#include <doctest/doctest.h>

#include "core/git/done_dates.hpp"
#include "core/git/recent.hpp"
#include "support/engine_fixture.hpp"
#include "support/git_repo.hpp"

using namespace tandem;

namespace {

std::vector<std::string> lines(const std::vector<history::RecentChange>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(c.date + " " + c.who + " " + c.what);
  return out;
}

}  // namespace

TEST_CASE("describe_changes words each change, and many creates of a kind as one line") {
  git::CommitInfo info;
  info.short_id = "abc";
  info.author_email = "eve@example.com";
  info.date = *parse_date("2027-01-05");
  std::vector<history::Change> changes = {
      {"config", "", "priority", std::nullopt, "{\"model\":\"rice\"}", "tandem.yaml", 3},
      {"backlog", "A-1", "value", "3", "5", "backlog.yaml", 3},
      {"backlog", "A-1", "order", "2", "1", "backlog.yaml", 2},
      {"roadmap", "M1", "delete", "\"Beta\"", std::nullopt, "roadmap.yaml", 2},
  };
  for (int i = 0; i < 4; ++i) changes.push_back({"risks", "R" + std::to_string(i), "create", std::nullopt, "\"t\"", "risks.yaml", 2});
  changes.push_back({"backlog", "A-9", "create", std::nullopt, "\"t\"", "backlog.yaml", 9});
  CHECK(lines(history::describe_changes(info, changes, audit::Authority{})) ==
        std::vector<std::string>{"2027-01-05 unknown person <eve@example.com> 4 risks created",
                                 "2027-01-05 unknown person <eve@example.com> tandem.yaml priority: (none) → {model: rice}",
                                 "2027-01-05 unknown person <eve@example.com> A-1 value: 3 → 5",
                                 "2027-01-05 unknown person <eve@example.com> A-1 moved in the backlog order",
                                 "2027-01-05 unknown person <eve@example.com> M1 deleted",
                                 "2027-01-05 unknown person <eve@example.com> A-9 created"});
}

TEST_CASE("recent_changes lists the changes of the last days, newest commit first") {
  test::GitRepo r;
  r.write("tandem.yaml", test::k_history_config);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 3}\n");
  r.commit("create");
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 5, status: done}\n");
  std::string id = r.commit("value", test::k_bob);
  load::Options options;
  options.start_dir = r.path();
  std::vector<std::string> cut;
  auto window = [](const char* from, const char* to) { return history::Window{*parse_date(from), *parse_date(to)}; };
  auto recent = history::recent_changes(options, "", window("2026-12-27", "2027-01-10"), cut);
  CHECK(lines(recent) == std::vector<std::string>{"2027-01-04 bob A-1 status: (none) → done",
                                                  "2027-01-04 bob A-1 value: 3 → 5", "2027-01-04 alice tandem.yaml created",
                                                  "2027-01-04 alice A-1 created"});
  CHECK(recent[0].commit == id.substr(0, 10));
  CHECK(cut.empty());
  CHECK(history::recent_changes(options, "", window("2027-01-27", "2027-02-10"), cut).empty());
  CHECK(history::recent_changes(options, "", window("2026-11-14", "2026-11-28"), cut).empty());  // all after the window
  CHECK(history::recent_changes(options, "", window("2027-01-04", "2027-01-04"), cut).size() == 4);  // days included
}

TEST_CASE("recent_changes finds no history in a repository with no commit yet") {
  test::GitRepo r;
  r.write("tandem.yaml", test::k_history_config);
  load::Options options;
  options.start_dir = r.path();
  std::vector<std::string> cut;
  CHECK(history::no_commits(options));
  CHECK(history::recent_changes(options, "", {*parse_date("2027-01-01"), *parse_date("2027-01-10")}, cut).empty());
  CHECK_THROWS_WITH(history::recent_changes(options, "HEAD", {*parse_date("2027-01-01"), *parse_date("2027-01-10")}, cut),
                    "no commits yet: commit the plan first");
  r.commit("plan");
  CHECK_FALSE(history::no_commits(options));
}

TEST_CASE("done_dates_from_history finds the commit in which an undated item became done") {
  test::GitRepo r;
  r.write("tandem.yaml", test::k_history_config);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One}\n  - {id: A-2, title: Two, status: done}\n");
  r.commit("create");
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, status: done}\n  - {id: A-2, title: Two, status: done}\n  - {id: A-3, title: Three, status: done, done: 2027-01-01}\n");
  r.commit("done");
  git::Repository repo(r.path());
  history::Reader reader(&repo, "tandem.yaml", {});
  auto dates = done_dates_from_history(repo, reader, repo.resolve("HEAD"), {"A-1", "A-2", "A-9"});
  CHECK(dates.size() == 2);
  CHECK(to_string(dates.at("A-1")) == "2027-01-04");
  CHECK(to_string(dates.at("A-2")) == "2027-01-04");
}

TEST_CASE("done dates come only for done items without a done: date, and only from a repository") {
  const std::string backlog =
      "items:\n  - {id: A-1, title: One, status: done}\n  - {id: A-2, title: Two, status: done, done: 2027-01-01}\n"
      "  - {id: A-3, title: Three}\n";
  test::GitRepo r;
  r.write("tandem.yaml", test::k_history_config);
  r.write("backlog.yaml", backlog);
  r.commit("create");
  auto loaded = test::load_plan(test::k_history_config, backlog);
  CHECK(undated_done_items(loaded.plan) == std::set<std::string>{"A-1"});
  load::Options options;
  options.start_dir = r.path();
  auto dates = done_dates_from_history(options, "", loaded.plan);
  REQUIRE(dates.size() == 1);
  CHECK(to_string(dates.at("A-1")) == "2027-01-04");
}

namespace {
/// Fourteen commits c0…c13 in `r`, hourly from 2027-01-04 12:00; their ids.
std::vector<std::string> hourly_commits(test::GitRepo& r) {
  r.write("tandem.yaml", test::k_history_config);
  std::vector<std::string> ids;
  for (int i = 0; i < 14; ++i) ids.push_back(r.commit("c" + std::to_string(i)));
  return ids;
}
}  // namespace

TEST_CASE("window_range is B..HEAD, B the last first-parent commit dated before the window") {
  test::GitRepo r;
  auto ids = hourly_commits(r);
  git::Repository repo(r.path());
  auto head = repo.resolve("HEAD");
  auto window = [](const char* from) { return history::Window{*parse_date(from), *parse_date("2027-01-10")}; };
  auto at_5th = history::window_range(repo, head, window("2027-01-05"));  // c12 is 2027-01-05 00:00
  REQUIRE(at_5th);
  REQUIRE(at_5th->base);
  CHECK(at_5th->base->hex() == ids[11]);
  CHECK(at_5th->head == head);
  CHECK_FALSE(history::window_range(repo, head, window("2027-01-04"))->base);  // the whole history is in it
  CHECK(history::window_range(repo, head, window("2027-01-06"))->base == head);  // nothing in it
}

TEST_CASE("window_range ends at the newest first-parent commit dated on or before the window's last day") {
  test::GitRepo r;
  auto ids = hourly_commits(r);
  git::Repository repo(r.path());
  auto head = repo.resolve("HEAD");
  auto day = [](const char* d) { return *parse_date(d); };
  auto on_4th = history::window_range(repo, head, {day("2027-01-01"), day("2027-01-04")});  // c12, c13 are later
  REQUIRE(on_4th);
  CHECK_FALSE(on_4th->base);
  CHECK(on_4th->head.hex() == ids[11]);
  auto fifth = history::window_range(repo, head, {day("2027-01-05"), day("2027-01-05")});
  REQUIRE(fifth);
  CHECK(fifth->base->hex() == ids[11]);
  CHECK(fifth->head == head);
  CHECK_FALSE(history::window_range(repo, head, {day("2027-01-01"), day("2027-01-03")}));  // no commit yet then
}

TEST_CASE("report_history's violations are audit's on the window's range, approval commits included") {
  test::GitRepo r;
  r.write("tandem.yaml", test::k_history_config);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 3}\n");
  std::string base = r.commit("plan");
  for (int i = 0; i < 12; ++i) r.commit("later");  // to 2027-01-04 24:00
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 5}\n");
  std::string change = r.commit("value", test::k_bob);
  load::Options options;
  options.start_dir = r.path();
  history::Window window{*parse_date("2027-01-05"), *parse_date("2027-01-10")};
  auto h = history::report_history(options, "", window, window.from);
  REQUIRE(h.violations);
  REQUIRE(h.violations->size() == 1);
  CHECK((*h.violations)[0].commit.id == change);
  CHECK(h.judged->base->hex() != base);  // the last commit before the window
  r.commit("Approve\n\nApproves: " + change + "\n", test::k_alice);
  h = history::report_history(options, "", window, window.from);
  CHECK(h.violations->empty());
  CHECK(h.violations_note.empty());
}
