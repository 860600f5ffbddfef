// Oracle tests of the planning engine: hand-computed rankings, schedules on a real calendar,
// a textbook CPM network, and forecasts whose answer is known exactly or analytically.
#include <doctest/doctest.h>

#include <cmath>

#include "core/engine/flow.hpp"
#include "core/engine/forecast.hpp"
#include "core/engine/priority.hpp"
#include "core/engine/risks.hpp"
#include "core/engine/schedule.hpp"
#include "core/engine/status.hpp"
#include "support/engine_fixture.hpp"

using namespace tandem;

namespace {

std::vector<std::string> ranked_ids(const load::Loaded& l, model::PriorityModel m) {
  std::vector<std::string> out;
  for (const auto& row : priority::rank(l.plan, m).rows) out.push_back(*l.plan.items[row.item].id);
  return out;
}

schedule::Schedule plan_of(const load::Loaded& l, const std::string& today = "2027-01-01") {
  return schedule::plan_schedule(l.plan, *parse_date(today));
}

const schedule::Task& task(const load::Loaded& l, const schedule::Schedule& s, const std::string& id) {
  for (const auto& t : s.tasks)
    if (*l.plan.items[t.item].id == id) return t;
  FAIL("no task " << id);
  return s.tasks.front();
}

std::string span(const load::Loaded& l, const schedule::Schedule& s, const std::string& id) {
  const auto& t = task(l, s, id);
  return *l.plan.config.people[t.person].id + " " + to_string(t.start.date) + ".." + to_string(t.finish.date);
}

}  // namespace

TEST_CASE("WSJF ranks by score, then cost of delay, then file order; unscored items come last") {
  auto l = test::load_plan(test::team_config(), R"(items:
  - {id: U, title: u, value: 9, size: 1}
  - {id: C, title: c, value: 1, time_criticality: 1, risk_reduction: 1, size: 1}
  - {id: B, title: b, value: 2, time_criticality: 2, risk_reduction: 2, size: 2}
  - {id: A, title: a, value: 3, time_criticality: 3, risk_reduction: 3, size: 3}
  - {id: D, title: d, value: 3, time_criticality: 3, risk_reduction: 3, size: 3}
  - {id: E, title: e, value: 10, time_criticality: 0, risk_reduction: 0, size: 2}
  - {id: X, title: done, status: done, done: 2026-12-01, value: 99, time_criticality: 9, risk_reduction: 9, size: 1}
)");
  CHECK(ranked_ids(l, model::PriorityModel::wsjf) == std::vector<std::string>{"E", "A", "D", "B", "C", "U"});
  auto r = priority::rank(l.plan, model::PriorityModel::wsjf);
  CHECK(r.rows[0].score == doctest::Approx(5));
  CHECK(r.rows[0].parts == "(10 + 0 + 0) / 2");
  CHECK_FALSE(r.rows[5].score.has_value());
  CHECK(r.rows[5].missing == std::vector<std::string>{"time_criticality", "risk_reduction"});
}

TEST_CASE("RICE ties go to the higher cost of delay, then the smaller size, then file order") {
  auto l = test::load_plan(test::team_config(), R"(items:
  - {id: P, title: p, rice: {reach: 10, impact: 1, confidence: 1, effort: 1}, value: 1, time_criticality: 1, risk_reduction: 1, size: 5}
  - {id: Q, title: q, rice: {reach: 10, impact: 1, confidence: 1, effort: 1}, value: 1, time_criticality: 1, risk_reduction: 1, size: 3}
  - {id: R, title: r, rice: {reach: 10, impact: 1, confidence: 1, effort: 1}, value: 5, time_criticality: 1, risk_reduction: 1, size: 8}
  - {id: S, title: s, rice: {reach: 500, impact: 2, confidence: 0.8, effort: 4}}
  - {id: T, title: t, rice: {reach: 10, impact: 1, confidence: 1, effort: 1}, value: 1, time_criticality: 1, risk_reduction: 1, size: 3}
  - {id: N, title: n}
)");
  CHECK(ranked_ids(l, model::PriorityModel::rice) == std::vector<std::string>{"S", "R", "Q", "T", "P", "N"});
  CHECK(priority::rank(l.plan, model::PriorityModel::rice).rows[0].score == doctest::Approx(200));
}

TEST_CASE("value, moscow and manual models") {
  auto l = test::load_plan(test::team_config(), R"(items:
  - {id: A, title: a, value: 4, estimate: 4, moscow: could, time_criticality: 1, risk_reduction: 1, size: 1}
  - {id: B, title: b, value: 6, estimate: 2, moscow: must, time_criticality: 1, risk_reduction: 1, size: 4}
  - {id: C, title: c, value: 1, estimate: 0.5, moscow: must, time_criticality: 1, risk_reduction: 1, size: 1}
  - {id: D, title: d, value: 9, moscow: should}
)");
  CHECK(ranked_ids(l, model::PriorityModel::value) == std::vector<std::string>{"B", "C", "A", "D"});  // 3, 2, 1, unscored
  // must: C (WSJF 3) before B (2); should: D (no WSJF); could: A.
  CHECK(ranked_ids(l, model::PriorityModel::moscow) == std::vector<std::string>{"C", "B", "D", "A"});
  CHECK(ranked_ids(l, model::PriorityModel::manual) == std::vector<std::string>{"A", "B", "C", "D"});
}

TEST_CASE("the blockers of an item are its undone dependencies") {
  auto l = test::load_plan(test::team_config(), R"(items:
  - {id: A, title: a, status: done, done: 2026-12-01}
  - {id: B, title: b, status: doing}
  - {id: C, title: c, status: dropped}
  - {id: D, title: d, depends_on: [A, B, C]}
)");
  auto r = priority::rank(l.plan, model::PriorityModel::manual);
  REQUIRE(r.rows.size() == 2);
  CHECK(r.rows[1].blocked_by == std::vector<std::string>{"B"});
}

