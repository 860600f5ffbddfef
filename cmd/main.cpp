#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fmt/format.h>

#include "cmd/common.hpp"
#include "core/base/error.hpp"
#include "core/base/text.hpp"

namespace {

using tandem::ascii_lower;
using tandem::join;
using tandem::did_you_mean;
using tandem::escape_control;

/// The names an option is written with ("-q", "--quiet").
std::vector<std::string> option_names(const CLI::Option& o) {
  std::vector<std::string> out;
  for (const auto& n : o.get_snames()) out.push_back("-" + n);
  for (const auto& n : o.get_lnames()) out.push_back("--" + n);
  return out;
}

/// "; did you mean 'drop'?" for an unknown command: the words other tools use for a command first
/// (`remove` is `drop`, not `move`), then the closest name.
std::string command_suggestion(const std::string& word, const std::vector<std::string>& names) {
  static const std::pair<std::string_view, std::string_view> k_synonyms[] = {
      {"remove", "drop"}, {"rm", "drop"},      {"delete", "drop"}, {"del", "drop"},   {"info", "show"},
      {"view", "show"},   {"ls", "list"},      {"new", "add"},     {"create", "add"}, {"finish", "done"},
      {"close", "done"},  {"begin", "start"},  {"mv", "move"},     {"status", "report"}, {"validate", "check"},
      {"lint", "check"},  {"history", "log"},  {"rank", "priority"}, {"rename", "renumber"}, {"edit", "set"}};
  for (const auto& [from, to] : k_synonyms)
    if (ascii_lower(word) == from) return fmt::format("; did you mean '{}'?", to);
  auto m = did_you_mean(word, names);
  return m.empty() ? "" : "; " + m;
}

/// "unknown option '--stauts'; did you mean '--status'?": a one-letter option gets no guess (every
/// other one is a letter away), and `-o` elsewhere than `report` says how to write a file.
std::string unknown_option(const std::string& name, const std::vector<std::string>& options, const CLI::App* command) {
  std::string out = fmt::format("unknown option '{}'", escape_control(name));
  if (name == "-o" || name == "--output")
    return out + fmt::format(" ({} prints to stdout: redirect it, e.g. > FILE)",
                             command ? "tandem " + command->get_name() : std::string("tandem"));
  if (!name.starts_with("--")) return out + (command ? fmt::format(" (see 'tandem {} --help')", command->get_name()) : "");
  auto m = did_you_mean(name, options);
  return out + (m.empty() ? "" : "; " + m);
}

/// Why the command line was not understood, in the user's words, when a word in it names no
/// command or option ("unknown command 'prioirty'; did you mean 'priority'?"); "" otherwise, to
/// let CLI11's own message stand.
std::string unknown_word(const CLI::App& app, int argc, char** argv, const CLI::App*& command) {
  command = nullptr;
  std::vector<std::string> options;
  auto add_options = [&](const CLI::App& a) {
    for (const CLI::Option* o : a.get_options())
      for (auto& n : option_names(*o)) options.push_back(std::move(n));
  };
  add_options(app);
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "--") break;
    if (!word.starts_with("-") || word == "-") {
      if (command) continue;  // an argument of the command
      std::vector<std::string> names;
      for (const CLI::App* sub : app.get_subcommands({})) {
        names.push_back(sub->get_name());
        if (sub->get_name() == word) command = sub;
      }
      if (!command) return fmt::format("unknown command '{}'{} (see 'tandem --help')", escape_control(word),
                                       command_suggestion(word, names));
      add_options(*command);
      continue;
    }
    std::string name = word.substr(0, word.find('='));
    if (!name.starts_with("--") && name.size() > 2) name.resize(2);  // -Cdir
    const CLI::Option* o = app.get_option_no_throw(name);
    if (!o && command) o = command->get_option_no_throw(name);
    if (!o) return unknown_option(name, options, command);
    if (word.find('=') == std::string::npos && name.size() == word.size() && o->get_items_expected_min() > 0) ++i;
  }
  return {};
}

/// The page of docs/ in tandem's source that describes a command.
std::string_view docs_page(std::string_view command) {
  for (const auto& c : tandem::cmd::commands())
    if (c.name == command) return c.docs;
  return "commands.md";
}

