#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "cmd/common.hpp"
#include "core/base/error.hpp"
#include "core/base/output.hpp"
#include "core/git/merge_file.hpp"
#include "core/plan/kinds.hpp"

namespace tandem::cmd {

namespace {

namespace fs = std::filesystem;

/// A file's bytes; "" for a missing file when `optional` (git's %O when there is no base).
std::string read_all(const std::string& path, bool optional) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (optional) return "";
    throw Error(fmt::format("cannot read {}", path));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// What git should run: `tandem` when that is this binary on PATH, else this binary's absolute path.
std::string driver_command() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  std::string program = "tandem";
  if (!ec) {
    program = self.string();
    if (const char* path = std::getenv("PATH")) {
      std::stringstream dirs(path);
      for (std::string dir; std::getline(dirs, dir, ':');) {
        if (dir.empty()) continue;
        fs::path candidate = fs::path(dir) / "tandem";
        if (fs::equivalent(candidate, self, ec) && !ec) {
          program = "tandem";
          break;
        }
      }
    }
  }
  if (program.find_first_of(" \t'\"\\$`") != std::string::npos) {
    std::string quoted = "'";
    for (char c : program) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    program = quoted + "'";
  }
  return program + " merge-driver run %O %A %B %P %L";
}

/// The repository-relative patterns of every plan file of the plan that `g` finds, and tandem.yaml.
std::vector<std::string> plan_patterns(const Globals& g, load::Location& where) {
  auto options = load_options(g);
  where = load::locate(options);
  if (!where.in_git) throw Error(fmt::format("{} is not in a git repository", where.root));
  WorkTreeSource source(where.root);
  Diagnostics diags;
  auto loaded = load::load(where, source, options, diags, true);
  std::string dir = loaded.plan.config_dir.empty() ? "" : loaded.plan.config_dir + "/";
  std::vector<std::string> out{where.config_path};
  for (const auto& kind : kinds::k_lists) {
    auto hit = loaded.plan.config.files.find(std::string(kind.name));
    if (hit == loaded.plan.config.files.end() || hit->second.empty()) {
      out.push_back(dir + std::string(kind.default_file));
      continue;
    }
    for (const auto& pattern : hit->second)
      if (pattern.has()) out.push_back(dir + *pattern);
  }
  return out;
}

}  // namespace

void install_merge_driver(const std::string& dir, const std::vector<std::string>& patterns, bool global, bool quiet) {
  git::Repository repo(dir);
  std::string root = repo.workdir();
  std::string prefix;
  if (!root.empty()) {
    std::error_code ec;
    auto rel = fs::relative(fs::weakly_canonical(dir, ec), fs::weakly_canonical(root, ec), ec).generic_string();
    if (!ec && rel != "." && !rel.empty()) prefix = rel + "/";
  }
  std::vector<std::string> in_repo;
  for (const auto& p : patterns) in_repo.push_back(prefix + p);
  auto done = merge_file::install(repo, in_repo, driver_command(), global);
  if (quiet) return;
  if (done.lines.empty() && done.settings.empty()) {
    print(fmt::format("the tandem merge driver is already installed ({} and the {} git configuration)\n",
                      done.attributes, global ? "user's" : "repository's"));
    return;
  }
  for (const auto& l : done.lines) print(fmt::format("{}: added '{}'\n", done.attributes, l));
  for (const auto& s : done.settings)
    print(fmt::format("{} git configuration: set {}\n", global ? "user's" : "repository's", s));
}

namespace {

void install(const Globals& g, bool global) {
  load::Location where;
  auto patterns = plan_patterns(g, where);
  install_merge_driver(where.root, patterns, global, g.quiet);
}

int run(const std::vector<std::string>& args) {
  if (args.size() < 4 || args.size() > 5)
    throw Error("merge-driver run takes BASE OURS THEIRS PATH [MARKER_SIZE] (git's %O %A %B %P %L)");
  int marker = 7;
  if (args.size() == 5) {
    try {
      marker = std::stoi(args[4]);
    } catch (const std::exception&) {
      marker = 0;
    }
    if (marker < 1 || marker > 1000) throw Error(fmt::format("MARKER_SIZE must be a number from 1 to 1000, not '{}'", args[4]));
  }
  const std::string& path = args[3];
  auto out = merge_file::merge(read_all(args[0], true), read_all(args[1], false), read_all(args[2], false), path, marker);
  for (const auto& w : out.warnings) std::fprintf(stderr, "tandem: %s\n", w.c_str());
  if (out.status == merge_file::Status::unparsable) {
    std::fprintf(stderr, "tandem: %s: merging it line by line instead (git merge-file)\n", path.c_str());
    return merge_file::line_merge(args[0], args[1], args[2], path, marker) == 0 ? 0 : 1;
  }
  write_file_atomically(args[1], out.text);
  for (const auto& c : out.conflicts) std::fprintf(stderr, "%s\n", c.c_str());
  if (out.status == merge_file::Status::conflict)
    std::fprintf(stderr, "tandem: %s: resolve the conflicts above, run 'tandem check', then 'git add %s'\n",
                 path.c_str(), path.c_str());
  return out.status == merge_file::Status::clean ? 0 : 1;
}

}  // namespace

void add_merge_driver(CLI::App& sub, const Command&, Globals& g, int& exit_code) {
  static bool global = false;
  static std::vector<std::string> args;
  sub.require_subcommand(1);
  sub.footer("Git runs 'merge-driver run' on every merge, rebase, cherry-pick and revert of a plan file once\n"
             "'merge-driver install' has named the files in .gitattributes (see docs/parallel.md).");
  auto* inst = sub.add_subcommand("install", "Add merge=tandem to .gitattributes for the plan files and register the "
                                             "driver in git's configuration");
  inst->add_flag("--global", global, "register the driver in the user's git configuration, not the repository's");
  inst->callback([&g, &exit_code] {
    install(g, global);
    exit_code = 0;
  });
  auto* run_cmd = sub.add_subcommand("run", "Merge three versions of a plan file (what git runs: %O %A %B %P %L); "
                                            "writes the result into OURS, exits 1 on a conflict");
  run_cmd->add_option("BASE_OURS_THEIRS_PATH", args, "BASE OURS THEIRS PATH [MARKER_SIZE]: git's %O %A %B %P %L")->required();
  run_cmd->callback([&exit_code] { exit_code = run(args); });
}

}  // namespace tandem::cmd