TEST_CASE("fractions of a workday carry over") {
  SUBCASE("two half-day items by one person finish on the same day, and the next starts the next workday") {
    auto l = test::load_plan(test::team_config(1), R"(items:
  - {id: A, title: a, estimate: 0.5, assignee: d1}
  - {id: B, title: b, estimate: 0.5, assignee: d1}
  - {id: C, title: c, estimate: 1, assignee: d1}
)");
    auto s = plan_of(l);
    CHECK(span(l, s, "A") == "d1 2027-01-04..2027-01-04");
    CHECK(span(l, s, "B") == "d1 2027-01-04..2027-01-04");
    CHECK(task(l, s, "B").start.fraction == doctest::Approx(0.5));
    CHECK(span(l, s, "C") == "d1 2027-01-05..2027-01-05");
  }
  SUBCASE("an item depending on half a day's work starts at that point of the same day") {
    auto l = test::load_plan(test::team_config(2), R"(items:
  - {id: A, title: a, estimate: 0.5, assignee: d1}
  - {id: B, title: b, estimate: 1, assignee: d2, depends_on: [A]}
)");
    auto s = plan_of(l);
    CHECK(span(l, s, "B") == "d2 2027-01-04..2027-01-05");
  }
  SUBCASE("work ending at the end of a Friday is followed on Monday") {
    auto l = test::load_plan(test::team_config(2), R"(items:
  - {id: A, title: a, estimate: 5, assignee: d1}
  - {id: B, title: b, estimate: 1, assignee: d2, depends_on: [A]}
)");
    auto s = plan_of(l);
    CHECK(span(l, s, "A") == "d1 2027-01-04..2027-01-08");
    CHECK(span(l, s, "B") == "d2 2027-01-11..2027-01-11");
  }
}

TEST_CASE("holidays, personal leave and capacity shape the calendar") {
  auto l = test::load_plan(
      test::team_config(0, "  - {id: d1, name: D1, roles: [developer], off: [{from: 2027-01-04, to: 2027-01-05}]}\n"
                           "  - {id: d2, name: D2, roles: [developer], capacity: 0.5}\n"
                           "calendar: {holidays: [2027-01-06]}\n"),
      R"(items:
  - {id: A, title: a, estimate: 2, assignee: d1}
  - {id: B, title: b, estimate: 1, assignee: d2}
)");
  auto s = plan_of(l);
  CHECK(span(l, s, "A") == "d1 2027-01-07..2027-01-08");  // off Mon-Tue, holiday Wed
  CHECK(span(l, s, "B") == "d2 2027-01-04..2027-01-05");  // half capacity: one day of work takes two
}

TEST_CASE("unassigned items go to the pool member who would finish earliest") {
  SUBCASE("free people: the first in people takes the first item, the next free one the next") {
    auto l = test::load_plan(test::team_config(3), R"(items:
  - {id: A, title: a, estimate: 2, assignee: d1, value: 9, time_criticality: 9, risk_reduction: 9, size: 1}
  - {id: B, title: b, estimate: 1, value: 5, time_criticality: 5, risk_reduction: 5, size: 1}
  - {id: C, title: c, estimate: 1, value: 1, time_criticality: 1, risk_reduction: 1, size: 1}
  - {id: D, title: d, estimate: 1, value: 1, time_criticality: 1, risk_reduction: 1, size: 2}
)");
    auto s = plan_of(l);
    CHECK(span(l, s, "B") == "d2 2027-01-04..2027-01-04");
    CHECK(span(l, s, "C") == "d3 2027-01-04..2027-01-04");
    CHECK(span(l, s, "D") == "d2 2027-01-05..2027-01-05");
  }
  SUBCASE("leave ahead: the developer off 18-22 Jan would start as early but finish a week later") {
    // d1: 4-15 Jan is 10 workdays, then off, then 25-26 Jan: finish 26 Jan. d2: 12 workdays to 19 Jan.
    auto l = test::load_plan(
        test::team_config(0, "  - {id: d1, name: D1, roles: [developer], off: [{from: 2027-01-18, to: 2027-01-22}]}\n"
                             "  - {id: d2, name: D2, roles: [developer]}\n"),
        "items:\n  - {id: A, title: a, estimate: 12}\n");
    auto s = plan_of(l);
    CHECK(span(l, s, "A") == "d2 2027-01-04..2027-01-19");
  }
  SUBCASE("a tie on the finish goes to the earlier start, before order in people") {
    // d1 is busy on Monday and would finish B on Tuesday; d2 at half capacity also finishes it on
    // Tuesday, but starts on Monday.
    auto l = test::load_plan(
        test::team_config(0, "  - {id: d1, name: D1, roles: [developer]}\n"
                             "  - {id: d2, name: D2, roles: [developer], capacity: 0.5}\n"),
        R"(items:
  - {id: A, title: a, estimate: 1, assignee: d1, value: 9, time_criticality: 9, risk_reduction: 9, size: 1}
  - {id: B, title: b, estimate: 1, value: 1, time_criticality: 1, risk_reduction: 1, size: 1}
)");
    auto s = plan_of(l);
    CHECK(span(l, s, "B") == "d2 2027-01-04..2027-01-05");
  }
  SUBCASE("a tie on finish and start goes to the first in people") {
    auto l = test::load_plan(test::team_config(2), "items:\n  - {id: A, title: a, estimate: 3}\n");
    auto s = plan_of(l);
    CHECK(span(l, s, "A") == "d1 2027-01-04..2027-01-06");
  }
}

