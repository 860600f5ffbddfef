#include "cmd/common.hpp"
#include "core/engine/check.hpp"
#include "core/base/source.hpp"

namespace tandem::cmd {

void register_check(CLI::App& app, Globals& g, int& exit_code) {
  auto* sub = app.add_subcommand("check", "Check that the plan is well-formed and the roles are respected");
  sub->footer(
      "Reports every finding with file:line:column. Exit 1 when there is an error finding.\n"
      "Formats: text, json, csv, markdown, github (workflow commands; with $GITHUB_STEP_SUMMARY set, also a\n"
      "markdown summary there), sarif (SARIF 2.1.0), gitlab (Code Quality report), junit (JUnit XML).");
  sub->callback([&g, &exit_code] {
    using render::Format;
    Format f = format(g, {Format::text, Format::json, Format::csv, Format::markdown, Format::github, Format::sarif,
                          Format::gitlab, Format::junit});
    auto in = plan_input(g);
    Diagnostics diags;
    auto loaded = load::load(in.where, *in.source, load_options(g), diags);
    check::run(loaded, today(g), diags);
    auto sorted = diags.sorted();
    print(render::findings(sorted, f, {use_color(g), g.quiet, loaded.plan.files.size()}));
    append_step_summary(g, render::step_summary(sorted, "tandem check", loaded.plan.files.size()));
    exit_code = diags.has_errors() ? 1 : 0;
  });
}

}  // namespace tandem::cmd
