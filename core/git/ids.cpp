#include "core/git/ids.hpp"

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
    ids = cache.ids();
    auto commits = git::walk_many(repo, tips, cache.tips());
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