TEST_CASE("a textbook CPM network: floats and the critical path A-B-D-F") {
  // Durations A3 B4 C2 D5 E1 F2; B, C after A; D after B; E after C; F after D and E.
  // ES/LS: A 0/0, B 3/3, C 3/9, D 7/7, E 5/11, F 12/12 → floats 0 0 6 0 6 0.
  auto l = test::load_plan(test::team_config(6), R"(items:
  - {id: A, title: a, estimate: 3, assignee: d1}
  - {id: B, title: b, estimate: 4, assignee: d2, depends_on: [A]}
  - {id: C, title: c, estimate: 2, assignee: d3, depends_on: [A]}
  - {id: D, title: d, estimate: 5, assignee: d4, depends_on: [B]}
  - {id: E, title: e, estimate: 1, assignee: d5, depends_on: [C]}
  - {id: F, title: f, estimate: 2, assignee: d6, depends_on: [D, E]}
)");
  auto s = plan_of(l);
  std::map<std::string, std::pair<double, bool>> got;
  for (const auto& t : s.tasks) got[*l.plan.items[t.item].id] = {t.total_float, t.critical};
  CHECK(got["A"] == std::make_pair(0.0, true));
  CHECK(got["B"] == std::make_pair(0.0, true));
  CHECK(got["C"] == std::make_pair(6.0, false));
  CHECK(got["D"] == std::make_pair(0.0, true));
  CHECK(got["E"] == std::make_pair(6.0, false));
  CHECK(got["F"] == std::make_pair(0.0, true));
  CHECK(span(l, s, "F") == "d6 2027-01-20..2027-01-21");
}

TEST_CASE("float and the critical chain follow the same person's sequence too") {
  auto l = test::load_plan(test::team_config(2), R"(items:
  - {id: A, title: a, estimate: 2, assignee: d1, value: 3, time_criticality: 3, risk_reduction: 3, size: 1}
  - {id: B, title: b, estimate: 3, assignee: d1, value: 2, time_criticality: 2, risk_reduction: 2, size: 1}
  - {id: C, title: c, estimate: 1, assignee: d2, value: 1, time_criticality: 1, risk_reduction: 1, size: 1}
)");
  auto s = plan_of(l);
  // A has no dependency link to B, but d1 does B after A: delaying A delays the finish.
  CHECK(task(l, s, "A").critical);
  CHECK(task(l, s, "A").total_float == 0);
  CHECK(task(l, s, "B").critical);
  CHECK_FALSE(task(l, s, "C").critical);
  CHECK(task(l, s, "C").total_float == 4);
}

TEST_CASE("float counts the gap a person's leave leaves before their next item") {
  // d1 does A (Mon), is off Tue, does B (Wed-Thu). d2 does C, after A, on Tue. The finish is B's
  // (Thu): A may slip by the day d1 is off without moving it, so A has 1 workday of float; C 2.
  auto l = test::load_plan(
      test::team_config(0, "  - {id: d1, name: D1, roles: [developer], off: [{from: 2027-01-05, to: 2027-01-05}]}\n"
                           "  - {id: d2, name: D2, roles: [developer]}\n"),
      R"(items:
  - {id: A, title: a, estimate: 1, assignee: d1, value: 3, time_criticality: 3, risk_reduction: 3, size: 1}
  - {id: B, title: b, estimate: 2, assignee: d1, value: 2, time_criticality: 2, risk_reduction: 2, size: 1}
  - {id: C, title: c, estimate: 1, assignee: d2, depends_on: [A], value: 1, time_criticality: 1, risk_reduction: 1, size: 1}
)");
  auto s = plan_of(l);
  CHECK(span(l, s, "B") == "d1 2027-01-06..2027-01-07");
  CHECK(span(l, s, "C") == "d2 2027-01-05..2027-01-05");
  CHECK(task(l, s, "B").total_float == 0);
  CHECK(task(l, s, "C").total_float == 2);
  CHECK(task(l, s, "A").total_float == 1);
  CHECK_FALSE(task(l, s, "A").critical);
}

TEST_CASE("items that cannot be scheduled are listed with the reason") {
  auto l = test::load_plan(
      test::team_config(1, "  - {id: z, name: Zero, roles: [developer], capacity: 0}\n"
                           "  - {id: away, name: Away, roles: [developer], off: [{from: 2027-01-01, to: 2040-12-31}]}\n"),
      R"(items:
  - {id: A, title: a}
  - {id: B, title: b, estimate: 1, depends_on: [A]}
  - {id: C, title: c, estimate: 1, assignee: z}
  - {id: D, title: d, estimate: 1, assignee: away}
  - {id: E, title: e, estimate: 1}
)");
  auto s = plan_of(l);
  std::map<std::string, std::string> why;
  for (const auto& u : s.unschedulable) why[*l.plan.items[u.item].id] = u.reason;
  CHECK(why["A"] == "no estimate");
  CHECK(why["B"] == "depends on A, which cannot be scheduled");
  CHECK(why["C"] == "assignee z has zero capacity");
  CHECK(why["D"] == "away has no working day within 10 years");
  CHECK(why.count("E") == 0);
  CHECK(span(l, s, "E") == "d1 2027-01-04..2027-01-04");
}

TEST_CASE("points convert through velocity and the pool's sprint capacity; sprints are calendar periods") {
  // A 5-day sprint from a Monday holds 5 workdays: 2 people x 5 days = 10 person-days for 5 points.
  auto l = test::load_plan(
      test::team_config(2, "estimates: points\nvelocity: 5\ncalendar: {sprint: {start: 2027-01-04, length: 5}}\n"),
      R"(items:
  - {id: A, title: a, estimate: 3, assignee: d1}
  - {id: B, title: b, estimate: 1, assignee: d2}
)");
  auto s = plan_of(l);
  CHECK(span(l, s, "A") == "d1 2027-01-04..2027-01-11");
  CHECK(task(l, s, "A").sprint == 2);
  CHECK(span(l, s, "B") == "d2 2027-01-04..2027-01-05");
  CHECK(task(l, s, "B").sprint == 1);
}

