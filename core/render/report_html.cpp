#include <fmt/format.h>

#include "core/base/text.hpp"
#include "core/render/report.hpp"
#include "core/render/svg.hpp"
#include "core/render/tables.hpp"

namespace tandem::report {

namespace {

constexpr const char* k_css = R"(
:root{--fg:#1d2430;--muted:#5b6575;--line:#d8dde5}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);margin:0 auto;max-width:1100px;padding:16px}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h2 a{color:inherit;text-decoration:none}h2 a:hover::after{content:" #";color:var(--muted)}
nav.toc ol{margin:.3em 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:2px 16px}nav.toc a{color:#2456a6}
.muted{color:var(--muted)}table{border-collapse:collapse;width:100%;margin:.4em 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;background:#f4f6f9}td.num,th.num{text-align:right}.scroll{overflow-x:auto;max-width:100%}
svg{display:block;max-width:none}svg text{font:12px system-ui,sans-serif;fill:var(--fg)}
td.text{min-width:11em}.nw{white-space:nowrap}svg.hist text{font-size:13px}
.gantt text.lbl{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.charts{display:flex;flex-wrap:wrap;gap:8px 28px}.charts figure{width:320px}
.st{display:inline-block;white-space:nowrap;padding:0 6px;border-radius:4px;font-weight:600}
.st-late{background:#fde2e1;color:#a1201a}.st-risk{background:#fff0c2;color:#7a4f00}.st-ok{background:#dff3e0;color:#1e6b23}
.st-unknown{background:#eceff3;color:#4a5363}
.heat td{text-align:center;width:16%}
figure{margin:0 0 12px}
@media (max-width:600px){body{font-size:14px;padding:8px}th,td{padding:3px 6px}}
@media print{body{max-width:none}h2{break-after:avoid}svg,table{break-inside:avoid}nav.toc{display:none}svg{max-width:100%;height:auto}}
)";

std::string percent_of(std::size_t a, std::size_t b) { return b ? fmt::format("{}", a * 100 / b) : "0"; }

std::string muted(std::string_view text) { return fmt::format("<p class=\"muted\">{}</p>\n", text); }

/// Whether a cell must not wrap: a date ("2027-02-15", "2027-02-15 (overdue)") or an id ("CARD-1").
bool keep_on_one_line(const std::string& header, const std::string& cell) {
  auto digit = [&](std::size_t i) { return i < cell.size() && cell[i] >= '0' && cell[i] <= '9'; };
  bool date = cell.size() >= 10 && digit(0) && digit(1) && digit(2) && digit(3) && cell[4] == '-' && digit(5) &&
              digit(6) && cell[7] == '-' && digit(8) && digit(9);
  return date || header == "id" || header == "milestone" || header == "commit" || header == "rank";
}

/// An HTML table's class for column `c`: "num" when right-aligned, " nw" when the cell must not wrap,
/// " text" for a title (kept wide enough to read when the table is squeezed: it scrolls instead).
std::string column_class(const Table& t, std::size_t c, const std::string& cell = {}) {
  bool num = c < t.right.size() && t.right[c];
  bool nw = keep_on_one_line(t.headers[c], cell);
  return std::string(num ? "num" : "") + (nw ? " nw" : "") + (t.headers[c] == "title" ? " text" : "");
}

/// A table cell's content: a milestone status (column "status") as its coloured words, else the text.
std::string cell_html(const std::string& header, const std::string& cell) {
  return header == "status" ? status_badge(cell) : html_escape(cell);
}

/// An HTML table in a box that scrolls sideways when the table is wider (every column is kept); with a
/// `summary`, folded in a <details> element that shows it as its title.
std::string html_table(const Table& t, const std::string& summary = {}) {
  std::string out = summary.empty() ? "<div class=\"scroll\"><table><thead><tr>"
                                    : "<details><summary>" + html_escape(summary) +
                                          "</summary><div class=\"scroll\"><table><thead><tr>";
  for (std::size_t c = 0; c < t.headers.size(); ++c)
    out += fmt::format("<th class=\"{}\">{}</th>", column_class(t, c), html_escape(t.headers[c]));
  out += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < t.headers.size(); ++c) {
      std::string cell = c < row.size() ? row[c] : "";
      out += fmt::format("<td class=\"{}\">{}</td>", column_class(t, c, cell), cell_html(t.headers[c], cell));
    }
    out += "</tr>";
  }
  return out + "</tbody></table></div>" + (summary.empty() ? "" : "</details>") + "\n";
}

std::string heatmap_html(const Inputs& in) {
  std::string out = "<div class=\"scroll\"><table class=\"heat\"><thead><tr><th>probability \\ impact</th>";
  for (int i = 1; i <= 5; ++i) out += fmt::format("<th>{}</th>", i);
  out += "</tr></thead><tbody>";
  for (int p = 5; p >= 1; --p) {
    out += fmt::format("<tr><th>{}</th>", p);
    for (int i = 1; i <= 5; ++i) {
      int n = in.risks.heatmap[static_cast<std::size_t>(p - 1)][static_cast<std::size_t>(i - 1)];
      int e = p * i;
      const char* bg = e >= 15 ? "#f2b8b5" : e >= 10 ? "#f7d3a6" : e >= 5 ? "#fbeaa5" : "#d7ecd4";
      out += fmt::format("<td style=\"background:{}\" title=\"exposure {} ({})\">{}</td>", bg, e, risks::band(e),
                         n ? std::to_string(n) : "");
    }
    out += "</tr>";
  }
  return out + "</tbody></table></div>\n";
}

/// The document's head and the report's title line.
std::string html_head(const Inputs& in) {
  std::string title = "Status report: " + text_of(in.plan->config.project_name);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n", html_escape(title), k_css);
  out += fmt::format("<h1>{}</h1>\n<p class=\"muted\">{} · {} undone items · {} planned until {}</p>\n",
                     html_escape(title), to_string(in.today), in.ranking.rows.size(), in.schedule.tasks.size(),
                     date_text(in.schedule.finish, "-"));
  return out;
}

/// The Gantt chart, its legend and, when it leaves items out, a note and a folded table of the others.
std::string schedule_section(const Inputs& in) {
  std::string out;
  std::size_t bars = gantt_bars(in), shown = std::min(in.schedule.tasks.size(), bars);
  std::size_t critical = critical_count(in), all = in.schedule.tasks.size();
  // Wider than a phone: the chart scrolls sideways (as the tables do) rather than shrink its labels.
  out += "<div class=\"scroll gantt\">" + gantt_svg(in, bars) + "</div>\n";
  if (all)
    out += muted("Bars: items, with the person working on each; red, labelled in bold: the critical chain. Diamonds: planned "
                 "milestone finish, in the colour of the milestone's status; dashed lines: targets; orange line: today.");
  if (shown >= all) return out;
  std::string what = critical <= shown
                         ? fmt::format("the critical chain ({} item{}) and the earliest of the other items", critical,
                                       critical == 1 ? "" : "s")
                         : fmt::format("the first {} of the {} items of the critical chain", shown, critical);
  out += muted(fmt::format("The chart shows {}: {} of {} scheduled items ({}%); the table below lists the others.",
                           what, shown, all, percent_of(shown, all)));
  return out + html_table(rest_table(in, chart_tasks(in, bars)), fmt::format("The other {} scheduled items", all - shown));
}

std::string forecast_section(const Inputs& in) {
  std::string out;
  if (!in.forecast) return muted("No forecast: no usable throughput history.");
  out += muted(fmt::format("{} runs from {} on the throughput of {}.", in.forecast_options.runs,
                           to_string(in.forecast->start), render::history_text(*in.forecast, in.forecast_options)));
  for (std::size_t k = 0; k < in.forecast->milestones.size(); ++k) out += histogram_svg(in, k);
  return out;
}

/// Load as a heat strip: one row per person, one cell per period, shaded by utilisation (white idle,
/// blue busy, red overloaded).
std::string load_section(const Inputs& in) {
  if (in.load.people.empty()) return muted("Nobody has capacity.");
  Table t = load_table(in);
  std::string out = "<div class=\"scroll\"><table class=\"load\"><thead><tr>";
  for (const auto& h : t.headers) out += "<th>" + html_escape(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (std::size_t r = 0; r < in.load.people.size(); ++r) {
    out += "<tr><th>" + html_escape(t.rows[r][0]) + "</th>";
    for (std::size_t k = 1; k < t.headers.size(); ++k) {
      const auto& p = in.load.people[r].periods[k - 1];
      double u = p.utilisation.value_or(0);
      std::string bg = p.overloaded ? "#f2b8b5" : fmt::format("rgba(63,115,201,{:.2f})", std::min(1.0, u) * 0.6);
      out += fmt::format("<td class=\"num\" style=\"background:{}\" title=\"{} to {}: {} of {} workdays\">{}</td>", bg,
                         to_string(p.start), to_string(p.end), format_number(p.effort, 1), format_number(p.capacity, 1),
                         html_escape(t.rows[r][k]));
    }
    out += "</tr>";
  }
  return out + "</tbody></table></div>\n" + muted("Below 50%: idle; !: overloaded (an assigned item due in the period finishes after it).");
}

std::string flow_section(const Inputs& in) {
  std::string out;
  if (!in.flow) return muted("No flow figures.");
  if (!in.recent || !in.recent_note.empty()) out += muted(html_escape("Burn-up: " + burnup_none(in)));
  out += "<div class=\"charts\">\n";
  for (const auto& b : in.flow->burnups) out += burnup_svg(in, b);
  out += throughput_svg(in) + "</div>\n";
  return out + muted(html_escape(cycle_text(in)));
}

std::string violations_section(const Inputs& in) {
  std::string problems = violations_problems(in);
  if (!problems.empty()) problems = muted(html_escape(problems));
  if (auto none = violations_none(in); !none.empty()) return muted(html_escape(none)) + problems;
  return html_table(violations_table(in)) + problems;
}

std::string recent_section(const Inputs& in) {
  std::string out;
  if (auto none = recent_none(in); !none.empty()) out += muted(html_escape(none));
  else out += html_table(recent_table(in, 50));
  if (auto note = shallow_note(in); !note.empty()) out += muted(note);
  return out;
}

}  // namespace

std::string html_escape(std::string_view s) { return xml_escape(s); }

std::string render_html(const Inputs& in) {
  struct Section {
    const char* id;
    std::string title, body;
  };
  std::vector<Section> sections{
      {"milestones", "Milestones",
       in.schedule.milestones.empty() ? muted("No milestones.") : html_table(milestone_table(in))},
      {"schedule", "Schedule", schedule_section(in)},
      {"forecast", "Forecast", forecast_section(in)},
      {"priorities", "Top priorities",
       in.ranking.rows.empty() ? muted("No undone items.") : html_table(priority_table(in, 10))},
      {"load", fmt::format("Load (utilisation per {})", in.load.sprints ? "sprint" : "week"), load_section(in)},
      {"flow", "Burn-up and flow", flow_section(in)},
      {"risks", "Risks",
       in.risks.rows.empty() ? muted("No open risks.") : heatmap_html(in) + html_table(risk_table(in, k_top_risks)) +
                                                           (risks_cut(in).empty() ? "" : muted(html_escape(risks_cut(in))))},
      {"violations", violations_heading(in), violations_section(in)},
      {"changes", recent_heading(in), recent_section(in)},
  };
  // A table of contents, and each heading a link to itself, so that a section can be linked to.
  std::string out = html_head(in) + "<nav class=\"toc\" aria-label=\"Contents\"><ol>";
  for (const auto& s : sections) out += fmt::format("<li><a href=\"#{}\">{}</a></li>", s.id, html_escape(s.title));
  out += "</ol></nav>\n";
  for (const auto& s : sections)
    out += fmt::format("<section id=\"{0}\"><h2><a href=\"#{0}\">{1}</a></h2>\n{2}</section>\n", s.id,
                       html_escape(s.title), s.body);
  return out + "</body>\n</html>\n";
}

}  // namespace tandem::report
