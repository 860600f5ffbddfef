#include "cmd/common.hpp"
#include "core/render/tables.hpp"
#include "core/engine/schedule.hpp"

namespace tandem::cmd {

void register_schedule(CLI::App& app, Globals& g, int& exit_code) {
  auto* sub = app.add_subcommand("schedule", "Plan the backlog on people and calendars: when, by whom, what is critical");
  sub->footer("Starts at the later of project.start and today (--today). Formats: text, json, csv, markdown.");
  static bool fail_on_late = false;
  sub->add_flag("--fail-on-late", fail_on_late, "Exit 1 when a committed milestone is forecast late (for CI)");
  sub->callback([&g, &exit_code] {
    auto r = start_report(g);
    if (!r) {
      exit_code = 1;
      return;
    }
    const auto& plan = r->plan();
    auto s = schedule::plan_schedule(plan, r->loaded.index, r->today);
    print(render::schedule(plan, s, r->format));
    exit_code = 0;
    if (fail_on_late)
      for (const auto& m : s.milestones) {
        const auto& ms = plan.milestones[m.milestone];
        if (m.status == schedule::MilestoneStatus::late && ms.committed.has() && *ms.committed) exit_code = 1;
      }
  });
}

}  // namespace tandem::cmd