TEST_CASE("a holiday lowers a sprint's capacity and never moves the sprint") {
  // Two-week sprints from Monday 4 Jan; a holiday on Wednesday 6 Jan.
  std::string calendar = "calendar: {holidays: [2027-01-06], sprint: {start: 2027-01-04, length: 14}}\n";
  SUBCASE("sprint 2 starts on Monday 18 Jan, not a workday later") {
    auto l = test::load_plan(test::team_config(1, calendar), R"(items:
  - {id: A, title: a, estimate: 9, assignee: d1}
  - {id: B, title: b, estimate: 1, assignee: d1, depends_on: [A]}
)");
    auto s = plan_of(l);
    CHECK(span(l, s, "A") == "d1 2027-01-04..2027-01-15");
    CHECK(task(l, s, "A").sprint == 1);
    CHECK(span(l, s, "B") == "d1 2027-01-18..2027-01-18");
    CHECK(task(l, s, "B").sprint == 2);
  }
  SUBCASE("points convert with the 10 workdays of a sprint without holidays") {
    auto l = test::load_plan(test::team_config(2, calendar + "estimates: points\nvelocity: 5\n"), "items: []\n");
    CHECK(schedule::point_value(l.plan.config) == doctest::Approx(4.0));  // 2 x 10 / 5
    CHECK(schedule::sprint_workdays(l.plan.config) == 10);
  }
  SUBCASE("dates before the first sprint have none; sprint n is [start + (n-1) length, start + n length)") {
    auto l = test::load_plan(test::team_config(1, calendar), "items: []\n");
    CHECK_FALSE(schedule::sprint_of(l.plan.config, *parse_date("2027-01-03")).has_value());
    CHECK(schedule::sprint_of(l.plan.config, *parse_date("2027-01-17")) == 1);
    CHECK(schedule::sprint_of(l.plan.config, *parse_date("2027-01-18")) == 2);
    CHECK(schedule::sprint_of(l.plan.config, *parse_date("2027-01-31")) == 2);
    CHECK(schedule::sprint_of(l.plan.config, *parse_date("2027-02-01")) == 3);
  }
}

TEST_CASE("milestone forecasts: on track, late by N workdays, unknown with why") {
  auto l = test::load_plan(test::team_config(1), R"(items:
  - {id: A, title: a, estimate: 3, assignee: d1, milestone: M1}
  - {id: B, title: b, estimate: 2, assignee: d1, milestone: M2}
  - {id: C, title: c, milestone: M3}
)",
                           R"(milestones:
  - {id: M1, title: one, target: 2027-01-06}
  - {id: M2, title: two, target: 2027-01-06, committed: true}
  - {id: M3, title: three, target: 2027-01-06}
  - {id: M4, title: four}
)");
  auto s = plan_of(l);
  REQUIRE(s.milestones.size() == 4);
  CHECK(s.milestones[0].status == schedule::MilestoneStatus::on_track);
  CHECK(s.milestones[1].status == schedule::MilestoneStatus::late);
  CHECK(s.milestones[1].late_by == 2);  // finishes Fri 2027-01-08: Thu and Fri late
  CHECK(s.milestones[2].status == schedule::MilestoneStatus::unknown);
  CHECK(s.milestones[2].why == "C cannot be scheduled: no estimate");
  CHECK(s.milestones[3].why == "no items");
}

namespace {

/// A plan with `per_day` items done on each of the given days, and `undone` items in milestone M1.
std::string history_backlog(const std::vector<std::pair<std::string, int>>& done, int undone) {
  std::string out = "items:\n";
  int n = 0;
  for (const auto& [day, count] : done)
    for (int k = 0; k < count; ++k)
      out += "  - {id: H" + std::to_string(++n) + ", title: h, status: done, done: " + day + "}\n";
  for (int k = 1; k <= undone; ++k)
    out += "  - {id: U" + std::to_string(k) + ", title: u, estimate: 1, milestone: M1}\n";
  return out;
}

const char* k_roadmap = "milestones:\n  - {id: M1, title: one, target: 2027-01-08}\n";

}  // namespace

TEST_CASE("constant throughput gives one date at every percentile") {
  // Window of 10 days before Mon 2027-01-04: workdays Dec 25, 28, 29, 30, 31, Jan 1 — two items each.
  auto backlog = history_backlog({{"2026-12-25", 2}, {"2026-12-28", 2}, {"2026-12-29", 2}, {"2026-12-30", 2},
                                  {"2026-12-31", 2}, {"2027-01-01", 2}},
                                 10);
  auto l = test::load_plan(test::team_config(1, "forecast: {window: 10}\n"), backlog, k_roadmap);
  Date today = *parse_date("2027-01-04");
  auto s = schedule::plan_schedule(l.plan, priority::rank(l.plan, model::PriorityModel::wsjf), today);
  auto options = forecast::configured(l.plan.config);
  auto fc = forecast::run(l.plan, s, forecast::completion_dates(l.plan), today, options);
  REQUIRE(fc);
  CHECK(fc->samples == std::vector<int>{2, 2, 2, 2, 2, 2});
  const auto& m = fc->milestones[0];
  CHECK(m.items == 10);
  for (auto p : {m.p50, m.p70, m.p85, m.p95}) CHECK(to_string(*p) == "2027-01-08");  // 5th workday
  CHECK(*m.chance == doctest::Approx(1.0));

  SUBCASE("a 10 % risk of 2 workdays moves only P95") {
    auto risky = test::load_plan(test::team_config(1, "forecast: {window: 10}\n"), backlog, k_roadmap,
                                 "risks:\n  - {id: R1, title: r, probability: 1, impact: 3, affects: [U3], delay: [2, 2]}\n");
    auto s2 = schedule::plan_schedule(risky.plan, priority::rank(risky.plan, model::PriorityModel::wsjf), today);
    auto fc2 = forecast::run(risky.plan, s2, forecast::completion_dates(risky.plan), today, options);
    const auto& r = fc2->milestones[0];
    CHECK(to_string(*r.p85) == "2027-01-08");
    CHECK(to_string(*r.p95) == "2027-01-12");
    CHECK(*r.chance == doctest::Approx(0.9).epsilon(0.02));
  }
}

