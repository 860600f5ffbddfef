#include "core/render/report.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

#include "core/render/tables.hpp"
#include "core/base/table.hpp"
#include "core/base/text.hpp"

namespace tandem::report {

namespace {

using model::Plan;

std::string str(const model::Field<std::string>& f) { return f.has() ? *f : ""; }
std::string date_or(const std::optional<Date>& d, const char* none = "") { return d ? to_string(*d) : none; }

std::string chance_text(const std::optional<double>& c) { return c ? format_number(*c * 100, 0) + "%" : ""; }

/// Rows of the milestone table: id, title, target, planned finish, P85, chance.
std::vector<std::vector<std::string>> milestone_rows(const Inputs& in) {
  std::vector<std::vector<std::string>> rows;
  for (std::size_t k = 0; k < in.schedule.milestones.size(); ++k) {
    const auto& m = in.schedule.milestones[k];
    const auto& ms = in.plan->milestones[m.milestone];
    std::optional<Date> p85;
    std::optional<double> chance;
    if (in.forecast) {
      p85 = in.forecast->milestones[k].p85;
      chance = in.forecast->milestones[k].chance;
    }
    std::string status = schedule::describe(m);
    if (m.status == schedule::MilestoneStatus::unknown) status += ": " + m.why;
    rows.push_back({str(ms.id), str(ms.title), ms.target.has() ? to_string(*ms.target) : "", date_or(m.finish), status,
                    date_or(p85), chance_text(chance)});
  }
  return rows;
}

Table milestone_table(const Inputs& in) {
  return Table{{"milestone", "title", "target", "planned finish", "status", "P85", "chance"},
               {false, false, false, false, false, false, true}, milestone_rows(in)};
}

Table priority_table(const Inputs& in, std::size_t n) {
  Table t{{"rank", "id", "title", "score", "status"}, {true, false, false, true}, {}};
  for (std::size_t k = 0; k < std::min(n, in.ranking.rows.size()); ++k) {
    const auto& row = in.ranking.rows[k];
    const auto& it = in.plan->items[row.item];
    t.rows.push_back({std::to_string(row.rank), *it.id, str(it.title), row.score ? format_number(*row.score) : "",
                      std::string(model::to_string(it.status_or_default()))});
  }
  return t;
}

Table risk_table(const Inputs& in, std::size_t n) {
  Table t{{"rank", "id", "title", "exposure", "band", "owner", "review"}, {true, false, false, true}, {}};
  for (std::size_t k = 0; k < std::min(n, in.risks.rows.size()); ++k) {
    const auto& row = in.risks.rows[k];
    const auto& r = in.plan->risks[row.risk];
    t.rows.push_back({std::to_string(row.rank), str(r.id), str(r.title), row.exposure ? std::to_string(*row.exposure) : "",
                      row.band, str(r.owner),
                      (r.review.has() ? to_string(*r.review) : "") + (row.overdue ? " (overdue)" : "")});
  }
  return t;
}

Table recent_table(const Inputs& in, std::size_t n) {
  Table t{{"date", "commit", "who", "change"}, {}, {}};
  if (!in.recent) return t;
  for (std::size_t k = 0; k < std::min(n, in.recent->size()); ++k) {
    const auto& c = (*in.recent)[k];
    t.rows.push_back({c.date, c.commit, c.who, c.what});
  }
  return t;
}

/// The tasks the charts show: the critical chain, then the earliest others, at most `max_items`, by start.
std::vector<const schedule::Task*> chart_tasks(const Inputs& in, std::size_t max_items) {
  std::vector<const schedule::Task*> all;
  for (const auto& t : in.schedule.tasks) all.push_back(&t);
  std::stable_sort(all.begin(), all.end(), [](const schedule::Task* a, const schedule::Task* b) {
    if (a->critical != b->critical) return a->critical;
    return a->start.date < b->start.date;
  });
  if (all.size() > max_items) all.resize(max_items);
  std::stable_sort(all.begin(), all.end(), [](const schedule::Task* a, const schedule::Task* b) {
    return std::make_pair(a->start.date, a->finish.date) < std::make_pair(b->start.date, b->finish.date);
  });
  return all;
}

/// Text for a Mermaid gantt task or section name: no characters Mermaid treats as syntax.
std::string mermaid_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case ':': out += " -"; break;
      case ';': out += ","; break;
      case '#': out += "No. "; break;
      case '\n': case '\r': case '\t': out += ' '; break;
      case '%': out += " percent"; break;
      case '<': out += "‹"; break;
      case '>': out += "›"; break;
      case '"': out += "'"; break;
      case '{': out += "("; break;
      case '}': out += ")"; break;
      case '`': out += "'"; break;
      default: out += c;
    }
  }
  std::string trimmed = ellipsize(out, 60);
  auto first = trimmed.find_first_not_of(' ');
  return first == std::string::npos ? "untitled" : trimmed.substr(first);
}

