#pragma once
#include <optional>
#include <vector>

#include "core/base/date.hpp"
#include "core/plan/model.hpp"

namespace tandem {

/// Working days: the team's weekdays minus holidays, and per person minus their `off` ranges.
class Calendar {
public:
  explicit Calendar(const model::Config& config);
  /// True when `date` is a working day of the team (weekday and not a holiday).
  bool team_workday(Date date) const;
  /// True when `date` is a working day of `person` (index into config.people).
  bool workday(std::size_t person, Date date) const;
  /// The first working day of `person` on or after `date`, searching at most `k_horizon_days`.
  std::optional<Date> next_workday(std::size_t person, Date date) const;
  /// The first team working day on or after `date`, searching at most `k_horizon_days`.
  std::optional<Date> next_team_workday(Date date) const;
  /// Team working days in (from, to]: positive when `to` is later.
  int team_workdays_between(Date from, Date to) const;

  /// How far ahead a search for a working day goes before giving up (about 10 years).
  static constexpr int k_horizon_days = 3653;

private:
  std::array<bool, 7> m_weekdays;
  std::vector<Date> m_holidays;                            // sorted
  std::vector<std::vector<std::pair<Date, Date>>> m_off;   // per person, sorted, merged
};

}  // namespace tandem
