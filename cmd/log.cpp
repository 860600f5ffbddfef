#include "cmd/common.hpp"
#include "core/git/blame.hpp"
#include "core/render/history.hpp"

namespace tandem::cmd {

void register_log(CLI::App& app, Globals& g, int& exit_code) {
  auto* sub = app.add_subcommand("log", "The history of one item, milestone or risk");
  sub->footer("Each commit that changed it, with date, person and the fields changed old → new.\n"
              "Formats: text, json, csv, markdown.");
  static std::string id;
  sub->add_option("ID", id, "An item, milestone or risk id")->required();
  sub->callback([&g, &exit_code] {
    using render::Format;
    Format f = format(g, {Format::text, Format::json, Format::csv, Format::markdown});
    auto entries = history::record_log(load_options(g), g.rev, id);
    print(render::log(id, entries, f));
    exit_code = 0;
  });
}

void register_blame(CLI::App& app, Globals& g, int& exit_code) {
  auto* sub = app.add_subcommand("blame", "Who set each current field of an item, milestone or risk, and when");
  sub->footer("Formats: text, json, csv, markdown.");
  static std::string id;
  sub->add_option("ID", id, "An item, milestone or risk id")->required();
  sub->callback([&g, &exit_code] {
    using render::Format;
    Format f = format(g, {Format::text, Format::json, Format::csv, Format::markdown});
    auto lines = history::blame(load_options(g), g.rev, id);
    print(render::blame(id, lines, f));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
