#include "cmd/common.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>

#include "core/engine/check.hpp"
#include "core/git/done_dates.hpp"
#include "core/engine/forecast.hpp"
#include "core/base/error.hpp"
#include "core/base/source.hpp"
#include "core/base/text.hpp"

namespace tandem::cmd {

void add_history_budget(CLI::App& sub, Globals& g) {
  sub.add_option("--max-history-bytes", g.max_history_bytes,
                 "Most bytes of plan-file versions read from history in one run (default 17179869184)")
      ->option_text("BYTES");
}

load::Options load_options(const Globals& g) {
  load::Options o;
  o.start_dir = g.dir;
  o.config_file = g.config;
  o.max_file_size = g.max_file_size;
  o.max_history_bytes = g.max_history_bytes;
  o.limits.max_depth = g.max_depth;
  o.limits.max_alias_nodes = g.max_alias_nodes;
  o.max_items = g.max_items;
  return o;
}

Date today(const Globals& g) {
  if (g.today.empty()) return today_utc();
  return date_option("--today", g.today);
}

Date date_option(std::string_view option, const std::string& value) {
  if (auto d = parse_date(value)) return *d;
  throw Error(fmt::format("{} '{}' is not a valid date: {}", option, value, date_problem(value)));
}

namespace {

/// The format an output file's extension names (".html" → html), or nullopt for another extension.
std::optional<render::Format> format_of_extension(const std::string& path) {
  using F = render::Format;
  std::string ext = ascii_lower(std::filesystem::path(path).extension().string());
  static const std::pair<std::string_view, F> k_extensions[] = {
      {".txt", F::text},      {".json", F::json},  {".csv", F::csv},   {".md", F::markdown}, {".markdown", F::markdown},
      {".html", F::html},     {".htm", F::html},   {".sarif", F::sarif}, {".xml", F::junit}, {".yaml", F::yaml},
      {".yml", F::yaml}};
  for (const auto& [e, f] : k_extensions)
    if (ext == e) return f;
  return std::nullopt;
}

}  // namespace

render::Format format(const Globals& g, const Command& command, const std::string& output) {
  std::vector<std::string> names;
  for (const auto& use : command.formats) names.emplace_back(render::format_name(use.format));
  if (g.format.empty()) {
    auto inferred = output.empty() ? std::nullopt : format_of_extension(output);
    if (!inferred) return render::Format::text;
    for (const auto& use : command.formats)
      if (use.format == *inferred) return use.format;
    throw Error(fmt::format("{} offers no {} output for {} (choose {} with --format)", command.name,
                            render::format_name(*inferred), output, join(names, ", ")));
  }
  auto f = render::parse_format(g.format);
  for (const auto& use : command.formats)
    if (f && *f == use.format) return use.format;
  throw Error(fmt::format("--format '{}' is not available here (choose {})", g.format, join(names, ", ")));
}

bool use_color(const Globals& g) {
  if (g.color == "always") return true;
  if (g.color == "never") return false;
  if (const char* no = std::getenv("NO_COLOR"); no && *no) return false;
  if (const char* force = std::getenv("FORCE_COLOR"); force && *force && std::string(force) != "0") return true;
  return ::isatty(STDOUT_FILENO) != 0;
}

std::map<std::string, Date> history_done_dates(const Globals& g, const model::Plan& plan) {
  return done_dates_from_history(load_options(g), g.rev, plan);
}

void append_step_summary(const Globals& g, const std::function<std::string()>& summary) {
  const char* path = std::getenv("GITHUB_STEP_SUMMARY");
  if (g.format != "github" || !path || !*path) return;
  std::string markdown = summary();
  std::FILE* f = std::fopen(path, "a");
  if (!f) throw Error(fmt::format("cannot append to $GITHUB_STEP_SUMMARY ({})", path));
  bool ok = std::fwrite(markdown.data(), 1, markdown.size(), f) == markdown.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) throw Error(fmt::format("cannot append to $GITHUB_STEP_SUMMARY ({})", path));
}

void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void print_diagnostics(const Diagnostics& diags) {
  for (const auto& d : diags.sorted()) std::fprintf(stderr, "%s\n", format_diagnostic(d).c_str());
}

PlanInput plan_input(const Globals& g) {
  PlanInput in;
  in.where = load::locate(load_options(g));
  if (g.rev.empty()) {
    in.source = std::make_unique<WorkTreeSource>(in.where.root);
  } else {
    in.repo = std::make_unique<git::Repository>(in.where.root);
    in.source = std::make_unique<git::TreeSource>(*in.repo, in.repo->resolve(g.rev));
  }
  return in;
}

std::optional<load::Loaded> load_checked(const Globals& g, Date today, bool keep_trees) {
  auto options = load_options(g);
  options.keep_trees = keep_trees;
  auto in = plan_input(g);
  Diagnostics diags;
  auto loaded = load::load(in.where, *in.source, options, diags);
  check::run(loaded, today, diags);
  if (!diags.has_errors()) return loaded;
  for (const auto& d : diags.sorted())
    if (d.severity == Severity::error) std::fprintf(stderr, "%s\n", format_diagnostic(d).c_str());
  bool one = diags.error_count() == 1;
  std::fprintf(stderr, "tandem: the plan has %zu error%s; fix %s first (see 'tandem check')\n", diags.error_count(),
               one ? "" : "s", one ? "it" : "them");
  return std::nullopt;
}

std::optional<Report> start_report(const Globals& g, const Command& command) {
  render::Format f = format(g, command);
  Date now = today(g);
  auto loaded = load_checked(g, now);
  if (!loaded) return std::nullopt;
  return Report{f, now, std::move(*loaded)};
}

}  // namespace tandem::cmd
