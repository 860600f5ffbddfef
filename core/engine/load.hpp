#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/base/date.hpp"
#include "core/plan/index.hpp"
#include "core/plan/model.hpp"
#include "core/engine/schedule.hpp"

namespace tandem::workload {

/// One person's scheduled work in one period (a sprint, or a Monday-to-Sunday week without sprints).
struct Period {
  Date start, end;             ///< first and last calendar day, both included
  std::optional<int> sprint;   ///< the sprint's number, when periods are sprints
  double effort = 0;           ///< effort units the schedule puts in the period
  double capacity = 0;         ///< effort units the person can do in it, from the schedule's start on
  std::optional<double> utilisation;  ///< effort ÷ capacity; nothing when the capacity is 0
  bool idle = false;           ///< utilisation below 50 %
  bool overloaded = false;     ///< an item assigned to the person is due in the period and does not fit it
  std::vector<std::size_t> late;  ///< those items (indices into plan.items), in schedule order
};

/// The periods of one person.
struct PersonLoad {
  std::size_t person = 0;      ///< index into config.people
  std::vector<Period> periods;
};

struct Load {
  bool sprints = false;              ///< periods are sprints (else weeks)
  std::vector<PersonLoad> people;    ///< the pool and everyone with scheduled work, in `people` order
};

/// Share of capacity under which a period counts as idle.
inline constexpr double k_idle_below = 0.5;

/// Per person and period, from the schedule's start to its finish: the effort the schedule gives
/// them, their capacity (calendar, holidays, `off`, `capacity`) and the flags. An item is due in the
/// period that holds its milestone's target; when it is assigned (`assignee`) and finishes after that
/// period, the period is overloaded. Only tasks for which `counted(item)` holds add effort (filters).
Load compute(const model::Plan& plan, const index::PlanIndex& index, const schedule::Schedule& schedule,
             const std::vector<bool>& counted = {});

}  // namespace tandem::workload