TEST_CASE("throughput 0 or 1 with equal chance follows a negative binomial") {
  // 10 workdays in the window (Dec 21-Jan 1, minus weekends), 5 with one completion each.
  auto backlog = history_backlog({{"2026-12-21", 1}, {"2026-12-23", 1}, {"2026-12-25", 1}, {"2026-12-29", 1},
                                  {"2026-12-31", 1}},
                                 20);
  auto l = test::load_plan(test::team_config(1, "forecast: {window: 14}\n"), backlog, k_roadmap);
  Date today = *parse_date("2027-01-04");
  auto s = schedule::plan_schedule(l.plan, priority::rank(l.plan, model::PriorityModel::wsjf), today);
  auto fc = forecast::run(l.plan, s, forecast::completion_dates(l.plan), today, forecast::configured(l.plan.config));
  REQUIRE(fc);
  REQUIRE(fc->samples.size() == 10);
  // P(T <= t) = P(Binomial(t, 1/2) >= 20); the q-quantile is the least t with that >= q.
  auto cdf = [](int t) {
    double sum = 0;
    for (int k = 20; k <= t; ++k) sum += std::exp(std::lgamma(t + 1) - std::lgamma(k + 1) - std::lgamma(t - k + 1) - t * std::log(2.0));
    return sum;
  };
  auto quantile = [&](double q) {
    int t = 20;
    while (cdf(t) < q) ++t;
    return t;  // workdays needed; the date is the t-th workday from the start
  };
  std::vector<Date> workdays;
  for (Date d = *parse_date("2027-01-04"); workdays.size() < 200; d = d + 1)
    if (d.weekday() < 5) workdays.push_back(d);
  const auto& m = fc->milestones[0];
  std::pair<double, std::optional<Date>> checks[] = {{0.5, m.p50}, {0.7, m.p70}, {0.85, m.p85}, {0.95, m.p95}};
  for (const auto& [q, got] : checks) {
    int want = quantile(q);
    int index = static_cast<int>(std::find(workdays.begin(), workdays.end(), *got) - workdays.begin()) + 1;
    INFO("quantile " << q << ": analytic " << want << " workdays, forecast " << index);
    CHECK(std::abs(index - want) <= 1);
  }
}

TEST_CASE("the same seed gives the same forecast; another seed may not") {
  auto backlog = history_backlog({{"2026-12-21", 1}, {"2026-12-23", 3}, {"2026-12-29", 1}}, 30);
  auto l = test::load_plan(test::team_config(1, "forecast: {window: 14}\n"), backlog, k_roadmap);
  Date today = *parse_date("2027-01-04");
  auto s = schedule::plan_schedule(l.plan, priority::rank(l.plan, model::PriorityModel::wsjf), today);
  forecast::Options o = forecast::configured(l.plan.config);
  auto a = forecast::run(l.plan, s, forecast::completion_dates(l.plan), today, o);
  auto b = forecast::run(l.plan, s, forecast::completion_dates(l.plan), today, o);
  CHECK(a->milestones[0].results == b->milestones[0].results);
  o.seed = 2;
  auto c = forecast::run(l.plan, s, forecast::completion_dates(l.plan), today, o);
  CHECK(a->milestones[0].results != c->milestones[0].results);
}

TEST_CASE("the throughput window starts at the first completion when the team is younger than the window") {
  // Two items done on Mon 2026-12-28 and Tue 2026-12-29; forecast.window 90 reaches back to October.
  auto backlog = history_backlog({{"2026-12-28", 1}, {"2026-12-29", 1}}, 2);
  auto l = test::load_plan(test::team_config(1), backlog, k_roadmap);
  Date today = *parse_date("2027-01-04");
  auto s = schedule::plan_schedule(l.plan, today);
  auto options = forecast::configured(l.plan.config);
  auto fc = forecast::run(l.plan, s, forecast::completion_dates(l.plan), today, options);
  REQUIRE(fc);
  CHECK(to_string(fc->history_from) == "2026-12-28");
  CHECK(fc->since_first_completion);
  CHECK(fc->samples == std::vector<int>{1, 1, 0, 0, 0});  // Dec 28 to Jan 1, not 64 workdays since October
  CHECK(fc->history_items == 2);
  options.window = 3;  // --window 3: from Fri 2027-01-01, later than the first completion
  auto short_fc = forecast::run(l.plan, s, forecast::completion_dates(l.plan), today, options);
  CHECK_FALSE(short_fc);  // nothing was done on 2027-01-01
  options.window = 7;
  short_fc = forecast::run(l.plan, s, forecast::completion_dates(l.plan), today, options);
  REQUIRE(short_fc);
  CHECK(to_string(short_fc->history_from) == "2026-12-28");
  CHECK_FALSE(short_fc->since_first_completion);
  CHECK(forecast::history_start({}, today, 90) == std::nullopt);
  CHECK(forecast::history_start({today}, today, 90) == std::nullopt);  // a completion today is not history yet
}

