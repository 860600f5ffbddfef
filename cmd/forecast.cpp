#include <cstdio>

#include "cmd/common.hpp"
#include "cmd/filters.hpp"
#include "core/engine/forecast.hpp"
#include "core/render/tables.hpp"
#include "core/engine/schedule.hpp"

namespace tandem::cmd {

void add_forecast(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("Same inputs and seed give byte-identical output. Exit 1 when there is no usable history.\n" +
             self.formats_line());
  static int runs = 0;
  static std::int64_t seed = -1;
  sub.add_option("--runs", runs, "Number of runs (default: forecast.runs, or 10000)")->check(CLI::Range(1, 10'000'000));
  sub.add_option("--seed", seed, "Random seed (default: forecast.seed, or 1)")->check(CLI::NonNegativeNumber);
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
    auto options = forecast::configured(plan.config);
    if (runs > 0) options.runs = runs;
    if (seed >= 0) options.seed = static_cast<std::uint64_t>(seed);
    auto s = schedule::plan_schedule(plan, r->loaded.index, r->today);
    auto fc = forecast::run(plan, r->loaded.index, s, completion_dates(g, plan), r->today, options);
    if (!fc) {
      std::fprintf(stderr,
                   "tandem: no usable history: no item has a 'done:' date on a workday of the %d days before %s\n",
                   options.window, to_string(r->today).c_str());
      exit_code = 1;
      return;
    }
    filter::apply(only, plan, r->loaded.index, filter::items(only, plan, r->loaded.index, s), *fc);
    print(render::forecast(plan, *fc, options, r->format, filter::describe(only)));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
