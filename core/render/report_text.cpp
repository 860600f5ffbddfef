#include <fmt/format.h>

#include "core/render/report.hpp"
#include "core/render/tables.hpp"

namespace tandem::report {

namespace {

/// Tasks at most in the markdown's Mermaid chart (code hosts render large charts slowly, or not at all).
constexpr std::size_t k_mermaid_tasks = 60;

/// The recent changes section's body in text or markdown: why there are none, or the table.
std::string recent_body(const Inputs& in, bool markdown) {
  if (auto none = recent_none(in); !none.empty()) return none + "\n";
  return markdown ? recent_table(in, 50).markdown() : recent_table(in, 50).text();
}

/// The markdown Gantt chart, or why there is none, and a note when it leaves items out.
std::string markdown_chart(const Inputs& in) {
  std::string out = in.schedule.tasks.empty() ? "\nNothing is scheduled.\n"
                                              : "\n```mermaid\n" + mermaid_gantt(in, k_mermaid_tasks) + "```\n";
  if (in.schedule.tasks.size() > k_mermaid_tasks)
    out += fmt::format("\nThe chart shows {} of {} scheduled items: the critical chain first, then the earliest. "
                       "`tandem schedule` lists all.\n",
                       k_mermaid_tasks, in.schedule.tasks.size());
  return out;
}

/// The risks section's body: the heat map, the top open risks and whether it leaves some out; the
/// same rows in every format.
std::string risks_body(const Inputs& in, bool markdown) {
  if (in.risks.rows.empty()) return "No open risks.\n";
  std::string out = markdown ? heat_table(in).markdown() + "\n" + risk_table(in, k_top_risks).markdown()
                             : heat_table(in, ".").text() + "\n" + risk_table(in, k_top_risks).text();
  if (auto cut = risks_cut(in); !cut.empty()) out += (markdown ? "\n" : "") + cut + "\n";
  return out;
}

/// The load section's heading and the legend under its table.
std::string load_heading(const Inputs& in) {
  return in.load.sprints ? "Load (utilisation per sprint)" : "Load (utilisation per week)";
}
constexpr const char* k_load_legend = "Below 50%: idle; !: overloaded (an assigned item due in the period finishes after it).";

std::string load_body(const Inputs& in, bool markdown) {
  if (in.load.people.empty()) return "Nobody has capacity.\n";
  return (markdown ? load_table(in).markdown() : load_table(in).text()) + (markdown ? "\n" : "") + k_load_legend + "\n";
}

/// Burn-up, throughput and cycle time: tables in text; in markdown, Mermaid xychart-beta charts too.
std::string flow_body(const Inputs& in, bool markdown) {
  if (!in.flow) return "No flow figures.\n";
  std::string out;
  if (!in.recent || !in.recent_note.empty()) out += "Burn-up: " + burnup_none(in) + "\n";
  else if (in.flow->burnups.empty()) out += "No milestone has items.\n";
  else out += "Done/scope at the end of each week:\n\n" + (markdown ? burnup_table(in).markdown() : burnup_table(in).text());
  if (markdown)
    for (const auto& b : in.flow->burnups) out += "\n```mermaid\n" + mermaid_burnup(in, b) + "```\n";
  out += "\nItems done per week:\n\n" + (markdown ? throughput_table(in).markdown() : throughput_table(in).text());
  if (markdown && in.recent && in.recent_note.empty())  // charts of history: none without it
    out += "\n```mermaid\n" + mermaid_throughput(in) + "```\n";
  return out + "\n" + cycle_text(in) + "\n";
}

std::string violations_body(const Inputs& in, bool markdown) {
  std::string problems = violations_problems(in);
  if (!problems.empty()) problems = "\n" + problems + "\n";
  if (auto none = violations_none(in); !none.empty()) return none + "\n" + problems;
  return (markdown ? violations_table(in).markdown() : violations_table(in).text()) + problems;
}

}  // namespace

std::string render_text(const Inputs& in) {
  std::string out =
      fmt::format("Status report: {} ({})\n\n", escape_control(text_of(in.plan->config.project_name)),
                  to_string(in.today));
  out += "Milestones\n\n";
  out += in.schedule.milestones.empty() ? "No milestones.\n" : milestone_table(in).text();
  if (!in.forecast) out += "(no forecast: no usable throughput history)\n";
  else out += "Forecast from the throughput of " + render::history_text(*in.forecast, in.forecast_options) + ".\n";
  if (in.schedule.tasks.empty()) out += "\nNothing is scheduled.\n";  // where markdown and HTML have the chart
  out += "\nTop priorities\n\n";
  out += in.ranking.rows.empty() ? "No undone items.\n" : priority_table(in, 10).text();
  out += "\n" + load_heading(in) + "\n\n" + load_body(in, false);
  out += "\nBurn-up and flow\n\n" + flow_body(in, false);
  out += "\nRisks\n\n" + risks_body(in, false);
  out += "\n" + violations_heading(in) + "\n\n" + violations_body(in, false);
  out += "\n" + recent_heading(in) + "\n\n";
  out += recent_body(in, false);
  if (auto note = shallow_note(in); !note.empty()) out += note + "\n";
  return out;
}

std::string render_markdown(const Inputs& in) {
  std::string out = fmt::format("# Status report: {}\n\n*{}*\n\n",
                                markdown_cell(text_of(in.plan->config.project_name)), to_string(in.today));
  out += "## Milestones\n\n";
  out += in.schedule.milestones.empty() ? "No milestones.\n" : milestone_table(in).markdown();
  if (!in.forecast) out += "\n> No forecast: no usable throughput history.\n";
  else out += "\nForecast from the throughput of " + render::history_text(*in.forecast, in.forecast_options) + ".\n";
  out += markdown_chart(in);
  out += "\n## Top priorities\n\n";
  out += in.ranking.rows.empty() ? "No undone items.\n" : priority_table(in, 10).markdown();
  out += "\n## " + load_heading(in) + "\n\n" + load_body(in, true);
  out += "\n## Burn-up and flow\n\n" + flow_body(in, true);
  out += "\n## Risks\n\n" + risks_body(in, true);
  out += "\n## " + violations_heading(in) + "\n\n" + violations_body(in, true);
  out += "\n## " + recent_heading(in) + "\n\n";
  out += recent_body(in, true);
  if (auto note = shallow_note(in); !note.empty()) out += "\n" + note + "\n";
  return out;
}

std::string render(const Inputs& in, render::Format f) {
  switch (f) {
    case render::Format::markdown: return render_markdown(in);
    case render::Format::json: return render_json(in);
    default: return render_text(in);
  }
}

}  // namespace tandem::report