/// CLI11's message for `e`, in tandem's words: "tandem: error: MESSAGE (see 'tandem set --help')".
std::string rewrite(const CLI::ParseError& e, const CLI::App* command) {
  std::string what = escape_control(e.what());
  std::string help = command ? fmt::format("see 'tandem {} --help'", command->get_name()) : "see 'tandem --help'";
  auto after_colon = [&] { auto c = what.find(": "); return c == std::string::npos ? what : what.substr(c + 2); };
  std::string positionals;
  if (command)
    for (const CLI::Option* o : command->get_options())
      if (o->get_positional()) positionals += (positionals.empty() ? "" : " ") + o->get_name();
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    std::string args = after_colon(), takes = command ? fmt::format("tandem {} takes {}", command->get_name(),
                                                                    positionals.empty() ? "no argument" : positionals)
                                                      : "a command comes first";
    return fmt::format("unexpected argument{} '{}' ({}; {})", args.find(' ') == std::string::npos ? "" : "s", args,
                       takes, help);
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e)) {
    if (what.starts_with("A subcommand is required") && command) {
      std::vector<std::string> names;
      for (const CLI::App* sub : command->get_subcommands({})) names.push_back(sub->get_name());
      return fmt::format("tandem {} needs a command: {} ({})", command->get_name(), join(names, ", "), help);
    }
    auto is = what.find(" is required");
    if (is != std::string::npos) return fmt::format("missing {} ({})", what.substr(0, is), help);
  }
  // "--today: At Most 1 required but received 2" (an option given twice)
  for (std::string_view bound : {": At Most ", ": At least "})
    if (auto at = what.find(bound), but = what.find(" required but received "); at != std::string::npos && but > at &&
                                                                            but != std::string::npos)
      return fmt::format("{} takes {} {} value{} (given {}) ({})", what.substr(0, at), bound[5] == 'M' ? "at most" : "at least",
                         what.substr(at + bound.size(), but - at - bound.size()),
                         what.substr(at + bound.size(), but - at - bound.size()) == "1" ? "" : "s", what.substr(but + 23),
                         help);
  // CLI::Range: "--runs: Value -5 not in range 1 to 10000000"
  if (auto at = what.find(": Value "), not_in = what.find(" not in range "); at != std::string::npos && not_in > at &&
                                                                             not_in != std::string::npos) {
    std::string bounds = what.substr(not_in + 14);
    if (auto to = bounds.find(" to "); to != std::string::npos) bounds.replace(to, 4, " and ");
    return fmt::format("{}: {} is not between {} ({})", what.substr(0, at), what.substr(at + 8, not_in - at - 8), bounds,
                       help);
  }
  if (std::string_view k_convert = "Could not convert: "; what.starts_with(k_convert)) {  // "--limit = abc"
    auto eq = what.find(" = ", k_convert.size());
    if (eq != std::string::npos)
      return fmt::format("{}: '{}' is not a number ({})", what.substr(k_convert.size(), eq - k_convert.size()),
                         what.substr(eq + 3), help);
  }
  if (auto colon = what.find(": "); what.ends_with(" missing") && what.find(" required ") != std::string::npos &&
                                     colon != std::string::npos)  // "--date: 1 required TEXT missing"
    return fmt::format("{} needs a value ({})", what.substr(0, colon), help);
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) || dynamic_cast<const CLI::ConversionError*>(&e) ||
      dynamic_cast<const CLI::ValidationError*>(&e))
    return fmt::format("{} ({})", what, help);
  if (!what.empty() && what[0] >= 'A' && what[0] <= 'Z' && (what.size() < 2 || what[1] < 'A' || what[1] > 'Z'))
    what[0] = static_cast<char>(what[0] - 'A' + 'a');
  return fmt::format("{} ({})", what, help);
}

/// What bare `tandem` prints: the commands, one line each, and where to read on.
std::string short_help(const CLI::App& app) {
  std::string out = app.get_description() + "\n\nUsage: tandem [OPTIONS] COMMAND [ARGS]\n\nCommands:\n";
  for (const CLI::App* sub : app.get_subcommands({}))
    out += fmt::format("  {:<13} {}\n", sub->get_name(), sub->get_description());
  return out + "\nRun 'tandem COMMAND --help' for a command's options, 'tandem --help' for the global ones;\n"
               "the documentation is in docs/ in tandem's source (docs/commands.md lists every command).\n";
}

/// CLI11's help, with the global options (the parent's) under every command's own footer, and where its
/// documentation is.
class HelpFormatter : public CLI::Formatter {
public:
  std::string make_footer(const CLI::App* app) const override {
    std::string out = CLI::Formatter::make_footer(app);
    const CLI::App* parent = app->get_parent();
    if (!parent)
      return out + (out.empty() ? "" : "\n") +
             "Docs: README.md (a five-minute walk-through) and docs/README.md (a page per topic) in tandem's source.\n";
    out += (out.empty() ? "" : "\n") + std::string("Global options (before or after the command):\n");
    for (const CLI::Option* o : parent->get_options()) {
      if (o->get_lnames() == std::vector<std::string>{"help"} || o->get_lnames() == std::vector<std::string>{"version"})
        continue;
      std::string name = o->get_name(false, true);
      if (!o->get_option_text().empty()) name += " " + o->get_option_text();
      out += fmt::format("  {:<27} {}\n", name, o->get_description());
    }
    return out + fmt::format("\nDocs: docs/{} in tandem's source.\n", docs_page(app->get_name()));
  }
};

