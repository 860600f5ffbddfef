#pragma once
#include <string>
#include <string_view>

#include "core/render/findings.hpp"
#include "core/render/mermaid.hpp"
#include "core/render/report_data.hpp"

namespace tandem::report {

/// The status report of SPEC section 8 in text, json or markdown (with a Mermaid gantt chart); any other
/// format gives text.
std::string render(const Inputs& in, render::Format format);

/// The report as aligned text tables (report_text.cpp).
std::string render_text(const Inputs& in);
/// The report as GitHub-flavoured markdown with a Mermaid gantt chart (report_text.cpp).
std::string render_markdown(const Inputs& in);
/// The report as one JSON document, two-space indented, ending in a newline (report_json.cpp).
std::string render_json(const Inputs& in);
/// The report as one self-contained HTML file (no external script, font or stylesheet) (report_html.cpp).
std::string render_html(const Inputs& in);

/// Text escaped for HTML and SVG (&, <, >, ", ').
std::string html_escape(std::string_view s);

}  // namespace tandem::report
