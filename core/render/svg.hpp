#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "core/render/report_data.hpp"

namespace tandem::report {

/// The width in px of `text` at `font` px in a sans-serif font, rather more than less: Latin letters,
/// digits and spaces by their class, emoji as 1.3 em, any other character as a whole em.
double label_width(std::string_view text, double font);

/// The kind of a milestone status (SPEC 8) from its words: "late" (`late by N workdays`), "risk"
/// (`at risk`), "ok" (`on track`), "unknown" (`unknown…`), or "" for any other text.
std::string_view status_kind(std::string_view status);
/// The colour of a milestone status in charts (#rrggbb): red late, amber at risk, green on track, grey else.
std::string status_colour(std::string_view status);
/// The status as HTML: its words in a <span class="st st-KIND"> coloured by kind, escaped text otherwise.
std::string status_badge(std::string_view status);
/// The status of milestone `id` as the report's milestone table gives it (the one status of SPEC 8), or "".
std::string milestone_status(const Inputs& in, const std::string& id);

/// The Gantt chart of the report as inline SVG, drawn at its size (12 px labels): a row per item (at most
/// `max_items`, see chart_tasks) with its bar and, beside it, its id, title and person; a row per milestone
/// among them (after the items that start by its planned finish) with its planned finish as a diamond in
/// its status colour beside its status in words, its target as a dashed line (or named beside it when off
/// the axis); week lines and today's line. A paragraph saying so when nothing is scheduled.
std::string gantt_svg(const Inputs& in, std::size_t max_items);

/// The forecast histogram of milestone `k` of the forecast (which must exist) in a <figure>: finish dates
/// of the runs in at most 40 bins, P50, P85 and the target marked.
std::string histogram_svg(const Inputs& in, std::size_t k);

/// One milestone's burn-up in a <figure>, 320 × 180 px: scope (grey) and done (green) items at the end of
/// each week.
std::string burnup_svg(const Inputs& in, const flow::BurnUp& burnup);

/// Items done per week as bars in a <figure> of 320 × 180 px (the flow must exist).
std::string throughput_svg(const Inputs& in);

}  // namespace tandem::report
