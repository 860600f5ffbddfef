#pragma once
#include <optional>
#include <string>

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

/// What parse_range judges, in the user's words: "main..feature", "origin/main..HEAD" (--base), or
/// "main (its whole history)" for one revision.
std::string range_label(const std::string& range, const std::string& base);

}  // namespace tandem::git
