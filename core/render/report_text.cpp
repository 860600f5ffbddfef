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

std::string markdown_risks(const Inputs& in) {
  if (in.risks.rows.empty()) return "No open risks.\n";
  return heat_table(in).markdown() + "\n" + risk_table(in, 5).markdown();
}

}  // namespace

std::string render_text(const Inputs& in) {
  std::string out =
      fmt::format("Status report: {} ({})\n\n", escape_control(text_of(in.plan->config.project_name)),
                  to_string(in.today));
  out += "Milestones\n\n";
  out += in.schedule.milestones.empty() ? "No milestones.\n" : milestone_table(in).text();
  if (!in.forecast) out += "(no forecast: no usable throughput history)\n";
  out += "\nTop priorities\n\n";
  out += in.ranking.rows.empty() ? "No undone items.\n" : priority_table(in, 10).text();
  out += in.risks.rows.empty() ? "\nRisks\n\nNo open risks.\n" : "\n" + render::risks(*in.plan, in.risks, render::Format::text);
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
  out += markdown_chart(in);
  out += "\n## Top priorities\n\n";
  out += in.ranking.rows.empty() ? "No undone items.\n" : priority_table(in, 10).markdown();
  out += "\n## Risks\n\n" + markdown_risks(in);
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
