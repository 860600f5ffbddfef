#include <fmt/format.h>
#include <map>
#include <set>

#include "cmd/edit.hpp"

namespace tandem::cmd {

namespace {

/// The item `id` (done, start and drop change items' status), or a refusal naming what it is.
editing::Place item_place(const load::Loaded& loaded, const std::string& id, std::string_view command) {
  auto place = editing::locate(loaded, id);
  if (place.kind->name == "backlog") return place;
  std::string hint = place.kind->name == "risks" ? fmt::format(" (for a risk: tandem set {} status=closed)", id) : "";
  throw edit::Refused(fmt::format("'{}' changes an item's status; {} is {}{}", command, id, place.kind->record, hint));
}

/// A status change of items with their date fields: every id in one verified edit.
void add_status(CLI::App& sub, Globals& g, int& exit_code, std::string_view status) {
  static std::map<std::string, std::pair<std::vector<std::string>, std::string>> args;  // command → ids, --date
  static EditFlags flags;
  auto& entry = args[std::string(status)];  // references, not a structured binding: clang 14 cannot capture one
  std::vector<std::string>& ids = entry.first;
  std::string& date = entry.second;
  sub.add_option("ID", ids, "The items' ids (one edit for all)")->required();
  if (status == "done") sub.add_option("--date", date, "The completion date (default: today, or --today)");
  if (status == "doing")
    sub.add_option("--date", date, "The start date (default: today, or --today; without --date a started item keeps its date)");
  add_edit_flags(sub, flags);
  sub.callback([&g, &exit_code, &ids, &date, status, name = std::string(sub.get_name())] {
    exit_code = run_edit([&] {
      std::string day = to_string(date.empty() ? today(g) : date_option("--date", date));
      std::set<std::string> edited(ids.begin(), ids.end());
      auto in = edit_input(g, &edited);
      std::vector<std::pair<std::string, std::vector<edit::FieldEdit>>> all;
      std::optional<std::string> who;  // a started item is someone's: the editor's when it has no assignee (SPEC 12)
      if (status == "doing") who = editor_id(in);
      for (const auto& id : ids) {
        const auto& kind = *item_place(in.loaded, id, name).kind;
        std::vector<edit::FieldEdit> edits{editing::parse_assignment(kind, "status=" + std::string(status))};
        if (status == "done") edits.push_back(editing::parse_assignment(kind, "done=" + day));
        if (status == "doing") {
          const auto& item = in.loaded.plan.items[*in.loaded.index.item(id)];
          if (!item.started.has() || !date.empty()) edits.push_back(editing::parse_assignment(kind, "started=" + day));
          if (who && !item.assignee.has()) edits.push_back(editing::parse_assignment(kind, "assignee=" + *who));
        }
        all.emplace_back(id, std::move(edits));
      }
      return finish_edit(g, in, editing::set_fields(in.loaded, *in.source, all), flags);
    });
  });
}

}  // namespace

void add_set(CLI::App& sub, const Command&, Globals& g, int& exit_code) {
  static std::string id;
  static std::vector<std::string> assignments;
  static EditFlags flags;
  sub.footer("FIELD=VALUE sets a field, FIELD= removes it, and list fields take FIELD+=X and FIELD-=X.\n"
             "Lists are given as A,B or [A, B]; rice as {reach: 500, impact: 2, confidence: 0.8, effort: 3}.\n"
             "The file keeps its comments, quoting and layout; the edit is verified before it is written.");
  sub.add_option("ID", id, "An item, milestone or risk id")->required();
  sub.add_option("FIELD=VALUE", assignments, "The changes")->required();
  add_edit_flags(sub, flags);
  sub.callback([&g, &exit_code] {
    exit_code = run_edit([&] {
      std::set<std::string> edited{id};
      auto in = edit_input(g, &edited);
      auto place = editing::locate(in.loaded, id);
      std::vector<edit::FieldEdit> edits;
      for (const auto& a : assignments) edits.push_back(editing::parse_assignment(*place.kind, a));
      return finish_edit(g, in, editing::set_fields(in.loaded, *in.source, id, edits), flags);
    });
  });
}

void add_done(CLI::App& sub, const Command&, Globals& g, int& exit_code) { add_status(sub, g, exit_code, "done"); }
void add_start(CLI::App& sub, const Command&, Globals& g, int& exit_code) { add_status(sub, g, exit_code, "doing"); }
void add_drop(CLI::App& sub, const Command&, Globals& g, int& exit_code) { add_status(sub, g, exit_code, "dropped"); }

}  // namespace tandem::cmd
