#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "core/render/report_data.hpp"

namespace tandem::report {

/// The Mermaid gantt chart of the report (markdown output embeds it): ids made safe, titles escaped,
/// milestones as milestones, the critical chain marked `crit`; `max_items` tasks at most.
std::string mermaid_gantt(const Inputs& in, std::size_t max_items = 60);

/// A Mermaid `xychart-beta` of one milestone's burn-up: the scope and the done items per week, as two
/// lines (scope first), y from 0 to the largest scope.
std::string mermaid_burnup(const Inputs& in, const flow::BurnUp& burnup);
/// A Mermaid `xychart-beta` bar chart of the items done per week.
std::string mermaid_throughput(const Inputs& in);

/// Text for a Mermaid gantt task or section name: no characters Mermaid treats as syntax, at most 60
/// bytes (then "…"), no leading blanks; "untitled" when nothing is left.
std::string mermaid_text(std::string_view s);
/// A Mermaid task id: `prefix` then the tandem id with `_` → `__`, `.` → `_o`, `-` → `_h` and any other
/// character that is not a letter or digit → `_xHH`, so that two different ids never give the same one.
std::string mermaid_id(std::string_view prefix, std::string_view id);

}  // namespace tandem::report
