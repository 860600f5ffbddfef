#include <optional>

#include "cmd/common.hpp"
#include "core/engine/check.hpp"
#include "core/base/source.hpp"

namespace tandem::cmd {

void add_check(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer(
      "Reports every finding with file:line:column. Exit 1 when there is an error finding.\n" + self.formats_line());
  static bool schemas = false;
  sub.add_flag("--schemas", schemas,
               "Also validate every record against the JSON Schemas (valijson): a second opinion, which the tests "
               "prove agrees with tandem's own checks; it makes check about a third slower");
  sub.callback([&g, &self, &exit_code] {
    using render::Format;
    Format f = format(g, self);
    auto in = plan_input(g);
    Diagnostics diags;
    auto options = load_options(g);
    options.schema_backstop = schemas;
    // check reads the plan once, and the process ends after printing: the loaded plan is left to the
    // operating system instead of being freed block by block as this call returns (a tenth of check's
    // CPU time on 10,000 and on 100,000 items). Its only owner is a static, so it stays reachable and
    // leak checkers (ASan's in the e2e tests) do not report it.
    static auto* const kept = new std::optional<load::Loaded>;
    const load::Loaded& loaded = kept->emplace(load::load(in.where, *in.source, options, diags));
    check::run(loaded, today(g), diags);
    check::attributes(loaded, *in.source, diags);
    auto sorted = diags.sorted();
    print(render::findings(sorted, f, {use_color(g), g.quiet, loaded.plan.files.size()}));
    append_step_summary(g, [&] { return render::step_summary(sorted, "tandem check", loaded.plan.files.size()); });
    exit_code = diags.has_errors() ? 1 : 0;
  });
}

}  // namespace tandem::cmd
