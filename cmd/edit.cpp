#include "cmd/edit.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>

#include "core/base/codes.hpp"
#include "core/base/error.hpp"
#include "core/base/output.hpp"
#include "core/base/text.hpp"
#include "core/git/history.hpp"
#include "core/git/refs.hpp"
#include "core/git/repository.hpp"

namespace tandem::cmd {

void add_edit_flags(CLI::App& sub, EditFlags& flags) {
  sub.add_flag("--dry-run,-n", flags.dry_run, "Print the unified diff of the file instead of writing it");
  sub.add_flag("--strict", flags.strict,
               "Refuse a change your roles do not cover (or when ownership cannot be checked) instead of noting it");
}

std::unique_ptr<FileLock> edit_lock(const Globals& g, const load::Location& where) {
  std::string path = (std::filesystem::path(where.root) / ".tandem.lock").string();
  if (where.in_git) path = git::worktree_git_dir(git::Repository(where.root)) + "tandem.lock";
  std::chrono::milliseconds timeout{60'000};
  if (const char* v = std::getenv("TANDEM_LOCK_TIMEOUT"); v && *v) {
    char* end = nullptr;
    double seconds = std::strtod(v, &end);
    if (*end || !(seconds >= 0) || seconds > 86'400)
      throw Error(fmt::format("TANDEM_LOCK_TIMEOUT='{}' is not a number of seconds (0 to 86400)", v));
    timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  }
  bool quiet = g.quiet;
  return std::make_unique<FileLock>(path, timeout, [quiet, path] {
    if (!quiet) std::fprintf(stderr, "tandem: waiting for another tandem edit to finish (%s)\n", path.c_str());
  });
}

namespace {

/// Refuses to edit a plan with a file that does not parse, naming the file and its first error: its
/// records are missing from the plan, so an id in it would read as unknown and `add` could reuse one.
void refuse_unparsed(const Diagnostics& diags) {
  std::vector<std::string> files, first;
  for (const auto& d : diags.sorted()) {
    if (d.severity != Severity::error || !stops_parsing(d.code)) continue;
    if (std::find(files.begin(), files.end(), d.file) != files.end()) continue;
    files.push_back(d.file);
    first.push_back(fmt::format("{}:{}:{}: {}", d.file, d.mark.line, d.mark.column, d.message));
  }
  if (files.empty()) return;
  throw edit::Refused(fmt::format("{} {} not parse ({}); fix {} first: tandem edits the plan only when every file "
                                  "parses (nothing written)",
                                  join(files, ", "), files.size() == 1 ? "does" : "do", join(first, "; "),
                                  files.size() == 1 ? "it" : "them"));
}

}  // namespace

EditInput edit_input(const Globals& g, const std::set<std::string>* records) {
  if (!g.rev.empty()) throw Error("the editing commands change the working tree: --rev is not allowed here");
  EditInput in;
  in.options = load_options(g);
  in.options.keep_trees = !records;  // the edit reads the trees instead of parsing the files again
  in.options.keep_records = records;
  in.where = load::locate(in.options);
  in.lock = edit_lock(g, in.where);
  in.source = std::make_unique<WorkTreeSource>(in.where.root);
  in.loaded = load::load(in.where, *in.source, in.options, in.diags);
  if (in.loaded.read_again) {  // a list file with a finding of the parser: read as the other commands read
    in.options.keep_trees = true;
    in.options.keep_records = nullptr;
    in.diags = Diagnostics();
    in.loaded = load::load(in.where, *in.source, in.options, in.diags);
  }
  in.options.keep_records = nullptr;  // kept: verify reads the edited plan without it
  refuse_unparsed(in.diags);
  return in;
}

namespace {

/// The editor's git email, or nullopt outside git or without `user.email`.
std::optional<std::string> editor_email(const load::Location& where) {
  if (!where.in_git) return std::nullopt;
  try {
    return git::Repository(where.root).user_email();
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::string shown(const nlohmann::json& v) {
  return v.is_null() ? "(none)" : escape_control(history::display(v.dump()));
}

}  // namespace

std::optional<std::string> editor_id(const EditInput& in) {
  auto email = editor_email(in.where);
  if (!email || email->empty()) return std::nullopt;
  auto who = in.loaded.index.people().by_email(*email);
  if (!who || !in.loaded.plan.config.people[*who].id.has()) return std::nullopt;
  return *in.loaded.plan.config.people[*who].id;
}

namespace {

/// The plan read for an edit, left to the operating system when the process ends instead of freed block
/// by block (as `check` leaves its plan: docs/design.md). Its owner is a static: reachable, so leak
/// checkers do not report it.
void leave_to_exit(load::Loaded&& loaded) {
  static auto* const kept = new std::optional<load::Loaded>;
  kept->emplace(std::move(loaded));
}

}  // namespace

int finish_edit(const Globals& g, EditInput& in, const editing::Result& result, const EditFlags& flags) {
  if (result.files.empty()) {
    if (!g.quiet) std::fprintf(stderr, "tandem: nothing to change\n");
    return 0;
  }
  // The trees of the files the edit changed are read no more (verify reads the edited texts' trees): let
  // them go before verify loads the edited plan, so that two trees of a large file are never held at once.
  for (const auto& f : result.files) in.loaded.trees.erase(f.path);
  in.loaded.texts.clear();  // the texts of the records set kept: the edit has read them
  editing::verify(in.where, *in.source, in.options, in.loaded, in.diags, result, today(g));
  auto judgement = editing::judge(in.loaded, result, editor_email(in.where));
  if (flags.strict && !judgement.checked)
    throw edit::Refused(fmt::format("{}; --strict refuses, nothing written", judgement.note));
  if (flags.strict && !judgement.approvals.empty())
    throw edit::Refused(fmt::format("{}; --strict refuses, nothing written", join(judgement.approvals, "; ")));
  if (!judgement.checked && !g.quiet) std::fprintf(stderr, "tandem: note: %s\n", judgement.note.c_str());
  for (const auto& a : judgement.approvals)
    if (!g.quiet) std::fprintf(stderr, "tandem: note: %s\n", escape_control(a).c_str());
  if (flags.dry_run) {
    std::string diff;
    for (const auto& f : result.files) diff += edit::unified_diff(f.before, f.after, f.path);
    print(diff);
    leave_to_exit(std::move(in.loaded));
    return 0;
  }
  for (const auto& f : result.files)
    replace_plan_file((std::filesystem::path(in.where.root) / f.path).string(), f.after, f.before);
  if (!g.quiet) {
    std::string out;
    for (const auto& line : result.summary) out += escape_control(line) + "\n";
    for (const auto& c : result.changes) {
      if (!result.summary.empty()) break;
      if (c.field == "create" || c.field == "delete" || c.field == "order")
        out += fmt::format("{}: {}\n", c.id, c.field == "order" ? "moved" : c.field == "create" ? "added" : "removed");
      else
        out += fmt::format("{}: {}: {} → {}\n", c.id, c.field, shown(c.before), shown(c.after));
    }
    print(out);
  }
  leave_to_exit(std::move(in.loaded));
  return 0;
}

int run_edit(const std::function<int()>& body) {
  try {
    return body();
  } catch (const edit::Refused& e) {
    // A refusal may list findings, one per line: each line escaped on its own.
    std::string why = e.what(), out;
    for (std::size_t b = 0; b <= why.size();) {
      auto nl = why.find('\n', b);
      if (nl == std::string::npos) nl = why.size();
      out += (b ? "\n" : "") + escape_control(std::string_view(why).substr(b, nl - b));
      b = nl + 1;
    }
    std::fprintf(stderr, "tandem: error: %s\n", out.c_str());
    return 1;
  }
}

}  // namespace tandem::cmd
