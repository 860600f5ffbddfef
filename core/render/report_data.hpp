#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/base/table.hpp"
#include "core/engine/flow.hpp"
#include "core/engine/forecast.hpp"
#include "core/engine/load.hpp"
#include "core/engine/priority.hpp"
#include "core/engine/risks.hpp"
#include "core/engine/schedule.hpp"
#include "core/engine/status.hpp"
#include "core/git/recent.hpp"

namespace tandem::report {

/// One change to the plan in the recent history.
/// One change to the plan in the recent history (computed by core/git/recent).
using RecentChange = history::RecentChange;

/// Everything the status report shows, computed by the engines.
struct Inputs {
  const model::Plan* plan = nullptr;
  Date today;
  priority::Ranking ranking;
  schedule::Schedule schedule;
  std::optional<forecast::Forecast> forecast;  ///< nullopt without usable history
  /// The one status of each milestone (by index into plan.milestones), from `status::judge_all` on the
  /// whole schedule and forecast; empty: judged row by row from `schedule` and `forecast`.
  std::vector<status::Status> statuses;
  forecast::Options forecast_options;
  risks::Report risks;
  workload::Load load;                         ///< per person and period
  std::optional<flow::Flow> flow;              ///< burn-up, throughput, cycle time; nullopt without history
  /// The window's ownership violations: `audit B..T`'s (history::window_range); nullopt outside a
  /// git repository, or when they could not be judged (`violations_note` says why).
  std::optional<std::vector<audit::Violation>> violations;
  std::optional<git::Range> violations_range;  ///< the range judged, when there is history
  std::string violations_note;                 ///< why the violations could not be judged, or ""
  std::size_t violations_problems = 0;         ///< errors that also fail `audit` of the range (unparsed versions…)
  std::optional<std::vector<RecentChange>> recent;  ///< nullopt outside a git repository
  int recent_days = 14;                        ///< the recent changes' window by default: the last days to today
  std::optional<Date> since;                   ///< its first day instead (--since)
  std::string recent_note;                     ///< why there is no history to show ("no commits yet…"), or empty
  std::vector<std::string> shallow_cut;  ///< commits left out of `recent`: a shallow clone begins there
};

// The report's content as tables and lists, shared by every output family (text, markdown, HTML, JSON).

/// The field's text, or "" when it is not set.
std::string text_of(const model::Field<std::string>& field);
/// The date as YYYY-MM-DD, or `none` without one.
std::string date_text(const std::optional<Date>& date, const char* none = "");
/// A chance (0..1) as `forecast::chance_text` writes it, or "" without one.
std::string chance_text(const std::optional<double>& chance);

/// The one status of the milestone of schedule row `row` (`in.statuses`, else `status::judge` on the row).
status::Status milestone_status(const Inputs& in, const schedule::MilestoneRow& row);
/// The forecast row of milestone `milestone` (index into plan.milestones), or null without one.
const forecast::MilestoneForecast* milestone_forecast(const Inputs& in, std::size_t milestone);

/// Milestones in schedule order: id, title, target, planned finish, done (done/scope), status, P85,
/// chance (right-aligned).
Table milestone_table(const Inputs& in);
/// The first `n` items of the ranking: rank, id, title, score, status.
Table priority_table(const Inputs& in, std::size_t n);
/// The first `n` open risks: rank, id, title, exposure, band, owner, review (with " (overdue)").
Table risk_table(const Inputs& in, std::size_t n);
/// Open risks the report lists in every format (the top ones; the heat map counts all).
inline constexpr std::size_t k_top_risks = 5;
/// Under the risk table when it leaves risks out: "The top 5 of 8 open risks; `tandem risks` lists
/// all.", else "".
std::string risks_cut(const Inputs& in);
/// Periods at most in the report's load table (the first ones: what is planned next).
inline constexpr std::size_t k_load_periods = 6;
/// Utilisation per person (rows) and period (columns: "S3" for sprint 3, else the week's Monday),
/// the first `k_load_periods` periods; "!" marks an overloaded period, "idle" periods show as they are.
Table load_table(const Inputs& in);

/// Weeks at most in the text and markdown burn-up and throughput tables.
inline constexpr std::size_t k_flow_weeks = 6;
/// Burn-up per milestone: milestone, then "done/scope" at the end of each of the last weeks (columns:
/// the weeks' Mondays, MM-DD).
Table burnup_table(const Inputs& in);
/// Why there is no burn-up (it needs history): "skipped: the plan is not in a git repository.", or the
/// history's note ("no commits yet: commit the plan first.").
std::string burnup_none(const Inputs& in);
/// Items done in each of the last weeks: one row, "done", a column per week.
Table throughput_table(const Inputs& in);
/// "Cycle time (started → done): P50 3 days, P85 8 days, over 14 items.", or why there is none.
std::string cycle_text(const Inputs& in);
/// The violations heading: "Ownership violations in the last 14 days" (or "since DATE").
std::string violations_heading(const Inputs& in);
/// The window's violations: date, commit, who, change, needs. No rows outside git or when clean.
Table violations_table(const Inputs& in);
/// Why the violations show no table ("None." when clean), or "" when they do.
std::string violations_none(const Inputs& in);
/// What else fails the audit of the range (plan versions that did not parse…), or "".
std::string violations_problems(const Inputs& in);

/// The recent changes' window: from `since` (or `recent_days` before today) to today, both included.
history::Window recent_window(const Inputs& in);
/// The recent changes' heading: "Changes in the last 14 days", or "Changes since 2027-01-04" with --since.
std::string recent_heading(const Inputs& in);
/// Why the recent changes show no table ("No changes to the plan.", "No commits yet: …"), or "" when they do.
std::string recent_none(const Inputs& in);
/// The first `n` recent changes: date, commit, who, change; no rows outside a git repository.
Table recent_table(const Inputs& in, std::size_t n);
/// The risk heat map, probability 5 (top) to 1 by impact 1 to 5: counts, "" for none.
Table heat_table(const Inputs& in, std::string_view empty = "");

/// The tasks the charts show: the critical chain, then the earliest others, at most `max_items`, by start.
std::vector<const schedule::Task*> chart_tasks(const Inputs& in, std::size_t max_items);
/// The scheduled items that a chart of `shown` leaves out, in schedule order: id, title, person, start,
/// finish, float, critical.
Table rest_table(const Inputs& in, const std::vector<const schedule::Task*>& shown);
/// Number of scheduled items on the critical chain.
std::size_t critical_count(const Inputs& in);
/// Bars in the HTML Gantt chart: the whole critical chain up to 250, else the earliest items up to 80.
std::size_t gantt_bars(const Inputs& in);

/// The sentence saying which commits the recent changes leave out because a shallow clone begins
/// there, or "" when none.
std::string shallow_note(const Inputs& in);

}  // namespace tandem::report
