#pragma once
#include <functional>
#include <map>
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/date.hpp"
#include "core/git/repository.hpp"
#include "core/plan/load.hpp"
#include "core/render/findings.hpp"

namespace tandem::cmd {

/// Options every command accepts (SPEC section 10).
struct Globals {
  std::string dir = ".";
  std::string config;
  std::string today;
  std::string rev;
  std::string format;  ///< --format; empty: not given (text, or what -o FILE's extension names)
  std::string color = "auto";
  bool quiet = false;
  std::size_t max_file_size = 64u << 20;
  std::size_t max_history_bytes = std::size_t{16} << 30;  ///< --max-history-bytes (audit, log, blame, report)
  std::size_t max_depth = 64;
  std::size_t max_alias_nodes = 1'000'000;
  std::size_t max_items = 1'000'000;
};

/// An output format a command offers, with what it means there (empty: nothing to add).
struct FormatUse {
  render::Format format;
  std::string_view note = {};
};

/// One subcommand: the one place that says its name, its help line and the formats it offers
/// (commands.cpp holds the table).
struct Command {
  std::string_view name;
  std::string_view help;
  std::vector<FormatUse> formats;  ///< empty for a command without --format output
  /// Adds the command's footer, options and callback to `sub` (made from `name` and `help`); the
  /// callback stores the command's exit code in `exit_code`.
  void (*add)(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
  std::string_view docs = "commands.md";  ///< the page of docs/ that describes it (the help's last line)

  /// "Formats: text, json, csv (the changes), markdown." for the help footer.
  std::string formats_line() const;
};

/// A CLI11 check that a value is one of `values`, refusing in tandem's words with a suggestion
/// ("'doin' is not one of todo, doing, done, dropped; did you mean 'doing'?").
CLI::Validator one_of(std::vector<std::string> values);

/// The subcommands, in the order `tandem --help` lists them.
const std::vector<Command>& commands();

/// The names of all formats, joined by `separator` (the global --format help, the completions).
std::string all_format_names(std::string_view separator);

void add_check(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_rules(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_init(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_schema(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_priority(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_schedule(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_load(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_forecast(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_risks(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_audit(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_log(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_blame(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_diff(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_approve(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_show(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_list(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);

/// The author `git commit` would record in the repository at `workdir` ("" when git has no
/// identity): who `audit --worktree` and `diff` judge uncommitted changes as, and who edits.
std::string current_user_email(const std::string& workdir);
void add_report(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_set(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_done(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_start(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_drop(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_add(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_move(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_archive(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
void add_merge_driver(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);
/// Installs the merge driver for `patterns` (relative to `dir`) in the repository that holds `dir` (SPEC
/// 13) and says what it wrote (nothing with `quiet`). Throws tandem::Error outside a repository.
void install_merge_driver(const std::string& dir, const std::vector<std::string>& patterns, bool global, bool quiet);
void add_completion(CLI::App& sub, const Command& self, Globals& globals, int& exit_code);

/// Where the plan is read from: the working tree, or the commit that --rev names.
struct PlanInput {
  load::Location where;
  std::unique_ptr<git::Repository> repo;  ///< set with --rev (and kept alive for `source`)
  std::unique_ptr<Source> source;
};
PlanInput plan_input(const Globals& g);

/// Loads and checks the plan for a reporting command. When the plan has errors, prints them to
/// stderr and returns nullopt (the command exits 1): a plan that check rejects is not reported on.
/// With `keep_trees`, the parsed files are kept (load::Options::keep_trees).
std::optional<load::Loaded> load_checked(const Globals& g, Date today, bool keep_trees = false);

/// What a reporting command starts from: its output format, today, and the checked plan.
struct Report {
  render::Format format;
  Date today;
  load::Loaded loaded;
  const model::Plan& plan() const { return loaded.plan; }
};
/// The common start of the reporting commands: checks --format against the command's formats, reads
/// --today, and loads and checks the plan; nullopt (the command exits 1) when the plan has errors.
std::optional<Report> start_report(const Globals& g, const Command& command);

/// Loading options from the global flags.
load::Options load_options(const Globals& g);
/// Adds `--max-history-bytes` to a command that reads git history.
void add_history_budget(CLI::App& sub, Globals& g);
/// The date an option gives; throws tandem::Error naming the option and what is wrong with it.
Date date_option(std::string_view option, const std::string& value);
/// --today, or today's date in UTC. Throws tandem::Error on a malformed date.
Date today(const Globals& g);
/// The --format value, which must be one the command offers; throws tandem::Error otherwise. Without
/// --format: the format `output`'s extension names (`-o r.html`: html), else text.
render::Format format(const Globals& g, const Command& command, const std::string& output = {});
/// Whether to colour output on stdout: --color, NO_COLOR, FORCE_COLOR and whether stdout is a terminal.
bool use_color(const Globals& g);
/// For done items without a `done:` date, the date of the commit that made them done (when the plan is
/// in a git repository): the schedule's finish of a done milestone and the forecast's completions use it.
std::map<std::string, Date> history_done_dates(const Globals& g, const model::Plan& plan);

/// With --format github: appends `markdown()` to the file $GITHUB_STEP_SUMMARY names, when set (and
/// only then renders it).
void append_step_summary(const Globals& g, const std::function<std::string()>& markdown);
/// Writes text to stdout.
void print(const std::string& text);
/// Writes diagnostics to stderr (text format), for commands whose own output is not findings.
void print_diagnostics(const Diagnostics& diags);

}  // namespace tandem::cmd
