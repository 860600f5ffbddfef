#include "cmd/common.hpp"
#include "cmd/filters.hpp"
#include "core/engine/forecast.hpp"
#include "core/engine/schedule.hpp"
#include "core/engine/status.hpp"
#include "core/render/tables.hpp"

namespace tandem::cmd {

void add_schedule(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("Starts at the later of project.start and today (--today); work in progress (doing) first.\n"
             "A milestone's status weighs the plan and the throughput forecast, as `report` and `forecast` do.\n" +
             self.formats_line());
  static bool fail_on_late = false, fail_on_risk = false;
  sub.add_flag("--fail-on-late", fail_on_late, "Exit 1 when a committed milestone is late (for CI)");
  sub.add_flag("--fail-on-risk", fail_on_risk, "Exit 1 when a committed milestone is late or at risk (for CI)");
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
    const auto dated = history_done_dates(g, plan);
    auto s = schedule::plan_schedule(plan, r->loaded.index, r->today, dated);
    // The one status weighs the forecast too; computed before the filters (--fail-on-* judge every milestone).
    auto fc = forecast::run(plan, r->loaded.index, s, forecast::completion_dates(plan, dated), r->today,
                            forecast::configured(plan.config));
    auto statuses = status::judge_all(plan, s, fc);
    auto shown = s;
    filter::apply(only, plan, r->loaded.index, filter::items(only, plan, r->loaded.index, s), shown);
    print(render::schedule(plan, shown, statuses, r->format, filter::describe(only)));
    exit_code = status::exit_code(plan, statuses, fail_on_late, fail_on_risk);
  });
}

}  // namespace tandem::cmd
