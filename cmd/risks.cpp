#include "cmd/common.hpp"
#include "cmd/filters.hpp"
#include "core/engine/schedule.hpp"
#include "core/render/tables.hpp"
#include "core/engine/risks.hpp"

namespace tandem::cmd {

void add_risks(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("Exposure = probability × impact. " + self.formats_line());
  static bool overdue = false;
  sub.add_flag("--overdue", overdue, "Only risks past their review date");
  static filter::Filter only;
  add_filter_options(sub, only);
  sub.callback([&g, &self, &exit_code] {
    auto r = start_report(g, self);
    if (!r) {
      exit_code = 1;
      return;
    }
    check_filter(only, r->loaded);
    auto report = risks::rank(r->plan(), r->loaded.index, r->today, overdue);
    filter::apply(only, r->plan(), r->loaded.index, {}, report);
    print(render::risks(r->plan(), report, r->format, overdue, filter::describe(only)));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
