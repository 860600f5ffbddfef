#include "cmd/common.hpp"
#include "core/engine/priority.hpp"
#include "core/render/tables.hpp"

namespace tandem::cmd {

void add_priority(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("Models: wsjf (default), rice, value, moscow, manual. " + self.formats_line());
  static std::string model;
  static std::size_t limit = 0;
  sub.add_option("--model", model, "Priority model (default: priority.model in tandem.yaml)")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(model::k_priority_model_names), std::end(model::k_priority_model_names))));
  sub.add_option("--limit", limit, "Show the top N items only");
  sub.callback([&g, &self, &exit_code] {
    auto r = start_report(g, self);
    if (!r) {
      exit_code = 1;
      return;
    }
    auto m = model.empty() ? priority::configured_model(r->plan()) : *priority::parse_model(model);
    print(render::priority(r->plan(), priority::rank(r->plan(), r->loaded.index, m), r->format, limit));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
