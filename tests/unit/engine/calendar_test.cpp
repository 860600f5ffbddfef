#include "core/engine/calendar.hpp"

#include <doctest/doctest.h>

using namespace tandem;

namespace {

Date day(const char* text) { return *parse_date(text); }

/// A config with the given people (each with its off ranges) and holidays; Monday to Friday unless changed.
model::Config config(std::vector<std::vector<std::pair<const char*, const char*>>> off = {{}},
                     std::vector<const char*> holidays = {}) {
  model::Config c;
  for (const char* h : holidays) c.holidays.push_back(model::Field<Date>{day(h), {}});
  for (const auto& ranges : off) {
    model::Person p;
    for (const auto& [from, to] : ranges) p.off.push_back(model::DateRange{day(from), day(to), {}});
    c.people.push_back(std::move(p));
  }
  return c;
}

}  // namespace

TEST_CASE("team workdays are the configured weekdays minus holidays") {
  SUBCASE("Monday to Friday by default") {
    Calendar cal(config());
    CHECK(cal.team_workday(day("2027-01-04")));        // Monday
    CHECK(cal.team_workday(day("2027-01-08")));        // Friday
    CHECK_FALSE(cal.team_workday(day("2027-01-09")));  // Saturday
    CHECK_FALSE(cal.team_workday(day("2027-01-10")));  // Sunday
  }
  SUBCASE("other weekdays") {
    auto c = config();
    c.workdays = {false, false, false, false, false, true, true};
    Calendar cal(c);
    CHECK_FALSE(cal.team_workday(day("2027-01-04")));
    CHECK(cal.team_workday(day("2027-01-09")));
  }
  SUBCASE("holidays, given in any order") {
    Calendar cal(config({{}}, {"2027-01-07", "2027-01-05"}));
    CHECK(cal.team_workday(day("2027-01-04")));
    CHECK_FALSE(cal.team_workday(day("2027-01-05")));
    CHECK(cal.team_workday(day("2027-01-06")));
    CHECK_FALSE(cal.team_workday(day("2027-01-07")));
  }
}

TEST_CASE("a person's off ranges are inclusive and may overlap or touch") {
  Calendar cal(config({{{"2027-01-05", "2027-01-06"}, {"2027-01-06", "2027-01-07"}, {"2027-01-12", "2027-01-12"}},
                       {}}));
  CHECK(cal.workday(0, day("2027-01-04")));
  for (const char* d : {"2027-01-05", "2027-01-06", "2027-01-07", "2027-01-12"}) {
    CAPTURE(d);
    CHECK_FALSE(cal.workday(0, day(d)));
    CHECK(cal.workday(1, day(d)));
  }
  CHECK(cal.workday(0, day("2027-01-08")));
  CHECK(cal.workday(0, day("2027-01-13")));
  CHECK_FALSE(cal.workday(1, day("2027-01-09")));  // the team's weekend holds for everyone
}

TEST_CASE("next_workday skips weekends, holidays and off ranges") {
  Calendar cal(config({{{"2027-01-11", "2027-01-15"}}}, {"2027-01-18"}));
  CHECK(cal.next_workday(0, day("2027-01-04")) == day("2027-01-04"));
  CHECK(cal.next_workday(0, day("2027-01-09")) == day("2027-01-19"));  // weekend, off week, weekend, holiday
  CHECK(cal.next_team_workday(day("2027-01-09")) == day("2027-01-11"));
  CHECK(cal.next_team_workday(day("2027-01-17")) == day("2027-01-19"));
}

TEST_CASE("next_workday gives up after the horizon") {
  SUBCASE("a person off for longer than the horizon") {
    Calendar cal(config({{{"2027-01-01", "2040-12-31"}}}));
    CHECK_FALSE(cal.next_workday(0, day("2027-01-04")));
  }
  SUBCASE("the last day of the horizon is still found") {
    Date start = day("2027-01-04");
    Date last = start + Calendar::k_horizon_days;
    auto c = config({{{"2027-01-04", to_string(last + -1).c_str()}}});
    c.workdays = {true, true, true, true, true, true, true};
    Calendar cal(c);
    CHECK(cal.next_workday(0, start) == last);
    auto longer = config({{{"2027-01-04", to_string(last).c_str()}}});
    longer.workdays = c.workdays;
    CHECK_FALSE(Calendar(longer).next_workday(0, start));
  }
  SUBCASE("a team with no workday") {
    auto c = config();
    c.workdays = {false, false, false, false, false, false, false};
    Calendar cal(c);
    CHECK_FALSE(cal.next_team_workday(day("2027-01-04")));
    CHECK_FALSE(cal.next_workday(0, day("2027-01-04")));
  }
}

TEST_CASE("team_workdays_between counts (from, to] and is signed") {
  Calendar cal(config({{}}, {"2027-01-06"}));
  CHECK(cal.team_workdays_between(day("2027-01-04"), day("2027-01-04")) == 0);
  CHECK(cal.team_workdays_between(day("2027-01-04"), day("2027-01-08")) == 3);  // Tue, Thu, Fri
  CHECK(cal.team_workdays_between(day("2027-01-08"), day("2027-01-04")) == -3);
  CHECK(cal.team_workdays_between(day("2027-01-08"), day("2027-01-11")) == 1);  // over the weekend
}
