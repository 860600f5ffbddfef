#include "core/git/ids.hpp"

#include <algorithm>

#include "core/base/error.hpp"
#include "core/git/cache.hpp"
#include "core/git/refs.hpp"
#include "core/git/walk.hpp"

namespace tandem::history {

std::set<std::string> ids_in_history(const load::Location& where, const load::Options& options) {
  std::set<std::string> ids;
  if (!where.in_git) return ids;
  try {
    git::Repository repo(where.root);
    auto tips = git::ref_tips(repo);
    if (tips.empty()) return ids;
    IdCache cache(repo, where.config_path, options);
    // The cache counts only while every tip it covers is still there: a repository deleted and made
    // anew at the same path (or history rewritten and pruned) is walked afresh.
    const auto& known = cache.tips();
    bool current = std::all_of(known.begin(), known.end(), [&](const git::Oid& t) { return repo.contains(t); });
    if (current) ids = cache.ids();
    auto commits = git::walk_many(repo, tips, current ? known : std::vector<git::Oid>{});
    if (commits.empty()) return ids;
    Reader reader(&repo, where.config_path, options);
    Diagnostics problems;
    for_each_change(repo, reader, commits, problems, [&](Step& step) {
      for (const auto& c : step.changes)
        if (c.field == "create") ids.insert(c.id);
    }, {.skip_cut = true});
    cache.save(tips, ids);
  } catch (const Error&) {
    // No usable history (an unreadable repository): the ids of the files, and those found so far, count.
  }
  return ids;
}

}  // namespace tandem::history