/// True when a line starting with `s` would be read by Mermaid's gantt lexer as a keyword, not a task
/// (its rules are case-insensitive and some need no space after the word: `gantt.1`, `topAxis-2`).
bool mermaid_keyword_start(std::string_view s) {
  static constexpr std::string_view k_keywords[] = {
      "gantt", "dateformat", "inclusiveenddates", "topaxis", "axisformat", "tickinterval", "includes", "excludes",
      "todaymarker", "weekday", "weekend", "title", "accdescription", "accdescr", "acctitle", "section", "click",
      "href", "call"};
  std::string lower;
  for (char c : s.substr(0, 20)) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto k : k_keywords)
    if (lower.starts_with(k)) return true;
  return false;
}

/// A task line's text: `ID title`, with "item " in front when the id would read as a Mermaid keyword.
std::string mermaid_task_text(std::string_view id, std::string_view title) {
  std::string text = mermaid_text(std::string(id) + " " + std::string(title));
  return mermaid_keyword_start(text) ? "item " + text : text;
}

/// A Mermaid task id: `prefix` then the tandem id with `_` → `__`, `.` → `_o`, `-` → `_h`, so that two
/// different ids (`A.1`, `A-1`, `A_1`) never give the same Mermaid id.
std::string mermaid_id(std::string_view prefix, std::string_view id) {
  std::string out(prefix);
  for (char c : id) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += c;
    else if (c == '_') out += "__";
    else if (c == '.') out += "_o";
    else if (c == '-') out += "_h";
    else out += fmt::format("_x{:02x}", static_cast<unsigned char>(c));
  }
  return out;
}

std::string percent_of(std::size_t a, std::size_t b) { return b ? fmt::format("{}", a * 100 / b) : "0"; }

}  // namespace

std::string html_escape(std::string_view s) { return xml_escape(s); }

std::string mermaid_gantt(const Inputs& in, std::size_t max_items) {
  std::string out = "gantt\n";
  out += fmt::format("    title {}\n", mermaid_text(str(in.plan->config.project_name)));
  out += "    dateFormat YYYY-MM-DD\n    axisFormat %d %b\n";
  auto tasks = chart_tasks(in, max_items);
  std::map<std::string, std::vector<const schedule::Task*>> by_milestone;
  std::vector<std::string> order;
  for (const auto* t : tasks) {
    std::string m = str(in.plan->items[t->item].milestone);
    if (!by_milestone.count(m)) order.push_back(m);
    by_milestone[m].push_back(t);
  }
  for (const auto& m : order) {
    std::string name = m.empty() ? "No milestone" : m;
    for (const auto& ms : in.plan->milestones)
      if (ms.id.has() && *ms.id == m) name = m + " " + str(ms.title);
    out += fmt::format("    section {}\n", mermaid_text(name));
    for (const auto* t : by_milestone[m]) {
      const auto& it = in.plan->items[t->item];
      out += fmt::format("    {} :{}{}, {}, {}\n", mermaid_task_text(*it.id, str(it.title)),
                         t->critical ? "crit, " : "", mermaid_id("t_", *it.id), to_string(t->start.date),
                         to_string(t->finish.date + 1));
    }
  }
  bool any_milestone = false;
  for (const auto& row : in.schedule.milestones) {
    const auto& ms = in.plan->milestones[row.milestone];
    if (!ms.target.has() && !row.finish) continue;
    if (!any_milestone) out += "    section Milestones\n";
    any_milestone = true;
    if (ms.target.has())
      out += fmt::format("    {} :milestone, {}, {}, 0d\n", mermaid_task_text(str(ms.id), "target"),
                         mermaid_id("mt_", str(ms.id)), to_string(*ms.target));
    if (row.finish)
      out += fmt::format("    {} :milestone, {}{}, {}, 0d\n", mermaid_task_text(str(ms.id), "planned"),
                         row.status == schedule::MilestoneStatus::late ? "crit, " : "", mermaid_id("mf_", str(ms.id)),
                         to_string(*row.finish));
  }
  return out;
}