TEST_CASE("forecast counts the items ranked before a milestone apart from its own; schedule counts done / scope") {
  auto l = test::load_plan(test::team_config(1), R"(items:
  - {id: X, title: x, estimate: 1}
  - {id: Y, title: y, estimate: 1, milestone: M2}
  - {id: U, title: u, estimate: 1, milestone: M1}
  - {id: D, title: d, estimate: 1, milestone: M1, status: done, done: 2026-12-30}
  - {id: Z, title: z, estimate: 1, milestone: M1, status: dropped}
)",
                           "milestones:\n  - {id: M1, title: one, target: 2027-01-08}\n  - {id: M2, title: two}\n");
  Date today = *parse_date("2027-01-04");
  auto s = schedule::plan_schedule(l.plan, priority::rank(l.plan, model::PriorityModel::manual), today);
  CHECK(s.milestones[0].done == 1);
  CHECK(s.milestones[0].scope == 2);  // the dropped item is no scope
  auto fc = forecast::run(l.plan, s, forecast::completion_dates(l.plan), today, forecast::configured(l.plan.config));
  REQUIRE(fc);
  CHECK(fc->milestones[0].items == 3);
  CHECK(fc->milestones[0].ranked_before == 2);  // X and Y come first in the schedule's order
  CHECK(fc->milestones[1].items == 2);
  CHECK(fc->milestones[1].ranked_before == 1);
}

TEST_CASE("work in progress first: a doing item starts at the schedule's start, before its person's todo items") {
  auto l = test::load_plan(test::team_config(1), R"(items:
  - {id: A, title: a, estimate: 2, assignee: d1}
  - {id: B, title: b, estimate: 5, remaining: 1, assignee: d1, status: doing, started: 2026-12-28}
  - {id: C, title: c, estimate: 1}
)");
  Date today = *parse_date("2027-01-04");
  auto s = schedule::plan_schedule(l.plan, priority::rank(l.plan, model::PriorityModel::manual), today);
  REQUIRE(s.tasks.size() == 3);
  CHECK(*l.plan.items[s.tasks[0].item].id == "B");  // first in the serial order although ranked second
  CHECK(to_string(s.tasks[0].start.date) == "2027-01-04");
  CHECK(to_string(s.tasks[0].finish.date) == "2027-01-04");  // remaining 1, not estimate 5
  CHECK(*l.plan.items[s.tasks[1].item].id == "A");
  CHECK(to_string(s.tasks[1].start.date) == "2027-01-05");
}

TEST_CASE("no usable history gives no forecast") {
  auto l = test::load_plan(test::team_config(1), history_backlog({}, 3), k_roadmap);
  Date today = *parse_date("2027-01-04");
  auto s = schedule::plan_schedule(l.plan, priority::rank(l.plan, model::PriorityModel::wsjf), today);
  CHECK_FALSE(forecast::run(l.plan, s, forecast::completion_dates(l.plan), today, {}).has_value());
}

TEST_CASE("a completion on a non-workday counts on the next team workday, or on the last one before today") {
  auto l = test::load_plan(test::team_config(1, "calendar: {holidays: [2026-12-31]}\n"),
                           history_backlog({{"2026-12-26", 1}, {"2026-12-29", 1}, {"2026-12-31", 2}, {"2027-01-02", 1},
                                            {"2027-01-03", 1}},
                                           2),
                           k_roadmap);
  Date today = *parse_date("2027-01-04");  // a Monday
  auto completions = forecast::completion_dates(l.plan);
  // Sat Dec 26 counts on Mon Dec 28, where the history starts; the holiday Dec 31 on Fri Jan 1; the weekend
  // before today (Jan 2-3) on the last workday before today, Fri Jan 1, too.
  auto h = forecast::sample_history(l.plan.config, completions, today, 90);
  REQUIRE(h);
  CHECK(to_string(h->history_from) == "2026-12-28");
  CHECK(h->since_first_completion);
  REQUIRE(h->first_completion);
  CHECK(to_string(*h->first_completion) == "2026-12-26");
  CHECK(h->samples == std::vector<int>{1, 1, 0, 4});  // Dec 28, 29, 30, Jan 1: Dec 31 is no workday
  CHECK(h->history_items == 6);
  // The forecast samples the same history.
  auto s = schedule::plan_schedule(l.plan, today);
  auto fc = forecast::run(l.plan, s, completions, today, forecast::configured(l.plan.config));
  REQUIRE(fc);
  CHECK(fc->samples == h->samples);
  CHECK(fc->history_items == 6);
  // The window counts completions by their own date and samples only its own workdays: from Sat Jan 2 it
  // holds the weekend's two completions and no workday to count them on.
  auto short_h = forecast::sample_history(l.plan.config, completions, today, 2);
  CHECK_FALSE(short_h);
  CHECK(forecast::no_history_reason(completions, today, 2) ==
        "the items done in the 2 days before 2027-01-04 fall on no team workday");
  CHECK(forecast::no_history_reason(completions, *parse_date("2026-12-26"), 1) ==
        "no item was done in the 1 day before 2026-12-26");
  // With a window of 3 days (from Fri Jan 1) the weekend's two count on Fri Jan 1.
  auto three = forecast::sample_history(l.plan.config, completions, today, 3);
  REQUIRE(three);
  CHECK_FALSE(three->since_first_completion);
  CHECK(to_string(three->history_from) == "2027-01-01");
  CHECK(three->samples == std::vector<int>{2});
  // Only weekend completions before a Monday: they count on the Friday before, where the history starts.
  auto weekend = test::load_plan(test::team_config(1), history_backlog({{"2027-01-02", 1}, {"2027-01-03", 2}}, 1),
                                 k_roadmap);
  auto w = forecast::sample_history(weekend.plan.config, forecast::completion_dates(weekend.plan), today, 90);
  REQUIRE(w);
  CHECK(to_string(w->history_from) == "2027-01-01");
  CHECK(to_string(*w->first_completion) == "2027-01-02");
  CHECK(w->samples == std::vector<int>{3});
}

