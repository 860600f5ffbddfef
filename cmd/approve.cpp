#include <filesystem>
#include <fmt/format.h>

#include "cmd/common.hpp"
#include "core/base/error.hpp"
#include "core/base/process.hpp"
#include "core/base/text.hpp"
#include "core/git/audit.hpp"
#include "core/render/history.hpp"

namespace tandem::cmd {

namespace fs = std::filesystem;

namespace {

/// A value of the repository's git configuration, or "" when it is not set.
std::string git_config(const std::string& workdir, const std::string& key) {
  auto r = process::run({{"git", "-C", workdir, "config", "--get", key}, "", std::chrono::seconds(10), {}, "git"});
  std::string v = r.exit_code == 0 ? r.out : "";
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.pop_back();
  return v;
}

}  // namespace

std::string current_user_email(const std::string& workdir) {
  return git::Repository(workdir).user_email().value_or("");
}

void add_approve(CLI::App& sub, const Command&, Globals& g, int& exit_code) {
  sub.footer(
      "RANGE is BASE..HEAD (default @{upstream}..HEAD), as for audit. Writes a commit on the current branch that\n"
      "changes no file, lists the plan changes of the range in its message and ends with the trailer\n"
      "'Approves: <the range's tip>': the audit then counts you as an approver of every change of the range.\n"
      "It is signed (git commit -S) when your git configuration sets user.signingkey, gpg.format or\n"
      "commit.gpgsign; with trust.signatures: required only a signed approval counts.");
  static std::string range, base;
  sub.add_option("RANGE", range, "Commits to approve");
  sub.add_option("--base", base, "Approve BASE..HEAD")->option_text("REV");
  sub.callback([&g, &exit_code] {
    auto options = load_options(g);
    std::error_code ec;
    fs::path start = options.config_file.empty() ? fs::path(options.start_dir)
                                                 : fs::absolute(options.config_file, ec).parent_path();
    start = fs::weakly_canonical(start, ec);
    git::Repository repo(start.string());
    fs::path top = fs::weakly_canonical(repo.workdir(), ec);
    std::string dir = start.lexically_relative(top).generic_string();
    if (dir == ".") dir.clear();
    std::optional<std::string> config;
    if (!options.config_file.empty()) config = (fs::path(dir) / fs::path(options.config_file).filename()).generic_string();
    auto draft = audit::draft_approval(repo, git::parse_range(repo, range, base), dir, config, options, render::change_words);
    if (draft.lines.empty()) throw Error("the range changes no plan file: there is nothing to approve");
    if (draft.tip != repo.resolve("HEAD"))
      throw Error("the range's tip is not HEAD: check out the branch you approve, so that the approval lands on it");
    std::string workdir = repo.workdir();
    bool sign = !git_config(workdir, "user.signingkey").empty() || !git_config(workdir, "gpg.format").empty() ||
                git_config(workdir, "commit.gpgsign") == "true";
    std::vector<std::string> argv = {"git", "-C", workdir, "commit", "--quiet", "--allow-empty", "--no-verify",
                                     "--cleanup=verbatim", "-F", "-"};
    if (sign) argv.push_back("-S");
    auto r = process::run({argv, draft.message, std::chrono::seconds(120), {}, "git"});
    if (r.timed_out) throw Error("git commit took more than 120 s and was stopped");
    if (r.exit_code != 0)
      throw Error(fmt::format("git commit failed: {}", escape_control(r.err.empty() ? r.out : r.err)));
    std::string head = repo.resolve("HEAD").hex().substr(0, 10);
    std::string out = fmt::format("Approved {} change{} of the range in commit {} ({})\n", draft.lines.size(),
                                  draft.lines.size() == 1 ? "" : "s", head,
                                  sign ? "signed" : "not signed: set user.signingkey to sign approvals");
    for (const auto& l : draft.lines) out += "  " + l + "\n";
    print(out);
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
