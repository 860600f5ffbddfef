#pragma once
#include <set>
#include <string>

#include "core/plan/load.hpp"

namespace tandem::history {

/// Every item, milestone and risk id that a commit created on the history of HEAD, of a local branch,
/// of a remote-tracking branch or of a tag (through the one walk), so that `add` never takes an id that
/// another branch uses or that existed before (SPEC 12 rule 7). The ids of the commits already seen
/// come from the IdCache, so that only new commits are read. Empty outside git or before the first
/// commit; in a shallow clone, what the clone holds.
std::set<std::string> ids_in_history(const load::Location& where, const load::Options& options);

}  // namespace tandem::history
