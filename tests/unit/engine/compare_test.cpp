// core/engine/compare: what a change of the plan does to priority ranks and milestone forecasts.
#include <doctest/doctest.h>

#include "core/engine/compare.hpp"
#include "core/engine/status.hpp"
#include "core/engine/schedule.hpp"
#include "core/engine/forecast.hpp"
#include "support/engine_fixture.hpp"

using namespace tandem;

TEST_CASE("compare lists moved and new items by new rank, then removed ones") {
  compare::Outlook before, after;
  before.ranks = {{"A", 1}, {"B", 2}, {"C", 3}, {"D", 4}};
  after.ranks = {{"B", 1}, {"A", 2}, {"D", 4}, {"E", 3}};
  auto moves = compare::compare(before, after);
  REQUIRE(moves.ranks.size() == 4);
  CHECK(moves.ranks[0].id == "B");
  CHECK(moves.ranks[0].old_rank == 2);
  CHECK(moves.ranks[0].new_rank == 1);
  CHECK(moves.ranks[1].id == "A");
  CHECK(moves.ranks[2].id == "E");
  CHECK_FALSE(moves.ranks[2].old_rank);
  CHECK(moves.ranks[3].id == "C");
  CHECK(moves.ranks[3].old_rank == 3);
  CHECK_FALSE(moves.ranks[3].new_rank);
}

TEST_CASE("compare lists milestones whose forecast finish moved; a new one has no old status") {
  auto with = [](status::Kind kind, int late_by) {
    status::Status st;
    st.kind = kind;
    st.late_by = late_by;
    return st;
  };
  auto on_track = with(status::Kind::on_track, 0), unknown = with(status::Kind::unknown, 0);
  auto late_1 = with(status::Kind::late, 1), late_2 = with(status::Kind::late, 2);
  compare::Outlook before, after;
  before.milestones = {{"M1", {"2027-01-15", on_track}}, {"M2", {"2027-02-01", on_track}}, {"M4", {std::nullopt, unknown}},
                       {"M5", {"2027-01-27", on_track}}};
  // M5's target moved before its finish: its status changed, its forecast did not (no "2027-01-27 → 2027-01-27").
  after.milestones = {{"M1", {"2027-01-15", on_track}}, {"M5", {"2027-01-27", late_1}}, {"M2", {"2027-02-03", late_2}},
                      {"M3", {"2027-03-01", on_track}}};
  auto moves = compare::compare(before, after);
  REQUIRE(moves.milestones.size() == 2);
  CHECK(moves.milestones[0].id == "M2");
  CHECK(moves.milestones[0].old_finish == "2027-02-01");
  CHECK(moves.milestones[0].new_finish == "2027-02-03");
  REQUIRE(moves.milestones[0].old_status);
  CHECK(moves.milestones[0].old_status->text() == "on track");
  CHECK(moves.milestones[0].new_status.text() == "late by 2 workdays");
  CHECK(moves.milestones[1].id == "M3");
  CHECK_FALSE(moves.milestones[1].old_status);
  CHECK_FALSE(moves.milestones[1].old_finish);
  CHECK(compare::compare(after, after).ranks.empty());
}

TEST_CASE("outlook ranks the items and words the milestones as schedule does") {
  auto l = test::load_plan(test::team_config(), R"(items:
  - {id: A, title: a, value: 1, time_criticality: 1, risk_reduction: 1, size: 1, estimate: 2, milestone: M1}
  - {id: B, title: b, value: 9, time_criticality: 9, risk_reduction: 9, size: 1, estimate: 3, milestone: M1}
)",
                           "milestones:\n  - {id: M1, title: m, target: 2027-01-05}\n");
  auto o = compare::outlook(l.plan, *parse_date("2027-01-04"));
  CHECK(o.ranks == std::map<std::string, int>{{"A", 2}, {"B", 1}});
  REQUIRE(o.milestones.count("M1"));
  CHECK(o.milestones["M1"].first == "2027-01-08");
  CHECK(o.milestones["M1"].second.text() == "late by 3 workdays (plan only: no throughput history)");
}

TEST_CASE("outlook words a milestone with the one status: on track by the plan, at risk by the forecast") {
  // One item done in the last 90 days: the plan meets the target, the throughput forecast rarely does.
  auto l = test::load_plan(test::team_config(), R"(items:
  - {id: D, title: d, estimate: 1, milestone: M1, status: done, done: 2026-12-01}
  - {id: A, title: a, value: 1, time_criticality: 1, risk_reduction: 1, size: 1, estimate: 1, milestone: M1}
  - {id: B, title: b, value: 1, time_criticality: 1, risk_reduction: 1, size: 1, estimate: 1, milestone: M1}
)",
                           "milestones:\n  - {id: M1, title: m, target: 2027-01-08}\n");
  Date today = *parse_date("2027-01-04");
  auto o = compare::outlook(l.plan, today);
  auto s = schedule::plan_schedule(l.plan, today);
  auto fc = forecast::run(l.plan, s, forecast::completion_dates(l.plan), today, forecast::configured(l.plan.config));
  REQUIRE(fc);
  auto st = status::judge_all(l.plan, s, fc);
  CHECK(st[0].word() == "at risk");
  CHECK(o.milestones["M1"].second.text() == st[0].text());
}

TEST_CASE("outlook of a plan with errors is nullopt") {
  test::MemorySource source({{"tandem.yaml", test::team_config()}, {"backlog.yaml", "items:\n  - {id: A}\n"}});
  load::Location where{"/nonexistent", "tandem.yaml", false};
  CHECK_FALSE(compare::outlook(where, source, {}, *parse_date("2027-01-04")));
}
