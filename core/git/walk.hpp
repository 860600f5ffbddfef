#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/base/diagnostic.hpp"
#include "core/git/cache.hpp"
#include "core/git/history.hpp"
#include "core/git/range.hpp"
#include "core/git/repository.hpp"

namespace tandem::history {

using git::Range;

/// One commit of a walk and what it did to the plan.
struct Step {
  const git::CommitInfo& commit;
  /// The commit's changes against its parent (a root commit: against nothing); for a merge, against
  /// the clean three-way merge of its parents (history::merge): what the merge made of its own.
  std::vector<Change> changes;
  /// Each backlog record the commit creates with a status: its id and status (canonical JSON).
  std::vector<std::pair<std::string, std::string>> created_status;
  /// The plan after the commit; null when `cut`, or when the step came from the cache.
  std::shared_ptr<const Version> after;
  /// The plan in each parent, first parent first (what a three-way view of a merge starts from); none
  /// when the step came from the cache.
  std::vector<std::shared_ptr<const Version>> parents;
  /// The first parent is absent (a shallow clone begins here) and the walk was asked to skip such
  /// commits: no changes, no versions.
  bool cut = false;
  /// What the changes are measured from: the parent, or for a merge the clean merge of its parents
  /// (where they conflict, the first parent's value); null when `cut` or from the cache.
  std::shared_ptr<const Version> before;
};

/// Called once per commit of a walk; may move from the step's changes.
using OnStep = std::function<void(Step& step)>;

struct WalkOptions {
  /// Hand commits with a parent absent (a shallow clone) as `cut` steps instead of throwing.
  bool skip_cut = false;
  /// Take each commit's changes from this cache when it has them (the step then has no versions), and
  /// keep there what the walk reads. Only for callers that need nothing but the changes.
  Cache* cache = nullptr;
};

/// Walks the commits of `range` oldest first (topological) and hands each one's changes to `on`, one
/// commit at a time. Plan files that do not parse in a commit are reported in `problems`
/// (`unparseable-history`). Throws tandem::Error when the history is incomplete.
void for_each_change(const git::Repository& repo, Reader& reader, const Range& range, Diagnostics& problems,
                     const OnStep& on);

/// The same for a given list of commits, in the order given.
void for_each_change(const git::Repository& repo, Reader& reader, const std::vector<git::Oid>& commits,
                     Diagnostics& problems, const OnStep& on, WalkOptions options = {});

}  // namespace tandem::history
