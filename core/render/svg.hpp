#pragma once
#include <cstddef>
#include <string>

#include "core/render/report_data.hpp"

namespace tandem::report {

/// The Gantt chart of the report as inline SVG (at most `max_items` bars, see chart_tasks) with a row per
/// milestone (planned finish as a diamond, target as a dashed line or a note at the edge); a paragraph
/// saying so when nothing is scheduled.
std::string gantt_svg(const Inputs& in, std::size_t max_items);

/// The forecast histogram of milestone `k` of the forecast (which must exist) in a <figure>: finish dates
/// of the runs in at most 40 bins, P50, P85 and the target marked.
std::string histogram_svg(const Inputs& in, std::size_t k);

/// One milestone's burn-up in a <figure>: scope (grey) and done (green) items at the end of each week.
std::string burnup_svg(const Inputs& in, const flow::BurnUp& burnup);

/// Items done per week as bars in a <figure> (the flow must exist).
std::string throughput_svg(const Inputs& in);

}  // namespace tandem::report
