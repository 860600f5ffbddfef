#include "cmd/common.hpp"
#include "core/git/blame.hpp"
#include "core/render/history.hpp"

namespace tandem::cmd {

void add_log(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("Each commit that changed it, with date, person and the fields changed old → new; a merge shows\n"
             "what it made of its own. The last value shown for a field is the value in the file.\n" +
             self.formats_line());
  static std::string id;
  sub.add_option("ID", id, "An item, milestone or risk id")->required();
  add_history_budget(sub, g);
  sub.callback([&g, &self, &exit_code] {
    using render::Format;
    Format f = format(g, self);
    auto log = history::record_log(load_options(g), g.rev, id);
    print(render::log(id, log, f));
    exit_code = 0;
  });
}

void add_blame(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer(self.formats_line());
  static std::string id;
  sub.add_option("ID", id, "An item, milestone or risk id")->required();
  add_history_budget(sub, g);
  sub.callback([&g, &self, &exit_code] {
    using render::Format;
    Format f = format(g, self);
    auto lines = history::blame(load_options(g), g.rev, id);
    print(render::blame(id, lines, f));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
