#pragma once
#include <string>

#include "core/engine/forecast.hpp"
#include "core/engine/load.hpp"
#include "core/engine/priority.hpp"
#include "core/render/findings.hpp"
#include "core/engine/risks.hpp"
#include "core/engine/schedule.hpp"

namespace tandem::render {

// `scope` ("--tag ui", filter::describe) says in the text and markdown headings which filter chose the rows.

/// The priority ranking (text, json, csv, markdown); `limit` rows at most (0: all).
std::string priority(const model::Plan& plan, const priority::Ranking& ranking, Format format, std::size_t limit,
                     std::string_view scope = {});
/// The schedule: items, milestones, unschedulable items.
std::string schedule(const model::Plan& plan, const schedule::Schedule& schedule, Format format,
                     std::string_view scope = {});
/// The forecast per milestone.
std::string forecast(const model::Plan& plan, const forecast::Forecast& forecast, const forecast::Options& options,
                     Format format, std::string_view scope = {});
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