std::string shallow_note(const Inputs& in) {
  if (in.shallow_cut.empty()) return "";
  return fmt::format("Left out: {} {}, where this shallow clone begins (the parent is not here); fetch more history "
                     "to see {} (git fetch --deepen, or fetch-depth: 0 in GitHub Actions).",
                     in.shallow_cut.size() == 1 ? "commit" : "commits", fmt::join(in.shallow_cut, ", "),
                     in.shallow_cut.size() == 1 ? "its changes" : "their changes");
}

namespace {

std::string text_report(const Inputs& in) {
  std::string out = fmt::format("Status report: {} ({})\n\n", str(in.plan->config.project_name), to_string(in.today));
  out += "Milestones\n\n";
  out += in.schedule.milestones.empty() ? "No milestones.\n" : milestone_table(in).text();
  if (!in.forecast) out += "(no forecast: no usable throughput history)\n";
  out += "\nTop priorities\n\n";
  out += in.ranking.rows.empty() ? "No undone items.\n" : priority_table(in, 10).text();
  out += "\n" + render::risks(*in.plan, in.risks, render::Format::text);
  out += fmt::format("\nChanges in the last {} days\n\n", in.recent_days);
  if (!in.recent) out += "Skipped: the plan is not in a git repository.\n";
  else if (in.recent->empty()) out += "No changes to the plan.\n";
  else out += recent_table(in, 50).text();
  if (auto note = shallow_note(in); !note.empty()) out += note + "\n";
  return out;
}

/// Tasks at most in the markdown's Mermaid chart (code hosts render large charts slowly, or not at all).
constexpr std::size_t k_mermaid_tasks = 60;

std::string markdown_report(const Inputs& in) {
  std::string out = fmt::format("# Status report: {}\n\n*{}*\n\n", markdown_cell(str(in.plan->config.project_name)),
                                to_string(in.today));
  out += "## Milestones\n\n";
  out += in.schedule.milestones.empty() ? "No milestones.\n" : milestone_table(in).markdown();
  if (!in.forecast) out += "\n> No forecast: no usable throughput history.\n";
  if (in.schedule.tasks.empty()) out += "\nNothing is scheduled.\n";
  else out += "\n```mermaid\n" + mermaid_gantt(in, k_mermaid_tasks) + "```\n";
  if (in.schedule.tasks.size() > k_mermaid_tasks)
    out += fmt::format("\nThe chart shows {} of {} scheduled items: the critical chain first, then the earliest. "
                       "`tandem schedule` lists all.\n",
                       k_mermaid_tasks, in.schedule.tasks.size());
  out += "\n## Top priorities\n\n";
  out += in.ranking.rows.empty() ? "No undone items.\n" : priority_table(in, 10).markdown();
  out += "\n## Risks\n\n";
  if (in.risks.rows.empty()) {
    out += "No open risks.\n";
  } else {
    Table heat{{"probability \\ impact", "1", "2", "3", "4", "5"}, {false, true, true, true, true, true}, {}};
    for (int p = 5; p >= 1; --p) {
      std::vector<std::string> row{std::to_string(p)};
      for (int i = 1; i <= 5; ++i) {
        int n = in.risks.heatmap[static_cast<std::size_t>(p - 1)][static_cast<std::size_t>(i - 1)];
        row.push_back(n ? std::to_string(n) : "");
      }
      heat.rows.push_back(row);
    }
    out += heat.markdown() + "\n" + risk_table(in, 5).markdown();
  }
  out += fmt::format("\n## Changes in the last {} days\n\n", in.recent_days);
  if (!in.recent) out += "Skipped: the plan is not in a git repository.\n";
  else if (in.recent->empty()) out += "No changes to the plan.\n";
  else out += recent_table(in, 50).markdown();
  if (auto note = shallow_note(in); !note.empty()) out += "\n" + note + "\n";
  return out;
}

// ---- HTML -----------------------------------------------------------------------------------------

constexpr const char* k_css = R"(
:root{--fg:#1d2430;--muted:#5b6575;--line:#d8dde5;--bar:#3f73c9;--crit:#c7362f;--late:#c7362f;--ok:#2e7d32}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);margin:0 auto;max-width:1100px;padding:16px}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
.muted{color:var(--muted)}table{border-collapse:collapse;width:100%;margin:.4em 0}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;background:#f4f6f9}td.num,th.num{text-align:right}.scroll{overflow-x:auto}
svg{width:100%;height:auto;display:block}svg text{font:11px system-ui,sans-serif;fill:var(--fg)}
.heat td{text-align:center;width:16%}.late{color:var(--late);font-weight:600}.ok{color:var(--ok)}
.hist{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}
@media (max-width:600px){body{font-size:14px;padding:8px}th,td{padding:3px 4px}.wide{display:none}}
@media print{body{max-width:none}h2{break-after:avoid}svg,table{break-inside:avoid}}
)";

/// Bars in the HTML Gantt chart: the whole critical chain up to k_gantt_critical bars, and the earliest
/// other items up to k_gantt_bars in all; the other scheduled items go to a table under it.
constexpr std::size_t k_gantt_bars = 80;
constexpr std::size_t k_gantt_critical = 250;

std::size_t critical_count(const Inputs& in) {
  return static_cast<std::size_t>(std::count_if(in.schedule.tasks.begin(), in.schedule.tasks.end(),
                                                [](const schedule::Task& t) { return t.critical; }));
}

std::size_t gantt_bars(const Inputs& in) {
  return std::max(k_gantt_bars, std::min(critical_count(in), k_gantt_critical));
}

/// An HTML table; with a `summary`, folded in a <details> element that shows it as its title.
std::string html_table(const Table& t, const std::vector<bool>& hide_on_phone = {}, const std::string& summary = {}) {
  std::string out = summary.empty() ? "<div class=\"scroll\"><table><thead><tr>"
                                    : "<details><summary>" + html_escape(summary) +
                                          "</summary><div class=\"scroll\"><table><thead><tr>";
  for (std::size_t c = 0; c < t.headers.size(); ++c) {
    bool num = c < t.right.size() && t.right[c];
    bool wide = c < hide_on_phone.size() && hide_on_phone[c];
    out += fmt::format("<th class=\"{}{}\">{}</th>", num ? "num" : "", wide ? " wide" : "", html_escape(t.headers[c]));
  }
  out += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < t.headers.size(); ++c) {
      bool num = c < t.right.size() && t.right[c];
      bool wide = c < hide_on_phone.size() && hide_on_phone[c];
      std::string cell = c < row.size() ? row[c] : "";
      std::string cls = std::string(num ? "num" : "") + (wide ? " wide" : "") + (cell.starts_with("late") ? " late" : "");
      out += fmt::format("<td class=\"{}\">{}</td>", cls, html_escape(cell));
    }
    out += "</tr>";
  }
  return out + "</tbody></table></div>" + (summary.empty() ? "" : "</details>") + "\n";
}

