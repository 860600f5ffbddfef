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

/// The author git will record for the approval commit (GIT_AUTHOR_* or the configuration): name and email.
std::pair<std::string, std::string> git_author(const git::Repository& repo) {
  if (auto ident = repo.author_ident()) return *ident;
  throw Error("git has no author identity for the approval commit (set user.name and user.email)");
}

/// What approve prints: the changes it approves (or would), then those it cannot and why.
std::string approve_text(const audit::ApprovalDraft& draft, const std::string& first_line) {
  std::string out = first_line;
  for (const auto& l : draft.lines) out += "  " + l + "\n";
  if (!draft.refused.empty())
    out += fmt::format("Not approved: {}'s approval does not count for {} change{} of the range:\n", draft.approver,
                       draft.refused.size(), draft.refused.size() == 1 ? "" : "s");
  for (const auto& l : draft.refused) out += "  " + l + "\n";
  return out;
}

}  // namespace

std::string current_user_email(const std::string& workdir) {
  return git::Repository(workdir).user_email().value_or("");
}

void add_approve(CLI::App& sub, const Command&, Globals& g, int& exit_code) {
  sub.footer(
      "RANGE is BASE..HEAD (default @{upstream}..HEAD), as for audit. Writes a commit on the current branch that\n"
      "changes no file, lists the plan changes of the range that your approval counts for (by audit's rule:\n"
      "not your own change, and the change needs a role you hold), says which it cannot approve and why, and\n"
      "ends with the trailer 'Approves: <base>..<tip>' of the range: the audit then counts you as an approver of\n"
      "those changes, and of no commit before the base. --dry-run prints the same and writes no commit. It is signed (git commit -S) when your git\n"
      "configuration sets user.signingkey, gpg.format or commit.gpgsign; with trust.signatures: required only a\n"
      "signed approval counts.");
  static std::string range, base;
  static bool dry_run = false;
  sub.add_option("RANGE", range, "Commits to approve");
  sub.add_option("--base", base, "Approve BASE..HEAD")->option_text("REV");
  sub.add_flag("--dry-run", dry_run, "Print what would be approved; write no commit");
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
    std::string workdir = repo.workdir();
    auto [name, email] = git_author(repo);
    auto draft = audit::draft_approval(repo, git::parse_range(repo, range, base), dir, config, options,
                                       render::change_words, name, email);
    if (draft.lines.empty() && draft.refused.empty())
      throw Error("the range changes no plan file: there is nothing to approve");
    if (draft.lines.empty())
      throw Error(approve_text(draft, "nothing to approve: your approval counts for none of the range's changes\n"));
    bool sign = !git_config(workdir, "user.signingkey").empty() || !git_config(workdir, "gpg.format").empty() ||
                git_config(workdir, "commit.gpgsign") == "true";
    if (draft.signatures_required && !sign)
      throw Error("trust.signatures is required at the range's base: an unsigned approval counts for nothing (set "
                  "user.signingkey and gpg.format, see docs/history.md)");
    std::string count = fmt::format("{} change{}", draft.lines.size(), draft.lines.size() == 1 ? "" : "s");
    if (dry_run) {
      print(approve_text(draft, fmt::format("Would approve {} of the range as {} (dry run: no commit written)\n", count,
                                            draft.approver)));
      exit_code = 0;
      return;
    }
    if (draft.tip != repo.resolve("HEAD"))
      throw Error("the range's tip is not HEAD: check out the branch you approve, so that the approval lands on it");
    std::vector<std::string> argv = {"git", "-C", workdir, "commit", "--quiet", "--allow-empty", "--no-verify",
                                     "--cleanup=verbatim", "-F", "-"};
    if (sign) argv.push_back("-S");
    auto r = process::run({argv, draft.message, std::chrono::seconds(120), {}, "git"});
    if (r.timed_out) throw Error("git commit took more than 120 s and was stopped");
    if (r.exit_code != 0)
      throw Error(fmt::format("git commit failed: {}", escape_control(r.err.empty() ? r.out : r.err)));
    std::string head = repo.resolve("HEAD").hex().substr(0, 10);
    print(approve_text(draft, fmt::format("Approved {} of the range in commit {} ({})\n", count, head,
                                          sign ? "signed" : "not signed: set user.signingkey to sign approvals")));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
