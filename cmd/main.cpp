#include <malloc.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <fmt/format.h>

#include "cmd/common.hpp"
#include "core/base/error.hpp"

int main(int argc, char** argv) {
  // A short-lived process: keep freed memory instead of handing it back to the kernel and faulting
  // it in again (page faults were a tenth of a schedule's time).
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  using namespace tandem;
  cmd::Globals g;
  int exit_code = 0;
  CLI::App app{"tandem: the backlog, roadmap and risk register as YAML in git, with who-decides-what checked"};
  app.set_version_flag("--version", std::string("tandem ") + TANDEM_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("-C", g.dir, "Run as if started in DIR")->option_text("DIR");
  app.add_option("--config", g.config, "Use this tandem.yaml instead of searching for one")->option_text("FILE");
  app.add_option("--today", g.today, "Take DATE as today (YYYY-MM-DD), for reproducible output")->option_text("DATE");
  app.add_option("--rev", g.rev, "Read the plan files from this git revision instead of the working tree")
      ->option_text("REV");
  app.add_option("--format", g.format, "Output format: " + cmd::all_format_names(", "))
      ->option_text("FORMAT");
  app.add_option("--color", g.color, "Colour: auto, always or never (NO_COLOR and FORCE_COLOR are honoured)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("-q,--quiet", g.quiet, "Print less: errors only");
  app.add_option("--max-file-size", g.max_file_size, "Largest plan file read, in bytes (default 268435456)");
  // At most 1000: the schema check recurses, and far deeper trees overflow the stack under ASan.
  app.add_option("--max-depth", g.max_depth, "Deepest nesting of lists and mappings (default 64, at most 1000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  app.add_option("--max-alias-nodes", g.max_alias_nodes, "Most nodes aliases may add per file (default 1000000)");
  app.add_option("--max-items", g.max_items, "Most items, milestones and risks in the plan (default 1000000)");

  for (const auto& c : cmd::commands()) c.add(*app.add_subcommand(std::string(c.name), std::string(c.help)), c, g, exit_code);

  auto* help = app.add_subcommand("help", "Show help for a command");
  std::string help_topic;
  help->add_option("COMMAND", help_topic, "the command");
  help->callback([&] {
    if (help_topic.empty()) {
      std::fputs(app.help().c_str(), stdout);
      return;
    }
    CLI::App* sub = nullptr;
    try {
      sub = app.get_subcommand(help_topic);
    } catch (const CLI::OptionNotFound&) {
    }
    if (!sub || help_topic == "help") throw Error(fmt::format("no command '{}' (see 'tandem --help')", help_topic));
    std::fputs(sub->help().c_str(), stdout);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const Error& e) {
    std::fprintf(stderr, "tandem: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tandem: error: %s\n", e.what());
    return 2;
  }
  return exit_code;
}
