#pragma once
#include <set>
#include <string>

#include "core/plan/load.hpp"

namespace tandem::history {

/// Every item, milestone and risk id that a commit on HEAD's history created (through the one walk),
/// so that `add` never reuses an id that existed before. Empty outside git or before the first
/// commit; in a shallow clone, what the clone holds.
std::set<std::string> ids_in_history(const load::Location& where, const load::Options& options);

}  // namespace tandem::history
