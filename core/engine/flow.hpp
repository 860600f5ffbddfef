#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/date.hpp"
#include "core/plan/index.hpp"
#include "core/plan/model.hpp"

namespace tandem::flow {

/// What history says about items, by id (from the one walk of core/git): the date of the commit that
/// created each item, and of the last commits that set its status to doing and to done.
struct ItemDates {
  std::map<std::string, Date> created, started, done;
};

/// One week of a burn-up: how many items were done and in scope by its end (or today, this week).
struct BurnPoint {
  Date week;       ///< the week's Monday
  int done = 0;    ///< items of the milestone done by then
  int scope = 0;   ///< items of the milestone that existed by then (dropped ones excluded)
};

struct BurnUp {
  std::size_t milestone = 0;       ///< index into plan.milestones
  std::vector<BurnPoint> points;   ///< oldest first, at most `k_weeks`
};

struct Flow {
  std::vector<BurnUp> burnups;                    ///< per milestone with items, in roadmap order
  std::vector<std::pair<Date, int>> throughput;   ///< items done per week (Monday, count), oldest first
  std::optional<double> cycle_p50, cycle_p85;     ///< calendar days from start to done
  std::size_t cycle_items = 0;                    ///< done items with both dates
};

/// Weeks at most in a burn-up and in the throughput.
inline constexpr int k_weeks = 12;

/// The burn-up of each milestone, weekly throughput and cycle time percentiles (nearest rank) up to
/// `today`. An item's done date is its `done:` date, else history's; its start date `started:`, else
/// history's; it enters the scope on the date of the commit that created it (today when history does
/// not know it, e.g. an uncommitted item).
Flow compute(const model::Plan& plan, const index::PlanIndex& index, const ItemDates& history, Date today);

}  // namespace tandem::flow
