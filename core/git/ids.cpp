#include "core/git/ids.hpp"

#include "core/base/error.hpp"
#include "core/git/walk.hpp"

namespace tandem::history {

std::set<std::string> ids_in_history(const load::Location& where, const load::Options& options) {
  std::set<std::string> ids;
  if (!where.in_git) return ids;
  try {
    git::Repository repo(where.root);
    if (repo.unborn()) return ids;
    WalkOptions walk;
    walk.skip_cut = true;
    auto commits = repo.walk(repo.resolve("HEAD"), std::nullopt);
    Reader reader(&repo, where.config_path, options);
    Diagnostics problems;
    for_each_change(repo, reader, commits, problems, [&](Step& step) {
      for (const auto& c : step.changes)
        if (c.field == "create") ids.insert(c.id);
    }, walk);
  } catch (const Error&) {
    // No usable history (a shallow boundary, an unreadable repository): the ids of the files count.
  }
  return ids;
}

}  // namespace tandem::history
