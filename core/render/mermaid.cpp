#include "core/render/mermaid.hpp"

#include <cctype>
#include <fmt/format.h>
#include <map>

#include "core/base/text.hpp"

namespace tandem::report {

namespace {

/// What `mermaid_text` writes for a character Mermaid would read as syntax, or nullptr for one it keeps.
const char* mermaid_replacement(char c) {
  switch (c) {
    case ':': return " -";
    case ';': return ",";
    case '#': return "No. ";
    case '\n': case '\r': case '\t': return " ";
    case '%': return " percent";
    case '<': return "‹";
    case '>': return "›";
    case '"': return "'";
    case '{': return "(";
    case '}': return ")";
    case '`': return "'";
    default: return nullptr;
  }
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

/// The sections of the chart, one per milestone in order of first task, each with its task lines.
std::string task_sections(const Inputs& in, std::size_t max_items) {
  std::map<std::string, std::vector<const schedule::Task*>> by_milestone;
  std::vector<std::string> order;
  for (const auto* t : chart_tasks(in, max_items)) {
    std::string m = text_of(in.plan->items[t->item].milestone);
    if (!by_milestone.count(m)) order.push_back(m);
    by_milestone[m].push_back(t);
  }
  std::string out;
  for (const auto& m : order) {
    std::string name = m.empty() ? "No milestone" : m;
    for (const auto& ms : in.plan->milestones)
      if (ms.id.has() && *ms.id == m) name = m + " " + text_of(ms.title);
    out += fmt::format("    section {}\n", mermaid_text(name));
    for (const auto* t : by_milestone[m]) {
      const auto& it = in.plan->items[t->item];
      // Mermaid's end is exclusive; a bar ending on the last date gives its length, not 10000-01-01.
      std::string end = t->finish.date < k_last_date ? to_string(t->finish.date + 1)
                                                     : fmt::format("{}d", t->finish.date - t->start.date + 1);
      out += fmt::format("    {} :{}{}, {}, {}\n", mermaid_task_text(*it.id, text_of(it.title)),
                         t->critical ? "crit, " : "", mermaid_id("t_", *it.id), to_string(t->start.date), end);
    }
  }
  return out;
}

/// The tag of a planned finish from the milestone's one status: late `crit`, at risk `active`, else none.
std::string_view mermaid_tag(const status::Status& st) {
  return st.kind == status::Kind::late ? "crit, " : st.kind == status::Kind::at_risk ? "active, " : "";
}

/// The "Milestones" section: each milestone's target and planned finish (tagged by its one status).
std::string milestone_section(const Inputs& in) {
  std::string out;
  for (const auto& row : in.schedule.milestones) {
    const auto& ms = in.plan->milestones[row.milestone];
    if (!ms.target.has() && !row.finish) continue;
    if (out.empty()) out += "    section Milestones\n";
    if (ms.target.has())
      out += fmt::format("    {} :milestone, {}, {}, 0d\n", mermaid_task_text(text_of(ms.id), "target"),
                         mermaid_id("mt_", text_of(ms.id)), to_string(*ms.target));
    if (row.finish)
      out += fmt::format("    {} :milestone, {}{}, {}, 0d\n", mermaid_task_text(text_of(ms.id), "planned"),
                         mermaid_tag(milestone_status(in, row)),
                         mermaid_id("mf_", text_of(ms.id)), to_string(*row.finish));
  }
  return out;
}

}  // namespace

std::string mermaid_text(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (const char* replacement = mermaid_replacement(c)) out += replacement;
    else out += c;
  }
  std::string trimmed = ellipsize(escape_control(out), 60);  // the other controls as visible escapes
  auto first = trimmed.find_first_not_of(' ');
  return first == std::string::npos ? "untitled" : trimmed.substr(first);
}

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

std::string mermaid_gantt(const Inputs& in, std::size_t max_items) {
  std::string out = "gantt\n";
  out += fmt::format("    title {}\n", mermaid_text(text_of(in.plan->config.project_name)));
  out += "    dateFormat YYYY-MM-DD\n    axisFormat %d %b\n";
  return out + task_sections(in, max_items) + milestone_section(in);
}

namespace {

/// `["01-04", "01-11"]` and `[1, 2]`: an x-axis of week Mondays and a data series.
std::string xy_list(const std::vector<std::string>& values) { return "[" + join(values, ", ") + "]"; }

}  // namespace

std::string mermaid_burnup(const Inputs& in, const flow::BurnUp& b) {
  std::vector<std::string> weeks, scope, done;
  int top = 1;
  for (const auto& p : b.points) {
    weeks.push_back("\"" + to_string(p.week).substr(5) + "\"");
    scope.push_back(std::to_string(p.scope));
    done.push_back(std::to_string(p.done));
    top = std::max(top, p.scope);
  }
  // Milestone ids are letters, digits and `_.-`: safe inside a quoted Mermaid title.
  return fmt::format("xychart-beta\n    title \"{} burn-up: scope and done\"\n    x-axis {}\n"
                     "    y-axis \"items\" 0 --> {}\n    line {}\n    line {}\n",
                     mermaid_text(*in.plan->milestones[b.milestone].id), xy_list(weeks), top, xy_list(scope),
                     xy_list(done));
}

std::string mermaid_throughput(const Inputs& in) {
  std::vector<std::string> weeks, done;
  int top = 1;
  for (const auto& [week, n] : in.flow->throughput) {
    weeks.push_back("\"" + to_string(week).substr(5) + "\"");
    done.push_back(std::to_string(n));
    top = std::max(top, n);
  }
  return fmt::format("xychart-beta\n    title \"Items done per week\"\n    x-axis {}\n"
                     "    y-axis \"items\" 0 --> {}\n    bar {}\n",
                     xy_list(weeks), top, xy_list(done));
}

}  // namespace tandem::report