/// The scheduled items that the Gantt chart leaves out (`shown`), in schedule order.
Table rest_table(const Inputs& in, const std::vector<const schedule::Task*>& shown) {
  std::vector<bool> in_chart(in.schedule.tasks.size(), false);
  for (const auto* t : shown) in_chart[static_cast<std::size_t>(t - in.schedule.tasks.data())] = true;
  Table table{{"id", "title", "person", "start", "finish", "float", "critical"}, {false, false, false, false, false, true}, {}};
  for (std::size_t k = 0; k < in.schedule.tasks.size(); ++k) {
    if (in_chart[k]) continue;
    const auto& t = in.schedule.tasks[k];
    const auto& it = in.plan->items[t.item];
    table.rows.push_back({*it.id, str(it.title), str(in.plan->config.people[t.person].id), to_string(t.start.date),
                          to_string(t.finish.date), format_number(t.total_float), t.critical ? "yes" : ""});
  }
  return table;
}

std::string gantt_svg(const Inputs& in, std::size_t max_items) {
  auto tasks = chart_tasks(in, max_items);
  if (tasks.empty()) return "<p class=\"muted\">Nothing is scheduled.</p>\n";
  // The axis covers the work and the planned milestones; targets far beyond it are drawn at its edge.
  Date start = in.schedule.start, end = start + 1;
  for (const auto* t : tasks) end = std::max(end, t->finish.date + 1);
  for (const auto& row : in.schedule.milestones)
    if (row.finish) end = std::max(end, *row.finish + 1);
  for (const auto& m : in.plan->milestones)
    if (m.target.has() && *m.target + 1 <= end + 14) end = std::max(end, *m.target + 1);
  end = end + 3;
  // Targets off the axis are written as text in a margin on their side, clear of the bars and diamonds.
  bool target_after = false, target_before = false;
  for (const auto& m : in.plan->milestones) {
    if (!m.target.has()) continue;
    target_after = target_after || *m.target + 1 > end;
    target_before = target_before || *m.target + 1 < start;
  }
  const double label_w = 270 + (target_before ? 120 : 0), width = 1000, row_h = 18, top = 24;
  const double day_w = (width - label_w - 10 - (target_after ? 120 : 0)) / std::max(1, end - start);
  const double height = top + row_h * static_cast<double>(tasks.size() + in.schedule.milestones.size()) + 12;
  auto x = [&](Date d) { return label_w + (d - start) * day_w; };
  std::string svg = fmt::format(
      "<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"Gantt chart of the schedule\" xmlns=\"http://www.w3.org/2000/svg\">\n",
      width, height);
  // Week lines, labelled on Mondays.
  int step = (end - start) > 200 ? 28 : (end - start) > 70 ? 14 : 7;
  for (Date d = start; d < end; d = d + 1) {
    if (d.weekday() != 0 || (d - start) % step >= 7 || x(d) > width - 40) continue;
    svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#e6e9ee\"/>"
                       "<text x=\"{0:.1f}\" y=\"14\">{3}</text>\n",
                       x(d), top - 6, height, to_string(d).substr(5));
  }
  double y = top;
  for (const auto* t : tasks) {
    const auto& it = in.plan->items[t->item];
    std::string label = ellipsize(*it.id + " " + str(it.title), 42);
    double x0 = x(t->start.date) + t->start.fraction * day_w;
    double x1 = x(t->finish.date) + std::max(0.05, t->finish.fraction) * day_w;
    svg += fmt::format("<text x=\"4\" y=\"{:.1f}\">{}</text>", y + 12, html_escape(label));
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" rx=\"2\" fill=\"{}\">"
                       "<title>{} {}: {} → {} ({}){}</title></rect>\n",
                       x0, y + 3, std::max(1.5, x1 - x0), row_h - 6, t->critical ? "#c7362f" : "#3f73c9",
                       html_escape(*it.id), html_escape(str(it.title)), to_string(t->start.date),
                       to_string(t->finish.date), html_escape(str(in.plan->config.people[t->person].id)),
                       t->critical ? ", critical chain" : "");
    y += row_h;
  }
  for (const auto& row : in.schedule.milestones) {
    const auto& ms = in.plan->milestones[row.milestone];
    svg += fmt::format("<text x=\"4\" y=\"{:.1f}\" font-weight=\"600\">◆ {}</text>", y + 12,
                       html_escape(ellipsize(str(ms.id) + " " + str(ms.title), 40)));
    if (ms.target.has() && *ms.target + 1 < start) {
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#555\">← target {}</text>\n", label_w - 116, y + 12,
                         to_string(*ms.target));
    } else if (ms.target.has() && *ms.target + 1 <= end) {
      double tx = x(*ms.target + 1);
      svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#555\" stroke-dasharray=\"3 3\">"
                         "<title>{3} target {4}</title></line>\n",
                         tx, top, y + row_h, html_escape(str(ms.id)), to_string(*ms.target));
    } else if (ms.target.has()) {
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\" fill=\"#555\">target {} →</text>\n",
                         width - 4, y + 12, to_string(*ms.target));
    }
    if (row.finish) {
      double fx = x(*row.finish + 1), cy = y + row_h / 2;
      bool late = row.status == schedule::MilestoneStatus::late;
      svg += fmt::format("<path d=\"M{0:.1f} {1:.1f}l6 6l-6 6l-6 -6z\" fill=\"{2}\"><title>{3} planned {4}{5}</title></path>\n",
                         fx, cy - 6, late ? "#c7362f" : "#2e7d32", html_escape(str(ms.id)), to_string(*row.finish),
                         late ? ", " + schedule::describe(row) : "");
    }
    y += row_h;
  }
  return svg + "</svg>\n";
}

