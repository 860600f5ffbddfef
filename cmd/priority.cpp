#include "cmd/common.hpp"
#include "cmd/filters.hpp"
#include "core/engine/schedule.hpp"
#include "core/engine/priority.hpp"
#include "core/render/tables.hpp"

namespace tandem::cmd {

void add_priority(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("Models: wsjf (default), rice, value, moscow, manual. " + self.formats_line());
  static std::string model;
  static std::size_t limit = 0;
  sub.add_option("--model", model, "Priority model (default: priority.model in tandem.yaml)")
      ->check(cmd::one_of(std::vector<std::string>(std::begin(model::k_priority_model_names), std::end(model::k_priority_model_names))));
  sub.add_option("--limit", limit, "Show the top N items only");
  static filter::Filter only;
  add_filter_options(sub, only);
  sub.callback([&g, &self, &exit_code] {
    auto r = start_report(g, self);
    if (!r) {
      exit_code = 1;
      return;
    }
    auto m = model.empty() ? priority::configured_model(r->plan()) : *priority::parse_model(model);
    check_filter(only, r->loaded);
    auto ranking = priority::rank(r->plan(), r->loaded.index, m);
    if (!only.empty()) {
      // --person matches the person the schedule gives an item, so the schedule runs for it.
      auto s = only.people.empty() ? schedule::Schedule{} : schedule::plan_schedule(r->plan(), r->loaded.index, r->today);
      filter::apply(only, filter::items(only, r->plan(), r->loaded.index, s), ranking);
    }
    print(render::priority(r->plan(), ranking, r->format, limit, filter::describe(only)));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
