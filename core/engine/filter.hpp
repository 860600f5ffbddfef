#pragma once
#include <string>
#include <vector>

#include "core/plan/index.hpp"
#include "core/plan/model.hpp"
#include "core/engine/flow.hpp"
#include "core/engine/forecast.hpp"
#include "core/engine/load.hpp"
#include "core/engine/priority.hpp"
#include "core/engine/risks.hpp"
#include "core/engine/schedule.hpp"

namespace tandem::filter {

/// The row filters of the reporting commands (SPEC 5): each list holds the values of one repeatable
/// option, any of which matches; a row must match every option given. They select what is shown: the
/// computation always runs over the whole plan.
struct Filter {
  std::vector<std::string> milestones;  ///< --milestone ID
  std::vector<std::string> people;      ///< --person ID
  std::vector<std::string> tags;        ///< --tag TAG
  std::vector<std::string> statuses;    ///< --status S (todo, doing, done, dropped)

  bool empty() const { return milestones.empty() && people.empty() && tags.empty() && statuses.empty(); }
};

/// The filter as the command line gave it ("--milestone M1 --tag ui"), for headings; "" when empty.
std::string describe(const Filter& filter);

/// The filter's problems with the plan: each milestone or person id, or tag, it names that the plan
/// does not have, as "unknown milestone 'M9' (--milestone); did you mean 'M1'?"; empty when it is fine.
std::vector<std::string> problems(const Filter& filter, const model::Plan& plan, const index::PlanIndex& index);

/// Per item (index into plan.items): whether it matches. Its person is the one the schedule gives it,
/// else its assignee.
std::vector<bool> items(const Filter& filter, const model::Plan& plan, const index::PlanIndex& index,
                        const schedule::Schedule& schedule);

/// Keeps the rows of each result that match; `matched` is what `items` returned.
void apply(const Filter& filter, const std::vector<bool>& matched, priority::Ranking& ranking);
void apply(const Filter& filter, const model::Plan& plan, const index::PlanIndex& index,
           const std::vector<bool>& matched, schedule::Schedule& schedule);
/// Milestone rows of a forecast, which stand parallel to the schedule's (filter both, or neither).
void apply(const Filter& filter, const model::Plan& plan, const index::PlanIndex& index,
           const std::vector<bool>& matched, forecast::Forecast& forecast);
/// Risks that affect a matching item or milestone (through items too) and, with --person, that person owns.
void apply(const Filter& filter, const model::Plan& plan, const index::PlanIndex& index,
           const std::vector<bool>& matched, risks::Report& report);
/// Burn-ups of the milestones that match, as the milestone rows.
void apply(const Filter& filter, const model::Plan& plan, const index::PlanIndex& index,
           const std::vector<bool>& matched, flow::Flow& flow);
/// People given with --person (all without it); the item options select whose effort counts, which
/// `workload::compute` takes as `counted`.
void apply(const Filter& filter, const model::Plan& plan, workload::Load& load);

}  // namespace tandem::filter
