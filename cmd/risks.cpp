#include "cmd/common.hpp"
#include "core/render/tables.hpp"
#include "core/engine/risks.hpp"

namespace tandem::cmd {

void register_risks(CLI::App& app, Globals& g, int& exit_code) {
  auto* sub = app.add_subcommand("risks", "Rank the open risks by exposure, with a heat map");
  sub->footer("Exposure = probability × impact. Formats: text, json, csv, markdown.");
  static bool overdue = false;
  sub->add_flag("--overdue", overdue, "Only risks past their review date");
  sub->callback([&g, &exit_code] {
    auto r = start_report(g);
    if (!r) {
      exit_code = 1;
      return;
    }
    print(render::risks(r->plan(), risks::rank(r->plan(), r->loaded.index, r->today, overdue), r->format));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
