#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/date.hpp"
#include "core/plan/index.hpp"
#include "core/plan/model.hpp"
#include "core/engine/priority.hpp"

namespace tandem::schedule {

/// A point in a person's working time: a date plus the fraction of that workday already worked.
struct Moment {
  Date date;
  double fraction = 0;  ///< 0 = start of the day; 1 = end of the day (finishes only)
};

/// One scheduled item.
struct Task {
  std::size_t item = 0;     ///< index into plan.items
  std::size_t person = 0;   ///< index into config.people
  Moment start, finish;
  double effort = 0;        ///< effort units (person-workdays at capacity 1)
  double duration = 0;      ///< effort ÷ capacity, in the person's workdays
  std::optional<int> sprint;  ///< sprint of the finish date (1-based), when calendar.sprint is set
  double total_float = 0;   ///< LS − ES in team workdays on the scheduled network (dependencies + each person's succession)
  bool critical = false;    ///< on the critical chain: exactly when total_float is 0
};

struct Unschedulable {
  std::size_t item = 0;
  std::string reason;
};

enum class MilestoneStatus { on_track, late, unknown };

struct MilestoneRow {
  std::size_t milestone = 0;         ///< index into plan.milestones
  std::optional<Date> finish;        ///< forecast finish (latest finish of its items)
  MilestoneStatus status = MilestoneStatus::unknown;
  int late_by = 0;                   ///< team workdays after the target, when late
  std::string why;                   ///< reason for unknown
  std::size_t done = 0;              ///< its done items
  std::size_t scope = 0;             ///< its items that are not dropped (done / scope: the share done)
};

struct Schedule {
  Date start;                        ///< the later of project.start and today
  std::vector<Task> tasks;           ///< in serial (scheduling) order
  /// Every undone item (index into plan.items) in serial order, those that could not be scheduled
  /// included, where the list scheduling took them up; items in a dependency cycle are not in it.
  std::vector<std::size_t> order;
  std::vector<Unschedulable> unschedulable;
  std::vector<MilestoneRow> milestones;
  std::optional<Date> finish;        ///< latest finish of any task
};

/// The dates on which done items without a `done:` date became done (SPEC 6.1: the commit in which their
/// status became `done`), by item id, as git history gives them.
using DoneDates = std::map<std::string, Date>;

/// The resource-constrained serial list schedule of SPEC section 5, from `ranking` (priority order).
/// A milestone whose items are all done finishes on the latest of their `done:` dates, a done item
/// without one dated by `history` (SPEC 6.1); its finish is unknown when an item has neither.
Schedule plan_schedule(const model::Plan& plan, const index::PlanIndex& index, const priority::Ranking& ranking,
                       Date today, const DoneDates& history = {});
/// The same, indexing the plan first.
Schedule plan_schedule(const model::Plan& plan, const priority::Ranking& ranking, Date today,
                       const DoneDates& history = {});
/// The same, in the order of the plan's configured priority model.
Schedule plan_schedule(const model::Plan& plan, const index::PlanIndex& index, Date today,
                       const DoneDates& history = {});
/// The same, indexing the plan first.
Schedule plan_schedule(const model::Plan& plan, Date today, const DoneDates& history = {});

/// Effort of one point in person-workdays (estimates: points), or 1 for days: the pool's capacity over
/// the workdays of one sprint without holidays, divided by `velocity`.
double point_value(const model::Config& config);
/// The 1-based sprint holding `date` (fixed calendar sprints of `calendar.sprint.length` days), or
/// nothing when sprints are not configured or the date is before the first.
std::optional<int> sprint_of(const model::Config& config, Date date);
/// The team's weekdays in one sprint, holidays not subtracted (0 when sprints are not configured).
int sprint_workdays(const model::Config& config);

std::string_view to_string(MilestoneStatus status);
/// A milestone's status as people read it, the one wording of every command: "on track",
/// "late by 1 workday", "late by N workdays", or "unknown" (the row's `why` says why).
std::string describe(const MilestoneRow& row);

}  // namespace tandem::schedule
