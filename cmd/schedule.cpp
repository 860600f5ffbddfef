#include "cmd/common.hpp"
#include "cmd/filters.hpp"
#include "core/render/tables.hpp"
#include "core/engine/schedule.hpp"

namespace tandem::cmd {

void add_schedule(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("Starts at the later of project.start and today (--today). " + self.formats_line());
  static bool fail_on_late = false;
  sub.add_flag("--fail-on-late", fail_on_late, "Exit 1 when a committed milestone is forecast late (for CI)");
  static filter::Filter only;
  add_filter_options(sub, only);
  sub.callback([&g, &self, &exit_code] {
    auto r = start_report(g, self);
    if (!r) {
      exit_code = 1;
      return;
    }
    const auto& plan = r->plan();
    check_filter(only, r->loaded);
    auto s = schedule::plan_schedule(plan, r->loaded.index, r->today);
    auto shown = s;  // --fail-on-late judges every milestone, whatever the filters show
    filter::apply(only, plan, r->loaded.index, filter::items(only, plan, r->loaded.index, s), shown);
    print(render::schedule(plan, shown, r->format, filter::describe(only)));
    exit_code = 0;
    if (fail_on_late)
      for (const auto& m : s.milestones) {
        const auto& ms = plan.milestones[m.milestone];
        if (m.status == schedule::MilestoneStatus::late && ms.committed.has() && *ms.committed) exit_code = 1;
      }
  });
}

}  // namespace tandem::cmd