std::string histogram_svg(const Inputs& in, std::size_t k) {
  const auto& mf = in.forecast->milestones[k];
  const auto& ms = in.plan->milestones[mf.milestone];
  std::string head = fmt::format("<figure><figcaption><b>{}</b> {}</figcaption>", html_escape(str(ms.id)),
                                 html_escape(str(ms.title)));
  if (mf.results.empty()) return head + "<p class=\"muted\">" + html_escape(mf.note.empty() ? "no forecast" : mf.note) + "</p></figure>\n";
  Date lo = mf.results.front(), hi = mf.results.back();
  if (ms.target.has()) lo = std::min(lo, *ms.target), hi = std::max(hi, *ms.target);
  int span = hi - lo + 1;
  int bin = std::max(1, (span + 39) / 40);
  int bins = (span + bin - 1) / bin;
  std::vector<std::size_t> counts(static_cast<std::size_t>(bins), 0);
  for (Date d : mf.results) ++counts[static_cast<std::size_t>((d - lo) / bin)];
  std::size_t peak = *std::max_element(counts.begin(), counts.end());
  const double w = 360, h = 140, base = 115, left = 8, bw = (w - 2 * left) / bins;
  std::string svg = fmt::format("<svg viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"Forecast histogram of {}\" "
                                "xmlns=\"http://www.w3.org/2000/svg\">\n",
                                w, h, html_escape(str(ms.id)));
  for (int b = 0; b < bins; ++b) {
    double bh = peak ? 95.0 * static_cast<double>(counts[static_cast<std::size_t>(b)]) / static_cast<double>(peak) : 0;
    svg += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#8fb0e3\"/>", left + b * bw,
                       base - bh, std::max(0.5, bw - 1), bh);
  }
  auto mark = [&](const std::optional<Date>& d, const char* label, const char* color, double ty) {
    if (!d) return;
    double mx = left + (*d - lo + 0.5) / bin * bw;
    svg += fmt::format("<line x1=\"{0:.1f}\" y1=\"12\" x2=\"{0:.1f}\" y2=\"{1}\" stroke=\"{2}\" stroke-width=\"1.5\"/>"
                       "<text x=\"{3:.1f}\" y=\"{4}\" fill=\"{2}\">{5} {6}</text>\n",
                       mx, base, color, std::min(mx + 3, w - 90), ty, label, to_string(*d).substr(5));
  };
  mark(mf.p50, "P50", "#1d2430", 22);
  mark(mf.p85, "P85", "#6a3d9a", 36);
  if (ms.target.has()) mark(*ms.target, "target", "#c7362f", 50);
  svg += fmt::format("<text x=\"{}\" y=\"132\">{}</text><text x=\"{}\" y=\"132\" text-anchor=\"end\">{}</text>\n", left,
                     to_string(lo), w - left, to_string(hi));
  return head + svg + "</svg>" +
         fmt::format("<p class=\"muted\">{} runs; chance of meeting the target: {}</p></figure>\n",
                     mf.results.size(), mf.chance ? chance_text(mf.chance) : "no target") ;
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

