#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plan/model.hpp"
#include "core/engine/forecast.hpp"
#include "core/engine/schedule.hpp"

/// The one status of a milestone (SPEC 8), which every output shows: `schedule`, `forecast`, `report`
/// in every format, `diff`, and the HTML report's colours and Gantt diamonds.
namespace tandem::status {

enum class Kind { on_track, at_risk, late, unknown };

struct Status {
  Kind kind = Kind::unknown;
  int late_by = 0;                ///< team workdays after the target, when late
  std::string why;                ///< why it is unknown (an unschedulable item, no target, no items)
  bool plan_only = false;         ///< there is no throughput history: the plan alone decides
  std::optional<double> chance;   ///< the forecast's chance of meeting the target, when there is one

  /// The word: "on track", "at risk", "late by 1 workday", "late by N workdays" or "unknown".
  std::string word() const;
  /// The word with why it is unknown (": …") and "(plan only: no throughput history)" where it applies.
  std::string text() const;
  /// The JSON spelling (SPEC 11): on_track, at_risk, late, unknown.
  std::string_view key() const;
  /// Whether `--fail-on-late` (late) or `--fail-on-risk` (late or at risk) fails on it.
  bool fails(bool on_risk) const { return kind == Kind::late || (on_risk && kind == Kind::at_risk); }
};

/// The one status of a milestone: `late by N workdays` when the plan (the schedule) misses the target;
/// `at risk` when the plan meets it but the forecast gives less than a 50 % chance; `on track` else;
/// `unknown` with the schedule's reason (unschedulable items, no target, no items). Without a forecast
/// (`forecast` null: no throughput history) the plan alone decides and the status says so.
Status judge(const schedule::MilestoneRow& row, const forecast::MilestoneForecast* forecast, bool plan_only);

/// The status of every milestone of the plan, by index into plan.milestones, from the whole schedule
/// and forecast (before any filter): the one computation every output calls.
std::vector<Status> judge_all(const model::Plan& plan, const schedule::Schedule& schedule,
                              const std::optional<forecast::Forecast>& forecast);

/// The exit code of `--fail-on-late` / `--fail-on-risk`: 1 when a committed milestone fails, else 0.
int exit_code(const model::Plan& plan, const std::vector<Status>& statuses, bool fail_on_late, bool fail_on_risk);

}  // namespace tandem::status
