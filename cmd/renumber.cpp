#include "cmd/edit.hpp"

namespace tandem::cmd {

void add_renumber(CLI::App& sub, const Command&, Globals& g, int& exit_code) {
  static editing::Renumbering what;
  static EditFlags flags;
  sub.footer("Every reference to OLD (depends_on, an item's milestone, a risk's affects) is renamed with it, each\n"
             "value in its own quoting. When several records have OLD (two branches added it), the last one\n"
             "is renamed: after a merge, the one that came from the other branch (the merge driver puts ours\n"
             "first); --nth N picks the N-th in plan order, --file F looks only in F. The references then stay\n"
             "as they are: point those meant for the renamed record at NEW with tandem set.\n"
             "The rename is judged as deleting OLD and creating NEW, plus each reference field changed.");
  sub.add_option("OLD", what.old_id, "The record's id now")->required();
  sub.add_option("NEW", what.new_id, "Its new id")->required();
  sub.add_option("--file", what.file, "Rename the record in this plan file (when OLD is in several)");
  sub.add_option("--nth", what.nth, "Rename the N-th record with OLD, 1-based, in plan order (default: the last)")
      ->check(CLI::PositiveNumber);
  add_edit_flags(sub, flags);
  sub.callback([&g, &exit_code] {
    exit_code = run_edit([&] {
      auto in = edit_input(g);
      return finish_edit(g, in, editing::renumber(in.loaded, *in.source, what), flags);
    });
  });
}

}  // namespace tandem::cmd
