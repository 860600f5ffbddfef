#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/git/oid.hpp"

namespace tandem::git {

class Repository;

/// The commits of `head` not reachable from `base`; without a base, all of `head`'s history.
struct Range {
  std::optional<Oid> base;
  Oid head;
};

/// The range `audit` judges: `range` is BASE..HEAD (either side empty means HEAD; default
/// `@{upstream}..HEAD`) or one revision for its whole history; `base` (--base) means BASE..HEAD.
/// Throws tandem::Error when both are given, for `A...B`, or for an unknown revision.
Range parse_range(const Repository& repo, const std::string& range, const std::string& base);

/// The two sides `diff` compares, from its revisions as git reads them: none (HEAD and the working
/// tree), `REV` (REV and the working tree), `REV REV`, `A..B` (A and B) or `A...B` (the merge base of A
/// and B, and B: what B's branch changes); an empty side of the dots is HEAD.
struct DiffRange {
  std::optional<std::string> old_rev;  ///< nullopt: HEAD (no revision given)
  std::optional<std::string> new_rev;  ///< nullopt: the working tree
  std::string old_label;               ///< how to name the old side when it is not `old_rev` as given, or ""
  /// The base of the range whose approvals the changes have (`audit BASE..NEW`): A for `A...B` (what
  /// `audit A..B` judges when the branch lands on A); nullopt: the old side.
  std::optional<Oid> judge_base;
};

/// Reads `diff`'s revisions. Throws tandem::Error for an unknown revision, for a range given with a
/// second revision, and for `A...B` when A and B have no common history.
DiffRange parse_diff_range(const Repository& repo, const std::vector<std::string>& revs);

/// What parse_range judges, in the user's words: "main..feature", "origin/main..HEAD" (--base), or
/// "main (its whole history)" for one revision.
std::string range_label(const std::string& range, const std::string& base);

}  // namespace tandem::git
