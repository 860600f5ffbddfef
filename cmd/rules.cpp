#include <nlohmann/json.hpp>

#include "cmd/common.hpp"
#include "core/engine/rules.hpp"
#include "core/base/source.hpp"

namespace tandem::cmd {

void add_rules(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.callback([&g, &self, &exit_code] {
    using render::Format;
    Format f = format(g, self);
    auto options = load_options(g);
    auto where = load::locate(options);
    WorkTreeSource source(where.root);
    Diagnostics diags;
    auto loaded = load::load(where, source, options, diags, /*config_only=*/true);
    if (diags.has_errors()) {
      print_diagnostics(diags);
      exit_code = 1;
      return;
    }
    print(f == Format::json ? rules_json(loaded.rules) : rules_yaml(loaded.rules, loaded.plan.config.ownership_mark.line != 0));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
