#include "core/engine/load.hpp"

#include <algorithm>
#include <optional>

#include "core/engine/calendar.hpp"

namespace tandem::workload {

namespace {

/// The first day of the period holding `d`: its sprint's start (sprints extend before the first one
/// with the same length), or its week's Monday.
Date period_start(const model::Config& c, Date d) {
  if (c.sprint_start.has() && c.sprint_length.has()) {
    int len = *c.sprint_length, off = d - *c.sprint_start;
    int k = off >= 0 ? off / len : -((-off + len - 1) / len);
    return *c.sprint_start + k * len;
  }
  return d + (-d.weekday());
}

Date next_period(const model::Config& c, Date start) {
  return start + (c.sprint_start.has() && c.sprint_length.has() ? *c.sprint_length : 7);
}

}  // namespace

Load compute(const model::Plan& plan, const index::PlanIndex& ix, const schedule::Schedule& s,
             const std::vector<bool>& counted) {
  const model::Config& c = plan.config;
  Calendar cal(c);
  Load out;
  out.sprints = c.sprint_start.has() && c.sprint_length.has();
  Date last = s.finish ? std::max(*s.finish, s.start) : s.start;
  std::vector<Date> starts;
  for (Date p = period_start(c, s.start); p <= last; p = next_period(c, p)) starts.push_back(p);
  // The period holding `d`, or none when `d` is outside the periods (before the schedule's start: an
  // overdue target; after its finish).
  auto period_of = [&](Date d) -> std::optional<std::size_t> {
    auto it = std::upper_bound(starts.begin(), starts.end(), d);
    if (it == starts.begin() || d > next_period(c, starts.back()) + (-1)) return std::nullopt;
    return static_cast<std::size_t>(it - starts.begin() - 1);
  };

  std::vector<bool> shown(c.people.size(), false);
  for (std::size_t p : ix.people().pool()) shown[p] = c.people[p].capacity_or_default() > 0;
  for (const auto& t : s.tasks) shown[t.person] = true;
  std::vector<std::size_t> row_of(c.people.size(), SIZE_MAX);
  for (std::size_t p = 0; p < c.people.size(); ++p) {
    if (!shown[p]) continue;
    row_of[p] = out.people.size();
    PersonLoad pl{p, {}};
    double cap = c.people[p].capacity_or_default();
    for (Date st : starts) {
      Period per;
      per.start = st;
      per.end = std::min(next_period(c, st) + (-1), k_last_date);  // a week or sprint ends by then
      if (out.sprints) per.sprint = schedule::sprint_of(c, st);
      for (Date d = std::max(st, s.start); d <= per.end; d = d + 1)
        if (cal.workday(p, d)) per.capacity += cap;
      pl.periods.push_back(per);
    }
    out.people.push_back(std::move(pl));
  }

  for (const auto& t : s.tasks) {
    auto& periods = out.people[row_of[t.person]].periods;
    double cap = c.people[t.person].capacity_or_default();
    if (counted.empty() || counted[t.item])
      for (Date d = t.start.date; d <= t.finish.date; d = d + 1) {
        if (!cal.workday(t.person, d)) continue;
        double from = d == t.start.date ? t.start.fraction : 0, to = d == t.finish.date ? t.finish.fraction : 1;
        if (auto k = period_of(d); k && to > from) periods[*k].effort += (to - from) * cap;
      }
    // Overloaded: an assigned item due in a period (its milestone's target falls in it) that finishes
    // after it. A target outside the periods flags none.
    auto m = ix.milestone_of(t.item);
    if (!plan.items[t.item].assignee.has() || !m || !plan.milestones[*m].target.has()) continue;
    auto k = period_of(*plan.milestones[*m].target);
    if (!k) continue;
    Period& due = periods[*k];
    if (t.finish.date > due.end && (counted.empty() || counted[t.item])) {
      due.overloaded = true;
      due.late.push_back(t.item);
    }
  }

  for (auto& pl : out.people)
    for (auto& per : pl.periods) {
      if (per.capacity > 0) per.utilisation = per.effort / per.capacity;
      per.idle = per.utilisation && *per.utilisation < k_idle_below;
    }
  return out;
}

}  // namespace tandem::workload
