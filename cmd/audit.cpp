#include <filesystem>

#include "cmd/common.hpp"
#include "core/base/error.hpp"
#include "core/base/text.hpp"
#include "core/git/audit.hpp"
#include "core/git/range.hpp"
#include "core/render/history.hpp"

namespace tandem::cmd {

namespace fs = std::filesystem;

void add_audit(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer(
      "RANGE is BASE..HEAD (default @{upstream}..HEAD), or one revision for its whole history.\n"
      "Each change is judged by the rules in tandem.yaml as they stand at BASE; the commit's author and\n"
      "its Approved-by: trailers (or approval commits: tandem approve) must together hold the roles the rule\n"
      "asks for; with trust.signatures: required, the key that signed a commit names its maker instead.\n"
      "--worktree judges the uncommitted changes (working tree against HEAD) as made by the author git\n"
      "would record, for a pre-commit hook. Exit 1 on any violation.\n" +
      self.formats_line());
  static std::string range, base;
  sub.add_option("RANGE", range, "Commits to judge");
  sub.add_option("--base", base, "Judge BASE..HEAD")->option_text("REV");
  static bool worktree = false;
  sub.add_flag("--worktree", worktree, "Judge the uncommitted changes as made by the author git would record");
  add_history_budget(sub, g);
  sub.callback([&g, &self, &exit_code] {
    using render::Format;
    Format f = format(g, self);
    auto options = load_options(g);
    // Where the plan is comes from the base, not from the working tree (which the range may have
    // changed): only the directory the user asked about is taken from here.
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
    if (worktree && (!range.empty() || !base.empty())) throw Error("--worktree judges the working tree: give no RANGE or --base");
    auto judged = worktree ? git::Range{} : git::parse_range(repo, range, base);
    auto result = worktree ? audit::judge_worktree(repo, repo.resolve("HEAD"), dir, config, options,
                                                   current_user_email(repo.workdir()))
                           : audit::run(repo, judged, dir, config, options);
    if (!worktree && !judged.base && !g.quiet && judged.head.hex() != repo.resolve("HEAD").hex())
      std::fprintf(stderr, "tandem: note: %s is one revision: its whole history was judged; this branch's own "
                           "commits are 'tandem audit %s..HEAD'\n", escape_control(range).c_str(), escape_control(range).c_str());
    result.range = worktree ? "the uncommitted changes" : escape_control(git::range_label(range, base));
    print(render::audit(result, f, use_color(g)));
    append_step_summary(g, [&] {
      return render::step_summary(render::violations_as_findings(result), "tandem audit", result.commits, "commit");
    });
    exit_code = result.violations.empty() && !result.problems.has_errors() ? 0 : 1;
  });
}

}  // namespace tandem::cmd
