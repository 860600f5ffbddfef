#include "cmd/common.hpp"
#include "cmd/filters.hpp"
#include "core/engine/load.hpp"
#include "core/engine/schedule.hpp"
#include "core/render/tables.hpp"

namespace tandem::cmd {

void add_load(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("Per sprint with calendar.sprint, else per week (Monday to Sunday), from the schedule's start to its "
             "finish. " + self.formats_line());
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
    bool by_item = !only.milestones.empty() || !only.tags.empty() || !only.statuses.empty();
    auto load = workload::compute(plan, r->loaded.index, s,
                                  by_item ? filter::items(only, plan, r->loaded.index, s) : std::vector<bool>{});
    filter::apply(only, plan, load);
    print(render::load(plan, load, r->format, filter::describe(only)));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
