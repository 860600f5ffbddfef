#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

#include "cmd/common.hpp"
#include "core/engine/compare.hpp"
#include "core/engine/forecast.hpp"
#include "core/git/done_dates.hpp"
#include "core/git/audit.hpp"
#include "core/git/history.hpp"
#include "core/render/history.hpp"

namespace tandem::cmd {

namespace {
/// The plan before the first commit: no files.
struct NoFiles : Source {
  std::optional<std::string> read(const std::string&, std::size_t) const override { return std::nullopt; }
  EntryType type(const std::string&) const override { return EntryType::none; }
  std::vector<std::pair<std::string, EntryType>> list(const std::string&) const override { return {}; }
};

/// For each change: whose approval it needs under the base's rules, and whether it has it, by audit's
/// own code (one judge): in the range base..new (`base` the old side, or A for `A...B`), or for the
/// working tree as made by the author git
/// would record. Empty when the old side is no commit of this repository's
/// history.
std::vector<std::string> approvals(git::Repository& repo, const load::Location& where, const load::Options& options,
                                   const history::Side& old_side, const history::Side& new_side,
                                   const std::optional<git::Oid>& judge_base,
                                   const std::vector<history::Change>& changes) {
  if (!old_side.commit || changes.empty() || !where.in_git) return {};
  const git::Oid base = judge_base.value_or(*old_side.commit);
  std::string dir = std::filesystem::path(where.config_path).parent_path().generic_string();
  auto result = new_side.commit
                    ? audit::run(repo, git::Range{base, *new_side.commit}, dir, where.config_path, options)
                    : audit::judge_worktree(repo, base, dir, where.config_path, options,
                                            current_user_email(repo.workdir()));
  auto authority = audit::authority_at(repo, base, where.config_path, options);
  std::vector<std::string> out;
  for (const auto& c : changes) {
    std::string need = ownership::to_string(audit::requirement_for(authority.rules, c));
    const audit::Violation* missing = nullptr;
    for (const auto& v : result.violations)
      if (v.change.kind == c.kind && v.change.id == c.id && v.change.field == c.field)
        missing = &v;
    if (!missing) out.push_back(need + ": has it");
    else if (missing->code == "unverified-commit") out.push_back(need + ": unverified commit " + missing->commit.short_id);
    else out.push_back(fmt::format("{}: missing {}", need, missing->missing.empty() ? need : missing->missing));
  }
  return out;
}

}  // namespace

void add_diff(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("No REV: HEAD against the working tree. One REV: REV against the working tree. Two: the first\n"
              "against the second. A range as git reads it: A..B is A against B; A...B is the merge base of A and B\n"
              "against B, what B's branch changes (review a branch with 'tandem diff main...HEAD'). Shows items\n"
              "added, removed and changed (with the approvals each has, by audit's code: for A...B, audit A..B),\n"
              "priority ranks that moved and the milestones' planned finishes that moved. A plan file that one side\n"
              "cannot read is named (exit 1) and left out of both sides. --format markdown is meant as a\n"
              "pull-request comment.\n" +
             self.formats_line());
  static std::vector<std::string> revs;
  sub.add_option("REV", revs, "Revisions to compare, or a range A..B or A...B")->expected(0, 2);
  sub.callback([&g, &self, &exit_code] {
    using render::Format;
    Format f = format(g, self);
    auto options = load_options(g);
    auto where = load::locate(options);
    git::Repository repo(where.root);
    bool no_commits = revs.empty() && repo.unborn();  // HEAD is then the empty plan: everything is added
    auto range = no_commits ? git::DiffRange{} : git::parse_diff_range(repo, revs);
    auto old_side = no_commits ? history::Side{"the empty plan (no commits yet)", std::make_unique<NoFiles>(), std::nullopt}
                               : history::side(repo, where.root, range.old_rev.value_or("HEAD"));
    if (!range.old_label.empty()) old_side.label = range.old_label;
    auto new_side = history::side(repo, where.root, range.new_rev);
    history::Reader reader(&repo, where.config_path, options);
    render::DiffReport report;
    report.from = old_side.label;
    report.to = new_side.label;
    // The old side first: a file that does not parse on the new side stands as it was there.
    auto old_version = history::version(reader, old_side);
    auto new_version = history::version(reader, new_side);
    // A file one side cannot read is named, and left out of both sides: its records are not deleted.
    std::vector<std::string> unreadable;
    for (const auto* v : {old_version.get(), new_version.get()})
      for (const auto& d : v->problems) {
        if (d.code == "unsafe-attributes") {  // the file was read: what a checkout makes of it differs
          std::string note = fmt::format("{}:{}: {} (in {})", d.file, d.mark.line, d.message,
                                         v == old_version.get() ? old_side.label : new_side.label);
          if (std::find(report.notes.begin(), report.notes.end(), note) == report.notes.end())
            report.notes.push_back(std::move(note));
          continue;
        }
        report.unparseable.push_back({v == old_version.get() ? old_side.label : new_side.label, d});
        if (std::find(unreadable.begin(), unreadable.end(), d.file) == unreadable.end()) unreadable.push_back(d.file);
      }
    report.changes =
        history::diff(history::without(*old_version, unreadable), history::without(*new_version, unreadable));

    report.approvals = approvals(repo, where, options, old_side, new_side, range.judge_base, report.changes);
    Date now = today(g);
    // Completions as `report` reads them: `done:` dates, else the commit that made an item done.
    auto dates = [&options](std::string rev) -> compare::Completions {
      return [&options, rev](const model::Plan& plan) { return done_dates_from_history(options, rev, plan); };
    };
    auto before = no_commits ? std::optional(compare::Outlook{})
                             : compare::outlook(where, *old_side.source, options, now, dates(range.old_rev.value_or("HEAD")));
    auto after = compare::outlook(where, *new_side.source, options, now, dates(range.new_rev.value_or("")));
    if (!before || !after) {
      report.notes.push_back(fmt::format("the plan in {} has errors (see 'tandem check'): ranks and forecasts not compared",
                                         !before ? old_side.label : new_side.label));
    } else {
      auto moves = compare::compare(*before, *after);
      report.ranks = std::move(moves.ranks);
      report.milestones = std::move(moves.milestones);
    }
    print(render::diff(report, f));
    exit_code = report.unparseable.empty() ? 0 : 1;
  });
}

}  // namespace tandem::cmd