/// A short-lived process that builds large trees spends a tenth of its time in page faults. It keeps
/// freed memory instead of handing it back to the kernel and faulting it in again, and asks for the
/// first 64 MiB of its heap in 2 MiB pages (transparent huge pages, which Debian's kernel gives on
/// request): one fault instead of 512, and fewer TLB misses. `check` of 10,000 items takes 8 % less
/// CPU, of 100,000 items 6 % less. Beyond 64 MiB the cost of zeroing fresh 2 MiB pages ate the gain
/// (a cold report was 12 % slower with 256 MiB), so the rest of the heap has ordinary pages. Where the
/// kernel refuses any of it, nothing changes.
void tune_memory() {
  constexpr std::uintptr_t huge = 2 << 20;
  mallopt(M_TRIM_THRESHOLD, 256 << 20);  // above the pad: no trimming back and growing again
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
  auto start = reinterpret_cast<std::uintptr_t>(sbrk(0));
  void* volatile grow = malloc(1 << 20);  // the heap grows now (volatile: the pair is not optimised away)
  free(grow);
  auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
  std::uintptr_t first = (start + huge - 1) & ~(huge - 1);
  if (start != std::uintptr_t(-1) && end > first) madvise(reinterpret_cast<void*>(first), end - first, MADV_HUGEPAGE);
}

}  // namespace

int main(int argc, char** argv) {
  tune_memory();
  using namespace tandem;
  cmd::Globals g;
  int exit_code = 0;
  CLI::App app{"tandem: the backlog, roadmap and risk register as YAML in git, with who-decides-what checked"};
  app.name("tandem");  // help says "Usage: tandem …", not the path the binary was started by
  app.set_version_flag("--version", std::string("tandem ") + TANDEM_VERSION);
  app.formatter(std::make_shared<HelpFormatter>());  // before the subcommands, which copy it
  // CLI11 echoes what it could not parse: control characters in it are shown as escapes (before the
  // subcommands, which copy it).
  app.failure_message([](const CLI::App* a, const CLI::Error& e) {
    std::string out = CLI::FailureMessage::simple(a, e), what = e.what();
    return out.starts_with(what) ? escape_control(what) + out.substr(what.size()) : escape_control(out);
  });
  app.require_subcommand(0, 1);
  app.fallthrough();
  app.add_option("-C", g.dir, "Run as if started in DIR")->option_text("DIR");
  app.add_option("--config", g.config, "Use this tandem.yaml instead of searching for one")->option_text("FILE");
  app.add_option("--today", g.today, "Take DATE as today (YYYY-MM-DD), for reproducible output")->option_text("DATE");
  app.add_option("--rev", g.rev, "Read the plan files from this git revision instead of the working tree")
      ->option_text("REV");
  app.add_option("--format", g.format, "Output format: " + cmd::all_format_names(", "))
      ->option_text("FORMAT");
  app.add_option("--color", g.color, "Colour: auto, always or never (NO_COLOR and FORCE_COLOR are honoured)")
      ->option_text("WHEN")
      ->check(cmd::one_of({"auto", "always", "never"}));
  app.add_flag("-q,--quiet", g.quiet, "Print less: errors only (no summaries, no notes)");
  app.add_option("--max-file-size", g.max_file_size, "Largest plan file read, in bytes (default 67108864)")
      ->option_text("BYTES");
  // At most 1000: the schema check recurses, and far deeper trees overflow the stack under ASan.
  app.add_option("--max-depth", g.max_depth, "Deepest nesting of lists and mappings (default 64, at most 1000)")
      ->option_text("N")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  app.add_option("--max-alias-nodes", g.max_alias_nodes, "Most nodes aliases may add per file (default 1000000)")
      ->option_text("N");
  app.add_option("--max-items", g.max_items, "Most items, milestones and risks in the plan (default 1000000)")
      ->option_text("N");

  for (const auto& c : cmd::commands()) c.add(*app.add_subcommand(std::string(c.name), std::string(c.help)), c, g, exit_code);

  auto* help = app.add_subcommand("help", "Show help for a command");
  std::string help_topic;
  help->add_option("COMMAND", help_topic, "the command");
  help->callback([&] {
    if (help_topic.empty()) {  // app.help() would be help's own, the command that ran
      std::fputs(app.get_formatter()->make_help(&app, "tandem", CLI::AppFormatMode::Normal).c_str(), stdout);
      return;
    }
    CLI::App* sub = nullptr;
    try {
      sub = app.get_subcommand(help_topic);
    } catch (const CLI::OptionNotFound&) {
    }
    if (!sub) throw Error(fmt::format("no command '{}' (see 'tandem --help')", help_topic));
    std::fputs(sub->help("tandem").c_str(), stdout);
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
    const CLI::App* command = nullptr;
    std::string why = unknown_word(app, argc, argv, command);
    std::fprintf(stderr, "tandem: error: %s\n", (why.empty() ? rewrite(e, command) : why).c_str());
    return 2;
  } catch (const Error& e) {  // messages quote the user's input (revisions, paths, dates): escaped
    std::fprintf(stderr, "tandem: error: %s\n", escape_control(e.what()).c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tandem: error: %s\n", escape_control(e.what()).c_str());
    return 2;
  }
  if (app.get_subcommands().empty()) std::fputs(short_help(app).c_str(), stdout);  // bare `tandem`
  return exit_code;
}
