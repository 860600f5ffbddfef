#include "core/engine/calendar.hpp"

#include <algorithm>

namespace tandem {

Calendar::Calendar(const model::Config& config) : m_weekdays(config.workdays) {
  for (const auto& h : config.holidays)
    if (h.has()) m_holidays.push_back(*h);
  std::sort(m_holidays.begin(), m_holidays.end());
  for (const auto& p : config.people) {
    std::vector<std::pair<Date, Date>> ranges;
    for (const auto& r : p.off) ranges.emplace_back(r.from, r.to);
    std::sort(ranges.begin(), ranges.end());
    std::vector<std::pair<Date, Date>> merged;
    for (const auto& r : ranges) {
      if (!merged.empty() && r.first.days <= merged.back().second.days + 1)
        merged.back().second = std::max(merged.back().second, r.second);
      else
        merged.push_back(r);
    }
    m_off.push_back(std::move(merged));
  }
}

bool Calendar::team_workday(Date d) const {
  return m_weekdays[static_cast<std::size_t>(d.weekday())] && !std::binary_search(m_holidays.begin(), m_holidays.end(), d);
}

bool Calendar::workday(std::size_t person, Date d) const {
  if (!team_workday(d)) return false;
  const auto& off = m_off[person];
  auto it = std::upper_bound(off.begin(), off.end(), d, [](Date x, const std::pair<Date, Date>& r) { return x < r.first; });
  return it == off.begin() || std::prev(it)->second < d;
}

std::optional<Date> Calendar::next_workday(std::size_t person, Date d) const {
  for (int i = 0; i <= k_horizon_days; ++i) {
    Date x = d + i;
    if (!workday(person, x)) {
      // Jump over an off range at once.
      const auto& off = m_off[person];
      auto it = std::upper_bound(off.begin(), off.end(), x, [](Date y, const std::pair<Date, Date>& r) { return y < r.first; });
      if (it != off.begin() && !(std::prev(it)->second < x)) i = std::prev(it)->second - d;
      continue;
    }
    return x;
  }
  return std::nullopt;
}

std::optional<Date> Calendar::next_team_workday(Date d) const {
  for (int i = 0; i <= k_horizon_days; ++i)
    if (team_workday(d + i)) return d + i;
  return std::nullopt;
}

int Calendar::team_workdays_between(Date from, Date to) const {
  int sign = 1;
  if (to < from) {
    std::swap(from, to);
    sign = -1;
  }
  int n = 0;
  for (Date d = from + 1; d <= to; d = d + 1) n += team_workday(d);
  return sign * n;
}

}  // namespace tandem
