#pragma once
#include <string>
#include <vector>

#include "core/git/repository.hpp"

/// What `add` and the edit lock need of a repository beyond one history: its refs and its work
/// tree's own git directory.
namespace tandem::git {

/// This work tree's own git directory (with a trailing '/'): `.git/`, or `.git/worktrees/NAME/` in a
/// linked work tree.
std::string worktree_git_dir(const Repository& repo);

/// The commits that HEAD, the local branches, the remote-tracking branches and the tags point at (tags
/// peeled; refs that name no commit skipped), each once, sorted.
std::vector<Oid> ref_tips(const Repository& repo);

/// Commits reachable from any of `heads` and from none of `hidden` (hidden commits absent from the
/// repository are ignored), oldest first (topological). In a shallow clone, what the clone holds.
std::vector<Oid> walk_many(const Repository& repo, const std::vector<Oid>& heads, const std::vector<Oid>& hidden);

}  // namespace tandem::git
