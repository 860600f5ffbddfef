#pragma once
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/engine/forecast.hpp"
#include "core/engine/load.hpp"
#include "core/engine/priority.hpp"
#include "core/render/findings.hpp"
#include "core/engine/risks.hpp"
#include "core/engine/schedule.hpp"
#include "core/engine/status.hpp"

namespace tandem::render {

// `scope` ("--tag ui", filter::describe) says in the text and markdown headings which filter chose the rows.

/// The priority ranking (text, json, csv, markdown); `limit` rows at most (0: all).
std::string priority(const model::Plan& plan, const priority::Ranking& ranking, Format format, std::size_t limit,
                     std::string_view scope = {});
/// The schedule: items, milestones (with `statuses`, by index into plan.milestones: the one status of
/// `status::judge_all`), unschedulable items.
std::string schedule(const model::Plan& plan, const schedule::Schedule& schedule,
                     const std::vector<status::Status>& statuses, Format format, std::string_view scope = {});
/// The forecast per milestone, with each one's status (`statuses` as for `schedule`) and share done.
std::string forecast(const model::Plan& plan, const forecast::Forecast& forecast, const schedule::Schedule& schedule,
                     const std::vector<status::Status>& statuses, const forecast::Options& options, Format format,
                     std::string_view scope = {});
/// `forecast --format json` without usable history: the keys of `forecast`, no milestones, and `note`
/// saying why (which is null in a forecast).
std::string forecast_without_history(Date start, const forecast::Options& options, std::string_view reason);
/// A milestone's status in JSON (SPEC 11), as every command writes it: `status` (on_track, at_risk,
/// late, unknown), `late_by` (null unless late), `plan_only` and `why` (null unless unknown with a
/// reason), added to `row`.
void status_json(nlohmann::json& row, const status::Status& st);
/// The status that `status_json` wrote in `row` (its text, word and key as the original's; no chance).
status::Status status_from_json(const nlohmann::json& row);
/// A milestone's share done as people read it: "3/5 (60%)", or "" without items.
std::string done_text(std::size_t done, std::size_t scope);
/// The share done (0..1) rounded to 4 decimals for JSON, or nothing without items.
std::optional<double> done_share(std::size_t done, std::size_t scope);
/// The "to go" cell of a forecast row: "11 (incl. 10 ranked before it)", or "1" when none is.
std::string to_go_text(std::size_t items, std::size_t ranked_before);
/// Which throughput history the forecast sampled: "15 items done on 25 workdays since the first
/// completion on 2026-11-02" (a first completion on a non-workday: "… since the first completion on
/// 2026-11-07 (not a workday: counted on 2026-11-09)"), or "… on 64 workdays in the last 90 days (since
/// 2026-09-08)".
std::string history_text(const forecast::Forecast& forecast, const forecast::Options& options);
/// Per person and period: effort, capacity, utilisation, idle and overloaded (text, json, csv, markdown).
std::string load(const model::Plan& plan, const workload::Load& load, Format format, std::string_view scope = {});
/// A utilisation as a whole percentage ("85%"), or "-" without capacity.
std::string utilisation_text(const std::optional<double>& utilisation);
/// A period as people name it: "sprint 3" or "week of 2027-01-04".
std::string period_name(const workload::Period& period);

/// The risk ranking and heat map.
/// `scope` ("--milestone M1") says which filter chose the rows, for the heading.
std::string risks(const model::Plan& plan, const risks::Report& report, Format format, bool overdue_only = false,
                  std::string_view scope = {});

}  // namespace tandem::render
