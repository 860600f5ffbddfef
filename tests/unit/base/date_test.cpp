#include "core/base/date.hpp"

#include <doctest/doctest.h>

using namespace tandem;

TEST_CASE("dates are days since 1970-01-01") {
  CHECK(make_date(1970, 1, 1)->days == 0);
  CHECK(make_date(1970, 1, 2)->days == 1);
  CHECK(make_date(1969, 12, 31)->days == -1);
  CHECK(make_date(2000, 3, 1)->days == 11017);
  CHECK(make_date(2027, 1, 4)->days == 20822);
}

TEST_CASE("make_date rejects days that do not exist") {
  SUBCASE("leap years") {
    CHECK(make_date(2024, 2, 29));
    CHECK(make_date(2000, 2, 29));
    CHECK_FALSE(make_date(2023, 2, 29));
    CHECK_FALSE(make_date(1900, 2, 29));
    CHECK_FALSE(make_date(2100, 2, 29));
  }
  SUBCASE("out of range parts") {
    CHECK_FALSE(make_date(2027, 0, 1));
    CHECK_FALSE(make_date(2027, 13, 1));
    CHECK_FALSE(make_date(2027, 1, 0));
    CHECK_FALSE(make_date(2027, 1, 32));
    CHECK_FALSE(make_date(2027, 4, 31));
    CHECK_FALSE(make_date(0, 1, 1));
    CHECK_FALSE(make_date(10000, 1, 1));
  }
  SUBCASE("the extremes") {
    CHECK(make_date(1, 1, 1));
    CHECK(make_date(9999, 12, 31));
  }
}

TEST_CASE("parse_date accepts exactly YYYY-MM-DD of a real day") {
  SUBCASE("valid") {
    CHECK(parse_date("2027-01-04") == make_date(2027, 1, 4));
    CHECK(parse_date("2024-02-29") == make_date(2024, 2, 29));
    CHECK(parse_date("0001-01-01") == make_date(1, 1, 1));
    CHECK(parse_date("9999-12-31") == make_date(9999, 12, 31));
  }
  SUBCASE("a well-formed day that does not exist") {
    for (const char* s : {"2027-02-30", "2023-02-29", "2027-04-31", "2027-13-01", "2027-00-10", "2027-01-00",
                          "0000-01-01"}) {
      std::string text = s;
      CAPTURE(text);
      CHECK_FALSE(parse_date(s));
    }
  }
  SUBCASE("badly formed text") {
    for (const char* s : {"", "2027-1-04", "2027-01-4", "27-01-04", "2027/01/04", "2027-01-04 ", " 2027-01-04",
                          "2027-01-04T00:00", "20270104", "2027-0a-04", "+027-01-04", "-027-01-04", "2027--1-04",
                          "２０２７-01-04"}) {
      std::string text = s;
      CAPTURE(text);
      CHECK_FALSE(parse_date(s));
    }
  }
}

TEST_CASE("to_string prints YYYY-MM-DD and round-trips with parse_date") {
  CHECK(to_string(Date{0}) == "1970-01-01");
  CHECK(to_string(Date{-1}) == "1969-12-31");
  CHECK(to_string(*make_date(2027, 1, 4)) == "2027-01-04");
  CHECK(to_string(*make_date(1, 1, 1)) == "0001-01-01");
  CHECK(to_string(*make_date(9999, 12, 31)) == "9999-12-31");
  for (int days = make_date(1, 1, 1)->days; days <= make_date(9999, 12, 31)->days; days += 997) {
    Date d{days};
    auto back = parse_date(to_string(d));
    REQUIRE(back);
    CHECK(back->days == days);
  }
}

TEST_CASE("weekday counts from Monday as 0") {
  CHECK(Date{0}.weekday() == 3);                      // 1970-01-01, a Thursday
  CHECK(Date{-1}.weekday() == 2);                     // a Wednesday
  CHECK(Date{-4}.weekday() == 6);                     // 1969-12-28, a Sunday
  CHECK(make_date(2027, 1, 4)->weekday() == 0);       // a Monday
  CHECK(make_date(2027, 1, 10)->weekday() == 6);      // a Sunday
  CHECK(make_date(2024, 2, 29)->weekday() == 3);      // a Thursday
}

TEST_CASE("dates add, subtract and compare by days") {
  Date a = *make_date(2027, 1, 30);
  CHECK(to_string(a + 3) == "2027-02-02");
  CHECK(to_string(a + -30) == "2026-12-31");
  CHECK(*make_date(2027, 3, 1) - *make_date(2027, 2, 1) == 28);
  CHECK(*make_date(2024, 3, 1) - *make_date(2024, 2, 1) == 29);
  CHECK(a < a + 1);
  CHECK(a == *make_date(2027, 1, 30));
}

TEST_CASE("days_in_month knows leap years") {
  CHECK(days_in_month(2027, 1) == 31);
  CHECK(days_in_month(2027, 2) == 28);
  CHECK(days_in_month(2024, 2) == 29);
  CHECK(days_in_month(1900, 2) == 28);
  CHECK(days_in_month(2000, 2) == 29);
  CHECK(days_in_month(2027, 4) == 30);
  CHECK(days_in_month(2027, 12) == 31);
}

TEST_CASE("today_utc is a plausible date") {
  Date t = today_utc();
  CHECK(t > *make_date(2024, 1, 1));
  CHECK(t < *make_date(2200, 1, 1));
}

TEST_CASE("date_problem names a day the calendar lacks as such, and anything else as the wrong shape") {
  CHECK(date_problem("2027-02-28") == "");
  CHECK(date_problem("2027-02-30") == "that day does not exist (February 2027 has 28 days)");
  CHECK(date_problem("2028-02-30") == "that day does not exist (February 2028 has 29 days)");
  CHECK(date_problem("2027-04-31") == "that day does not exist (April 2027 has 30 days)");
  CHECK(date_problem("2027-13-01") == "that day does not exist (there is no month 13)");
  CHECK(date_problem("2027-00-10") == "that day does not exist (there is no month 00)");
  CHECK(date_problem("2027-01-00") == "that day does not exist (days start at 01)");
  CHECK(date_problem("2027/01/01") == "write dates as YYYY-MM-DD");
  CHECK(date_problem("tomorrow") == "write dates as YYYY-MM-DD");
  CHECK(date_problem("") == "write dates as YYYY-MM-DD");
  CHECK(date_problem("2027-1a-01") == "write dates as YYYY-MM-DD");
}

TEST_CASE("k_last_date is 9999-12-31, the last date parse_date accepts") {
  CHECK(to_string(k_last_date) == "9999-12-31");
  CHECK(parse_date("9999-12-31") == k_last_date);
}
