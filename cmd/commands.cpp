#include <algorithm>
#include <fmt/format.h>

#include "cmd/common.hpp"
#include "cmd/edit.hpp"
#include "core/base/text.hpp"

namespace tandem::cmd {

namespace {
using F = render::Format;
constexpr FormatUse text{F::text}, json{F::json}, csv{F::csv}, markdown{F::markdown};
}  // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> k_commands = {
      {"check", "Check that the plan is well-formed and the roles are respected",
       {text, json, csv, markdown,
        {F::github, "workflow commands; with $GITHUB_STEP_SUMMARY set, also a\nmarkdown summary there"},
        {F::sarif, "SARIF 2.1.0"}, {F::gitlab, "Code Quality report"}, {F::junit, "JUnit XML"}},
       add_check, "files-and-rules.md"},
      {"priority", "Rank the undone backlog items: what to build next, and why", {text, json, csv, markdown}, add_priority},
      {"schedule", "Plan the backlog on people and calendars: when, by whom, what is critical", {text, json, csv, markdown},
       add_schedule},
      {"forecast", "Monte Carlo forecast of milestone dates from throughput history", {text, json, csv, markdown},
       add_forecast},
      {"load", "Per person and sprint (or week): scheduled effort against capacity, idle and overloaded",
       {text, json, csv, markdown}, add_load},
      {"risks", "Rank the open risks by exposure, with a heat map", {text, json, csv, markdown}, add_risks},
      {"report", "One status report: milestones, priorities, risks, recent changes",
       {text, json, {F::markdown, "with a Mermaid gantt chart"}, {F::html, "one self-contained file"}}, add_report},
      {"audit", "Judge every commit of a range against the ownership rules",
       {text, json, markdown, {F::github, "+ $GITHUB_STEP_SUMMARY"}, {F::sarif}, {F::gitlab}, {F::junit}},
        add_audit, "history.md"},
      {"log", "The history of one item, milestone or risk", {text, json, csv, markdown}, add_log, "history.md"},
      {"blame", "Who set each current field of an item, milestone or risk, and when", {text, json, csv, markdown},
       add_blame, "history.md"},
      {"diff", "The semantic change between two versions of the plan, and what it does",
       {text, json, {F::csv, "the changes"}, markdown}, add_diff, "history.md"},
      {"approve", "Approve the plan changes of a range with a commit (signed when git can sign)", {},
       add_approve, "history.md"},
      {"rules", "Print the ownership rules in force (defaults filled in)",
       {text, json, {F::yaml, "the text, a block to paste into tandem.yaml"}}, add_rules, "files-and-rules.md"},
      {"show", "Everything about one item, milestone or risk: its fields, rank, plan, risks, last change",
       {text, json}, add_show},
      {"list", "The backlog items, with the filters of schedule (--milestone, --person, --tag, --status)",
       {text, json, csv, markdown}, add_list},
      {"set", "Change fields of an item, milestone or risk (FIELD=VALUE, FIELD=, FIELD+=X, FIELD-=X)", {},
       add_set, "editing.md"},
      {"done", "Mark items done, with their done: date", {}, add_done, "editing.md"},
      {"start", "Mark items doing, with their started: date (and you as assignee where none is set)", {},
       add_start, "editing.md"},
      {"drop", "Mark items dropped", {}, add_drop, "editing.md"},
      {"add", "Add an item (--roadmap: a milestone, --risk: a risk) with the next free id", {}, add_add, "editing.md"},
      {"move", "Move a record before or after another, or to the top or bottom (the PO's reorder)", {},
       add_move, "editing.md"},
      {"archive", "Move done items to another backlog file named in files:", {}, add_archive, "editing.md"},
      {"merge-driver", "Git's merge driver for plan files: install it, or run it on three versions of a file", {},
       add_merge_driver, "parallel.md"},
      {"renumber", "Rename a record's id and every reference to it (e.g. after two branches added one id)", {},
       add_renumber, "editing.md"},
      {"init", "Write a small, valid starter plan (never overwrites a file)", {}, add_init, "files-and-rules.md"},
      {"schema", "Print the JSON Schema of a plan file kind", {}, add_schema, "files-and-rules.md"},
      {"completion", "Print a shell completion script (bash, zsh, fish) or the man page (man)", {},
       add_completion, "install.md"},
  };
  return k_commands;
}

CLI::Validator one_of(std::vector<std::string> values) {
  std::string names = join(values, ", ");
  return CLI::Validator(
      [values = std::move(values)](std::string& value) -> std::string {
        if (std::find(values.begin(), values.end(), value) != values.end()) return {};
        auto hint = did_you_mean(value, values);
        return fmt::format("'{}' is not one of {}{}", escape_control(value), join(values, ", "),
                           hint.empty() ? "" : "; " + hint);
      },
      "{" + names + "}");
}

std::string Command::formats_line() const {
  std::string out = "Formats: ";
  for (std::size_t i = 0; i < formats.size(); ++i) {
    if (i) out += ", ";
    out += render::format_name(formats[i].format);
    if (!formats[i].note.empty()) out += fmt::format(" ({})", formats[i].note);
  }
  return out + ".";
}

std::string all_format_names(std::string_view separator) {
  std::string out;
  for (auto f : render::k_all_formats) {
    if (!out.empty()) out += separator;
    out += render::format_name(f);
  }
  return out;
}

}  // namespace tandem::cmd
