#include "core/base/date.hpp"

#include <charconv>
#include <chrono>
#include <fmt/format.h>

namespace tandem {

namespace chr = std::chrono;

namespace {
chr::sys_days sys_days_of(Date date) { return chr::sys_days{chr::days{date.days}}; }

/// The number written with exactly the `len` bytes at `at` of `s`, or -1 when they are not all digits.
int field(std::string_view s, std::size_t at, std::size_t len) {
  int value = -1;
  const char* first = s.data() + at;
  auto [end, ec] = std::from_chars(first, first + len, value);
  return ec == std::errc{} && end == first + len && value >= 0 && *first != '-' ? value : -1;
}
}  // namespace

int days_in_month(int year, int month) {
  chr::year_month_day_last last{chr::year{year}, chr::month_day_last{chr::month{static_cast<unsigned>(month)}}};
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

int Date::weekday() const { return static_cast<int>(chr::weekday{sys_days_of(*this)}.iso_encoding()) - 1; }

std::optional<Date> make_date(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return std::nullopt;
  chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                          chr::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return Date{static_cast<std::int32_t>(chr::sys_days{ymd}.time_since_epoch().count())};
}

std::optional<Date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = field(s, 0, 4), m = field(s, 5, 2), d = field(s, 8, 2);
  if (y < 0 || m < 0 || d < 0) return std::nullopt;
  return make_date(y, m, d);
}

std::string date_problem(std::string_view s) {
  if (parse_date(s)) return {};
  static constexpr const char* k_months[] = {"January", "February", "March",     "April",   "May",      "June",
                                             "July",    "August",   "September", "October", "November", "December"};
  bool shaped = s.size() == 10 && s[4] == '-' && s[7] == '-';
  int y = shaped ? field(s, 0, 4) : -1, m = shaped ? field(s, 5, 2) : -1, d = shaped ? field(s, 8, 2) : -1;
  if (y < 1 || m < 0 || d < 0) return "write dates as YYYY-MM-DD";
  if (m < 1 || m > 12) return fmt::format("that day does not exist (there is no month {:02})", m);
  if (d < 1) return "that day does not exist (days start at 01)";
  return fmt::format("that day does not exist ({} {} has {} days)", k_months[m - 1], y, days_in_month(y, m));
}

std::string to_string(Date date) {
  chr::year_month_day ymd{sys_days_of(date)};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

Date today_utc() {
  auto today = chr::floor<chr::days>(chr::system_clock::now());
  return Date{static_cast<std::int32_t>(today.time_since_epoch().count())};
}

}  // namespace tandem
