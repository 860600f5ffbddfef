#include "cmd/common.hpp"
#include "core/check.hpp"
#include "core/source.hpp"

namespace tandem::cmd {

void register_check(CLI::App& app, Globals& g, int& exit_code) {
  auto* sub = app.add_subcommand("check", "Check that the plan is well-formed and the roles are respected");
  sub->footer(
      "Reports every finding with file:line:column. Exit 1 when there is an error finding.\n"
      "Formats: text, json, csv, markdown, github (workflow commands), sarif (SARIF 2.1.0).");
  sub->callback([&g, &exit_code] {
    using render::Format;
    Format f = format(g, {Format::text, Format::json, Format::csv, Format::markdown, Format::github, Format::sarif});
    auto in = plan_input(g);
    Diagnostics diags;
    auto loaded = load::load(in.where, *in.source, load_options(g), diags);
    check::run(loaded, today(g), diags);
    print(render::findings(diags.sorted(), f, {use_color(g), g.quiet, loaded.plan.files.size()}));
    exit_code = diags.has_errors() ? 1 : 0;
  });
}

}  // namespace tandem::cmd
