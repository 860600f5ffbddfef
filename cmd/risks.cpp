#include "cmd/common.hpp"
#include "core/render/tables.hpp"
#include "core/engine/risks.hpp"

namespace tandem::cmd {

void add_risks(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("Exposure = probability × impact. " + self.formats_line());
  static bool overdue = false;
  sub.add_flag("--overdue", overdue, "Only risks past their review date");
  sub.callback([&g, &self, &exit_code] {
    auto r = start_report(g, self);
    if (!r) {
      exit_code = 1;
      return;
    }
    print(render::risks(r->plan(), risks::rank(r->plan(), r->loaded.index, r->today, overdue), r->format, overdue));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
