#include "cmd/edit.hpp"
#include "core/base/error.hpp"
#include "core/git/ids.hpp"

namespace tandem::cmd {

void add_add(CLI::App& sub, const Command&, Globals& g, int& exit_code) {
  static editing::NewRecord rec;
  static bool roadmap = false, risk = false;
  static EditFlags flags;
  sub.footer("The new record gets the next free id of its kind's prefix (WEB-12 → WEB-13), never one that\n"
             "a commit of HEAD, of a local or remote-tracking branch or of a tag ever created; --id names it.\n"
             "It is appended to the list of the kind's first file, or placed with --before/--after.");
  sub.add_option("TITLE", rec.title, "The new record's title")->required();
  sub.add_option("FIELD=VALUE", rec.assignments, "More fields");
  sub.add_option("--file", rec.file, "The plan file to add to (one of files: of the kind)");
  auto* r1 = sub.add_flag("--roadmap", roadmap, "Add a milestone");
  sub.add_flag("--risk", risk, "Add a risk")->excludes(r1);
  sub.add_option("--id", rec.id, "The new record's id (default: the next free id)");
  auto* b = sub.add_option("--before", rec.before, "Place it before this record");
  sub.add_option("--after", rec.after, "Place it after this record")->excludes(b);
  add_edit_flags(sub, flags);
  sub.callback([&g, &exit_code] {
    exit_code = run_edit([&] {
      auto in = edit_input(g);
      rec.kind = &kinds::k_lists[roadmap ? 1 : risk ? 2 : 0];
      std::set<std::string> history;
      if (rec.id.empty()) history = history::ids_in_history(in.where, in.options);
      return finish_edit(g, in, editing::add_record(in.loaded, *in.source, rec, history), flags);
    });
  });
}

void add_move(CLI::App& sub, const Command&, Globals& g, int& exit_code) {
  static std::string id, before, after;
  static bool top = false, bottom = false;
  static EditFlags flags;
  sub.footer("The record's whole text moves, with the comment lines right above it (the PO's reorder,\n"
             "the `order` of the ownership rules).");
  sub.add_option("ID", id, "The record to move")->required();
  auto* b = sub.add_option("--before", before, "Put it before this record");
  auto* a = sub.add_option("--after", after, "Put it after this record");
  auto* t = sub.add_flag("--top", top, "Put it first");
  auto* m = sub.add_flag("--bottom", bottom, "Put it last");
  b->excludes(a)->excludes(t)->excludes(m);
  a->excludes(t)->excludes(m);
  t->excludes(m);
  add_edit_flags(sub, flags);
  sub.callback([&g, &exit_code] {
    exit_code = run_edit([&] {
      if (before.empty() && after.empty() && !top && !bottom)
        throw Error("move needs one of --before ID, --after ID, --top, --bottom");
      auto in = edit_input(g);
      auto where = !before.empty() ? editing::Position::before
                   : !after.empty() ? editing::Position::after
                   : top           ? editing::Position::top
                                   : editing::Position::bottom;
      auto result = editing::move_record(in.loaded, *in.source, id, where, before.empty() ? after : before);
      return finish_edit(g, in, result, flags);
    });
  });
}

void add_archive(CLI::App& sub, const Command&, Globals& g, int& exit_code) {
  static std::string to, done_before;
  static EditFlags flags;
  sub.footer("Moves done items from the other backlog files to FILE, which must be a backlog file named in\n"
             "files: (moving records between plan files is not a reorder).");
  sub.add_option("--to", to, "The backlog file to move them to")->required();
  sub.add_option("--done-before", done_before, "Only items done before this date");
  add_edit_flags(sub, flags);
  sub.callback([&g, &exit_code] {
    exit_code = run_edit([&] {
      std::optional<Date> before;
      if (!done_before.empty()) before = date_option("--done-before", done_before);
      auto in = edit_input(g);
      return finish_edit(g, in, editing::archive(in.loaded, *in.source, before, to), flags);
    });
  });
}

}  // namespace tandem::cmd