TEST_CASE("forecast: N counts the milestone's items the schedule cannot place, and those ranked before it") {
  auto l = test::load_plan(test::team_config(1), R"(items:
  - {id: A, title: a, estimate: 1, milestone: M2}
  - {id: X, title: x, milestone: M1}
  - {id: B, title: b, estimate: 1, milestone: M2}
  - {id: C, title: c, estimate: 1, milestone: M1, depends_on: [X]}
  - {id: Y, title: y, milestone: M2}
  - {id: H, title: h, status: done, done: 2027-01-01}
)",
                           "milestones:\n  - {id: M1, title: one, target: 2027-02-01}\n"
                           "  - {id: M2, title: two, target: 2027-02-01}\n");
  Date today = *parse_date("2027-01-04");
  auto s = schedule::plan_schedule(l.plan, priority::rank(l.plan, model::PriorityModel::manual), today);
  // Serial order A X B C Y: X has no estimate, C depends on X, Y has no estimate; only A and B are placed.
  CHECK(s.tasks.size() == 2);
  CHECK(s.order.size() == 5);
  CHECK(s.milestones[0].why == "X cannot be scheduled: no estimate");
  auto fc = forecast::run(l.plan, s, forecast::completion_dates(l.plan), today, forecast::configured(l.plan.config));
  REQUIRE(fc);
  CHECK(fc->milestones[0].items == 4);  // A X B C: every item of M1 must be done, estimated or not
  CHECK(fc->milestones[0].ranked_before == 2);  // A and B
  CHECK(fc->milestones[0].p50);
  CHECK(fc->milestones[0].note.empty());
  CHECK(fc->milestones[1].items == 5);  // and M2 after Y, with X and C before it
  CHECK(fc->milestones[1].ranked_before == 2);
}

TEST_CASE("risks rank by exposure, then impact, then file order, and reach milestones through items") {
  auto l = test::load_plan(test::team_config(), "items:\n  - {id: I1, title: i, milestone: M1, estimate: 1}\n",
                           "milestones:\n  - {id: M1, title: one}\n", R"(risks:
  - {id: R1, title: a, probability: 2, impact: 3, review: 2027-01-01}
  - {id: R2, title: b, probability: 3, impact: 2, affects: [I1]}
  - {id: R3, title: c, probability: 5, impact: 5, status: closed}
  - {id: R4, title: d, probability: 1, impact: 4}
  - {id: R5, title: e, probability: 2, impact: 3}
)");
  auto r = risks::rank(l.plan, *parse_date("2027-01-04"), false);
  std::vector<std::string> ids;
  for (const auto& row : r.rows) ids.push_back(*l.plan.risks[row.risk].id);
  CHECK(ids == std::vector<std::string>{"R1", "R5", "R2", "R4"});
  CHECK(r.rows[0].band == "medium");
  CHECK(r.rows[0].overdue);
  CHECK(r.rows[3].band == "low");
  CHECK(r.rows[2].milestones == std::vector<std::string>{"M1"});
  CHECK(r.heatmap[1][2] == 2);
  CHECK(r.heatmap[2][1] == 1);
  CHECK(r.heatmap[4][4] == 0);
  auto overdue = risks::rank(l.plan, *parse_date("2027-01-04"), true);
  REQUIRE(overdue.rows.size() == 1);
  CHECK(*l.plan.risks[overdue.rows[0].risk].id == "R1");
  CHECK(risks::band(4) == "low");
  CHECK(risks::band(5) == "medium");
  CHECK(risks::band(14) == "high");
  CHECK(risks::band(15) == "critical");
}

TEST_CASE("a chance prints with one rounding everywhere: one decimal below 1 % and above 99 %") {
  CHECK(forecast::chance_text(0) == "0%");
  CHECK(forecast::chance_text(0.0005) == "0.1%");  // 0.05 %: what `forecast` printed and `report` made 0 %
  CHECK(forecast::chance_text(0.0004) == "<0.1%");
  CHECK(forecast::chance_text(0.0042) == "0.4%");
  CHECK(forecast::chance_text(0.01) == "1%");
  CHECK(forecast::chance_text(0.2) == "20%");
  CHECK(forecast::chance_text(0.855) == "86%");
  CHECK(forecast::chance_text(0.99) == "99%");
  CHECK(forecast::chance_text(0.998) == "99.8%");
  CHECK(forecast::chance_text(0.99996) == ">99.9%");
  CHECK(forecast::chance_text(1) == "100%");
}

