#include "cmd/common.hpp"
#include "core/git/audit.hpp"
#include "core/base/error.hpp"
#include "core/render/history.hpp"

namespace tandem::cmd {

void register_audit(CLI::App& app, Globals& g, int& exit_code) {
  auto* sub = app.add_subcommand("audit", "Judge every commit of a range against the ownership rules");
  sub->footer(
      "RANGE is BASE..HEAD (default @{upstream}..HEAD), or one revision for its whole history.\n"
      "Each change is judged by the rules in tandem.yaml as they stand at BASE; the commit's author and\n"
      "its Approved-by: trailers must together hold the roles the rule asks for. Exit 1 on any violation.\n"
      "Formats: text, json, markdown, github (+ $GITHUB_STEP_SUMMARY), sarif, gitlab, junit.");
  static std::string range, base;
  sub->add_option("RANGE", range, "Commits to judge");
  sub->add_option("--base", base, "Judge BASE..HEAD")->option_text("REV");
  sub->callback([&g, &exit_code] {
    using render::Format;
    Format f = format(g, {Format::text, Format::json, Format::markdown, Format::github, Format::sarif, Format::gitlab,
                          Format::junit});
    auto options = load_options(g);
    auto where = load::locate(options);
    git::Repository repo(where.root);
    std::optional<git_oid> from;
    git_oid to;
    if (!base.empty()) {
      if (!range.empty()) throw Error("give a RANGE or --base, not both");
      from = repo.resolve(base);
      to = repo.resolve("HEAD");
    } else {
      std::string r = range.empty() ? "@{upstream}..HEAD" : range;
      if (r.find("...") != std::string::npos) throw Error("'" + r + "': use BASE..HEAD (two dots)");
      auto dots = r.find("..");
      if (dots == std::string::npos) {
        to = repo.resolve(r);
      } else {
        std::string a = r.substr(0, dots), b = r.substr(dots + 2);
        from = repo.resolve(a.empty() ? "HEAD" : a);
        to = repo.resolve(b.empty() ? "HEAD" : b);
      }
    }
    auto commits = repo.walk(to, from);
    std::optional<git_oid> rules_at = from;
    if (!rules_at && !commits.empty()) rules_at = commits.front();
    auto authority = audit::authority_at(repo, rules_at, where.config_path, options);
    history::Reader reader(&repo, where.config_path, options);
    auto result = audit::run(repo, reader, commits, authority);
    print(render::audit(result, f, use_color(g)));
    append_step_summary(g, render::step_summary(render::violations_as_findings(result), "tandem audit", result.commits, "commit"));
    exit_code = result.violations.empty() && !result.problems.has_errors() ? 0 : 1;
  });
}

}  // namespace tandem::cmd
