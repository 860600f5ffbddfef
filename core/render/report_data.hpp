#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/base/table.hpp"
#include "core/engine/forecast.hpp"
#include "core/engine/priority.hpp"
#include "core/engine/risks.hpp"
#include "core/engine/schedule.hpp"
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
  forecast::Options forecast_options;
  risks::Report risks;
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
/// A chance (0..1) as a whole percentage ("85%"), or "" without one.
std::string chance_text(const std::optional<double>& chance);

/// Milestones in schedule order: id, title, target, planned finish, status, P85, chance (right-aligned).
Table milestone_table(const Inputs& in);
/// The first `n` items of the ranking: rank, id, title, score, status.
Table priority_table(const Inputs& in, std::size_t n);
/// The first `n` open risks: rank, id, title, exposure, band, owner, review (with " (overdue)").
Table risk_table(const Inputs& in, std::size_t n);
/// The recent changes' window: from `since` (or `recent_days` before today) to today, both included.
history::Window recent_window(const Inputs& in);
/// The recent changes' heading: "Changes in the last 14 days", or "Changes since 2027-01-04" with --since.
std::string recent_heading(const Inputs& in);
/// Why the recent changes show no table ("No changes to the plan.", "No commits yet: …"), or "" when they do.
std::string recent_none(const Inputs& in);
/// The first `n` recent changes: date, commit, who, change; no rows outside a git repository.
Table recent_table(const Inputs& in, std::size_t n);
/// The risk heat map, probability 5 (top) to 1 by impact 1 to 5: counts, "" for none.
Table heat_table(const Inputs& in);

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