TEST_CASE("one milestone status weighs the plan and the forecast") {
  schedule::MilestoneRow row;
  row.status = schedule::MilestoneStatus::on_track;
  forecast::MilestoneForecast fc;
  auto with = [&](std::optional<double> chance) {
    fc.chance = chance;
    return status::judge(row, &fc, false);
  };
  CHECK(with(0.2).word() == "at risk");  // on track by the schedule, 20 % by the forecast
  CHECK(with(0.2).key() == "at_risk");
  CHECK(with(0.5).word() == "on track");
  CHECK(with(std::nullopt).word() == "on track");  // no target chance: the schedule's word
  auto plan_only = status::judge(row, nullptr, true);  // no throughput history at all
  CHECK(plan_only.text() == "on track (plan only: no throughput history)");
  CHECK(plan_only.plan_only);
  row.status = schedule::MilestoneStatus::late;
  row.late_by = 3;
  CHECK(with(0.9).text() == "late by 3 workdays");
  CHECK(with(0.9).key() == "late");
  CHECK(with(0.9).fails(false));
  row.late_by = 1;
  CHECK(with(0.9).word() == "late by 1 workday");
  row.status = schedule::MilestoneStatus::unknown;
  row.why = "no target date";
  CHECK(with(0.1).text() == "unknown: no target date");
  CHECK(status::judge(row, nullptr, true).text() == "unknown: no target date");
  row.status = schedule::MilestoneStatus::on_track;
  CHECK(with(0.1).fails(true));
  CHECK_FALSE(with(0.1).fails(false));
}

TEST_CASE("flow: burn-up by week from creation and done dates, throughput, cycle time by nearest rank") {
  auto l = test::load_plan(test::team_config(1), R"(items:
  - {id: A, title: a, estimate: 1, milestone: M1, status: done, started: 2027-01-04, done: 2027-01-06}
  - {id: B, title: b, estimate: 1, milestone: M1, status: done}
  - {id: C, title: c, estimate: 1, milestone: M1}
  - {id: D, title: d, estimate: 1, milestone: M1, status: dropped}
  - {id: E, title: e, estimate: 1, status: done, started: 2027-01-05, done: 2027-01-15}
)",
                           "milestones:\n  - {id: M1, title: m, target: 2027-02-01}\n  - {id: M2, title: n}\n");
  flow::ItemDates h;
  h.created = {{"A", *parse_date("2027-01-04")}, {"B", *parse_date("2027-01-05")}, {"C", *parse_date("2027-01-12")}};
  h.started = {{"B", *parse_date("2027-01-11")}};
  h.done = {{"B", *parse_date("2027-01-13")}, {"A", *parse_date("2027-01-20")}};  // A's done: date wins
  auto f = flow::compute(l.plan, l.index, h, *parse_date("2027-01-15"));
  REQUIRE(f.burnups.size() == 1);  // M2 has no items
  const auto& pts = f.burnups[0].points;
  REQUIRE(pts.size() == 2);
  CHECK(to_string(pts[0].week) == "2027-01-04");
  CHECK(std::make_pair(pts[0].done, pts[0].scope) == std::make_pair(1, 2));  // C not yet, D dropped
  CHECK(std::make_pair(pts[1].done, pts[1].scope) == std::make_pair(2, 3));
  REQUIRE(f.throughput.size() == static_cast<std::size_t>(flow::k_weeks));
  CHECK(f.throughput.back() == std::make_pair(*parse_date("2027-01-11"), 2));  // B (history) and E
  CHECK(f.throughput[f.throughput.size() - 2].second == 1);                   // A
  // Cycle times 2 (A), 2 (B), 10 (E) days: P50 the 2nd, P85 the 3rd.
  CHECK(f.cycle_items == 3);
  CHECK(*f.cycle_p50 == 2);
  CHECK(*f.cycle_p85 == 10);
}

TEST_CASE("a done milestone's finish is the history's date of a done item without a done: date (SPEC 6.1)") {
  auto l = test::load_plan(test::team_config(1), R"(items:
  - {id: A, title: a, estimate: 1, milestone: M1, status: done}
  - {id: B, title: b, estimate: 1, milestone: M1, status: done, done: 2027-01-05}
)",
                           "milestones:\n  - {id: M1, title: one, target: 2027-01-06}\n");
  Date today = *parse_date("2027-01-11");
  auto ranking = priority::rank(l.plan, model::PriorityModel::manual);
  auto without = schedule::plan_schedule(l.plan, ranking, today);
  CHECK(without.milestones[0].status == schedule::MilestoneStatus::unknown);
  CHECK_FALSE(without.milestones[0].finish);
  auto with = schedule::plan_schedule(l.plan, ranking, today, {{"A", *parse_date("2027-01-07")}});
  CHECK(with.milestones[0].finish == *parse_date("2027-01-07"));  // the later of A (history) and B (done:)
  CHECK(with.milestones[0].status == schedule::MilestoneStatus::late);
  CHECK(with.milestones[0].late_by == 1);
  CHECK(forecast::completion_dates(l.plan, {{"A", *parse_date("2027-01-07")}}).size() == 2);
}

TEST_CASE("an item that would finish after 9999-12-31 cannot be scheduled; the forecast's dates stop there") {
  auto l = test::load_plan(test::team_config(1), R"(items:
  - {id: H, title: h, estimate: 1, status: done, done: 9999-12-20}
  - {id: A, title: a, estimate: 5, milestone: M1}
)",
                           "milestones:\n  - {id: M1, title: one, target: 9999-12-31}\n");
  Date today = *parse_date("9999-12-30");
  auto s = schedule::plan_schedule(l.plan, priority::rank(l.plan, model::PriorityModel::manual), today);
  CHECK(s.tasks.empty());
  REQUIRE(s.unschedulable.size() == 1);
  CHECK(s.unschedulable[0].reason == "it would finish after 9999-12-31, the last date tandem handles");
  CHECK(s.milestones[0].status == schedule::MilestoneStatus::unknown);
  auto fc = forecast::run(l.plan, s, forecast::completion_dates(l.plan), today, forecast::configured(l.plan.config));
  REQUIRE(fc);
  for (const auto& d : fc->milestones[0].results) CHECK(d <= k_last_date);
  CHECK_FALSE(fc->milestones[0].p95);
  CHECK(fc->milestones[0].note == "some runs end after 9999-12-31, the last date tandem handles");
}
