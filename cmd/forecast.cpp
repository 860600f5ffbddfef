#include <cstdio>

#include "cmd/common.hpp"
#include "cmd/filters.hpp"
#include "core/engine/forecast.hpp"
#include "core/engine/schedule.hpp"
#include "core/engine/status.hpp"
#include "core/render/tables.hpp"

namespace tandem::cmd {

void add_forecast(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("Throughput is sampled from the later of today - window and the first recorded completion;\n"
             "an item done on a day that is not a team workday counts on the next one.\n"
             "Same inputs and seed give byte-identical output. Exit 1 when there is no usable history\n"
             "(with --format json, an object whose 'note' says why).\n" +
             self.formats_line());
  static int runs = 0, window = 0;
  static std::int64_t seed = -1;
  static bool fail_on_late = false, fail_on_risk = false;
  sub.add_option("--runs", runs, "Number of runs (default: forecast.runs, or 10000)")->check(CLI::Range(1, 10'000'000));
  sub.add_option("--seed", seed, "Random seed (default: forecast.seed, or 1)")->check(CLI::NonNegativeNumber);
  sub.add_option("--window", window, "Calendar days of completion history to sample, at most (default: forecast.window, or 90)")
      ->option_text("DAYS")
      ->check(CLI::Range(1, 1'000'000));
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
    auto options = forecast::configured(plan.config);
    if (runs > 0) options.runs = runs;
    if (seed >= 0) options.seed = static_cast<std::uint64_t>(seed);
    if (window > 0) options.window = window;
    const auto dated = history_done_dates(g, plan);
    auto s = schedule::plan_schedule(plan, r->loaded.index, r->today, dated);
    const auto completions = forecast::completion_dates(plan, dated);
    auto fc = forecast::run(plan, r->loaded.index, s, completions, r->today, options);
    if (!fc) {
      const std::string why = forecast::no_history_reason(completions, r->today, options.window);
      if (r->format == render::Format::json) print(render::forecast_without_history(s.start, options, why));
      std::fprintf(stderr, "tandem: no usable history: %s\n", why.c_str());
      exit_code = 1;
      return;
    }
    auto statuses = status::judge_all(plan, s, fc);
    auto shown = s;
    auto matched = filter::items(only, plan, r->loaded.index, s);
    filter::apply(only, plan, r->loaded.index, matched, *fc);
    filter::apply(only, plan, r->loaded.index, matched, shown);
    print(render::forecast(plan, *fc, shown, statuses, options, r->format, filter::describe(only)));
    exit_code = status::exit_code(plan, statuses, fail_on_late, fail_on_risk);
  });
}

}  // namespace tandem::cmd
