#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/engine/forecast.hpp"
#include "core/git/recent.hpp"
#include "core/engine/priority.hpp"
#include "core/render/findings.hpp"
#include "core/engine/risks.hpp"
#include "core/engine/schedule.hpp"

namespace tandem::report {

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
  int recent_days = 14;
  std::vector<std::string> shallow_cut;  ///< commits left out of `recent`: a shallow clone begins there
};

/// The status report of SPEC section 8 in text, json or markdown (with a Mermaid gantt chart).
std::string render(const Inputs& in, render::Format format);
/// The sentence saying which commits the recent changes leave out because a shallow clone begins
/// there, or "" when none.
std::string shallow_note(const Inputs& in);

/// The report as one self-contained HTML file (no external script, font or stylesheet).
std::string render_html(const Inputs& in);

/// The Mermaid gantt chart alone (markdown output embeds it): ids made safe, titles escaped,
/// milestones as milestones, the critical chain marked `crit`.
std::string mermaid_gantt(const Inputs& in, std::size_t max_items = 60);

/// Text escaped for HTML and SVG (&, <, >, ", ').
std::string html_escape(std::string_view s);

}  // namespace tandem::report