std::string html_report(const Inputs& in) {
  std::string title = "Status report: " + str(in.plan->config.project_name);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n", html_escape(title), k_css);
  out += fmt::format("<h1>{}</h1>\n<p class=\"muted\">{} · {} undone items · {} planned until {}</p>\n", html_escape(title),
                     to_string(in.today), in.ranking.rows.size(), in.schedule.tasks.size(),
                     date_or(in.schedule.finish, "-"));
  out += "<h2>Milestones</h2>\n";
  out += in.schedule.milestones.empty() ? "<p class=\"muted\">No milestones.</p>\n"
                                        : html_table(milestone_table(in), {false, true, false, false, false, false, false});
  out += "<h2>Schedule</h2>\n";
  std::size_t bars = gantt_bars(in), shown = std::min(in.schedule.tasks.size(), bars);
  std::size_t critical = critical_count(in);
  out += gantt_svg(in, bars);
  if (!in.schedule.tasks.empty())
    out += "<p class=\"muted\">Red: the critical chain. Diamonds: planned milestone finish; dashed lines: targets.</p>\n";
  if (shown < in.schedule.tasks.size()) {
    std::string what = critical <= shown ? fmt::format("the critical chain ({} items) and the earliest of the other items", critical)
                                         : fmt::format("the first {} of the {} items of the critical chain", shown, critical);
    out += fmt::format("<p class=\"muted\">The chart shows {}: {} of {} scheduled items ({}%); the table below lists the"
                       " others.</p>\n",
                       what, shown, in.schedule.tasks.size(), percent_of(shown, in.schedule.tasks.size()));
    out += html_table(rest_table(in, chart_tasks(in, bars)), {false, false, false, true, false, false, true},
                      fmt::format("The other {} scheduled items", in.schedule.tasks.size() - shown));
  }
  out += "<h2>Forecast</h2>\n";
  if (!in.forecast) {
    out += "<p class=\"muted\">No forecast: no usable throughput history.</p>\n";
  } else {
    out += fmt::format("<p class=\"muted\">{} runs from {} on the throughput of {} items done in the last {} days.</p>\n",
                       in.forecast_options.runs, to_string(in.forecast->start), in.forecast->history_items,
                       in.forecast_options.window);
    out += "<div class=\"hist\">\n";
    for (std::size_t k = 0; k < in.forecast->milestones.size(); ++k) out += histogram_svg(in, k);
    out += "</div>\n";
  }
  out += "<h2>Top priorities</h2>\n";
  out += in.ranking.rows.empty() ? "<p class=\"muted\">No undone items.</p>\n" : html_table(priority_table(in, 10));
  out += "<h2>Risks</h2>\n" + heatmap_html(in);
  out += in.risks.rows.empty() ? "<p class=\"muted\">No open risks.</p>\n"
                               : html_table(risk_table(in, 5), {false, false, false, false, false, true, true});
  out += fmt::format("<h2>Changes in the last {} days</h2>\n", in.recent_days);
  if (!in.recent) out += "<p class=\"muted\">Skipped: the plan is not in a git repository.</p>\n";
  else if (in.recent->empty()) out += "<p class=\"muted\">No changes to the plan.</p>\n";
  else out += html_table(recent_table(in, 50), {false, true, false, false});
  if (auto note = shallow_note(in); !note.empty()) out += "<p class=\"muted\">" + note + "</p>\n";
  return out + "</body>\n</html>\n";
}

