#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tandem {

/// A calendar date as days since 1970-01-01 (proleptic Gregorian).
struct Date {
  std::int32_t days = 0;
  friend auto operator<=>(const Date&, const Date&) = default;
  /// Day of the week, 0 = Monday … 6 = Sunday.
  int weekday() const;
  Date operator+(int n) const { return Date{days + n}; }
  int operator-(Date other) const { return days - other.days; }
};

/// The last date tandem reads or writes, 9999-12-31 (SPEC 11: dates are YYYY-MM-DD): a schedule, a
/// forecast or a period that would run past it says so instead of printing a five-digit year.
inline constexpr Date k_last_date{2932896};

/// Builds a date from year, month (1-12) and day (1-31); nullopt if the day does not exist.
std::optional<Date> make_date(int year, int month, int day);
/// Parses exactly `YYYY-MM-DD`; nullopt for any other text or a day that does not exist.
std::optional<Date> parse_date(std::string_view text);
/// Why `text` is not a date parse_date accepts: "" when it is one, "that day does not exist (February
/// 2027 has 28 days)" for a day the calendar lacks, else "write dates as YYYY-MM-DD".
std::string date_problem(std::string_view text);
/// Formats as `YYYY-MM-DD`.
std::string to_string(Date date);
/// Today's date in UTC.
Date today_utc();
/// Number of days of a month (1-12) in a year.
int days_in_month(int year, int month);

}  // namespace tandem
