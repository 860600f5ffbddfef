#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/base/diagnostic.hpp"
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
  /// The plan after the commit; null when `cut`.
  std::shared_ptr<const Version> after;
  /// The plan in each parent, first parent first (what a three-way view of a merge starts from).
  std::vector<std::shared_ptr<const Version>> parents;
  /// The first parent is absent (a shallow clone begins here) and the walk was asked to skip such
  /// commits: no changes, no versions.
  bool cut = false;
};

/// Called once per commit of a walk; may move from the step's changes.
using OnStep = std::function<void(Step& step)>;

struct WalkOptions {
  /// Hand commits with a parent absent (a shallow clone) as `cut` steps instead of throwing.
  bool skip_cut = false;
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