nlohmann::json json_report(const Inputs& in) {
  using nlohmann::json;
  json milestones = json::array();
  for (const auto& row : milestone_rows(in))
    milestones.push_back({{"id", row[0]}, {"title", row[1]}, {"target", row[2].empty() ? json(nullptr) : json(row[2])},
                          {"finish", row[3].empty() ? json(nullptr) : json(row[3])}, {"status", row[4]},
                          {"p85", row[5].empty() ? json(nullptr) : json(row[5])}});
  for (std::size_t k = 0; k < milestones.size(); ++k) {
    std::optional<double> c = in.forecast ? in.forecast->milestones[k].chance : std::nullopt;
    milestones[k]["chance"] = c ? json(std::round(*c * 1e4) / 1e4) : json(nullptr);
  }
  json priorities = json::array();
  for (const auto& row : priority_table(in, 10).rows)
    priorities.push_back({{"rank", std::stoi(row[0])}, {"id", row[1]}, {"title", row[2]}, {"status", row[4]}});
  json risks_j = json::array();
  for (const auto& row : risk_table(in, 5).rows) risks_j.push_back({{"rank", std::stoi(row[0])}, {"id", row[1]}, {"title", row[2]}});
  json heat = json::array();
  for (const auto& p : in.risks.heatmap) heat.push_back(p);
  json recent = nullptr;
  if (in.recent) {
    recent = json::array();
    for (const auto& c : *in.recent) recent.push_back({{"date", c.date}, {"commit", c.commit}, {"who", c.who}, {"change", c.what}});
  }
  return {{"project", str(in.plan->config.project_name)}, {"today", to_string(in.today)}, {"milestones", milestones},
          {"priorities", priorities}, {"risks", risks_j}, {"heatmap", heat}, {"recent_changes", recent}};
}

}  // namespace

std::string render(const Inputs& in, render::Format f) {
  switch (f) {
    case render::Format::markdown: return markdown_report(in);
    case render::Format::json:
      return json_report(in).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    default: return text_report(in);
  }
}

std::string render_html(const Inputs& in) { return html_report(in); }

}  // namespace tandem::report
