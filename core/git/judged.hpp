#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/git/audit.hpp"
#include "core/git/range.hpp"
#include "core/git/repository.hpp"
#include "core/plan/load.hpp"

// Kept apart from cache.hpp (which the walk includes, and audit.hpp includes the walk); implemented
// in cache.cpp beside the other cache files.

namespace tandem::history {

/// The violations `audit::run` found in a range, kept between runs beside the history cache for
/// `report` (never for `audit`), so that a report on a head it has judged before does not read the
/// window's versions again. What audit finds follows from the range's two commit ids, the directory it
/// starts from, the plan's path and the reading options, all of which the file records; the judgement
/// is otherwise read from git alone (the rules, people, keys and `.mailmap` of the base). What can follow
/// from the machine is not kept (see `save`). The file keeps the last `k_ranges` ranges
/// judged, and is ignored like IdCache's (damaged, other repository, plan, options, tandem or
/// shallowness; TANDEM_NO_CACHE=1).
class JudgementCache {
public:
  /// Bump when what audit finds in a range, or what the file holds, changes: older files are ignored.
  static constexpr int k_format = 1;
  static constexpr std::size_t k_ranges = 8;

  JudgementCache(const git::Repository& repo, const std::string& config_path, const load::Options& options);
  /// The violations judged in `range` from `start_dir`, or nullopt.
  std::optional<std::vector<audit::Violation>> find(const git::Range& range, const std::string& start_dir) const;
  /// Keeps the result's violations (the newest first), unless some version did not parse or could not
  /// be read (a missing object may be fetched later) or a violation is `unverified-commit`. Errors are
  /// ignored.
  void save(const git::Range& range, const std::string& start_dir, const audit::Result& judged);

private:
  struct Entry {
    std::string range;  // "BASE..HEAD START_DIR" (BASE "-" when none)
    std::vector<audit::Violation> violations;
  };
  std::string m_path;  // of the file; empty when disabled
  std::string m_key;
  std::vector<Entry> m_entries;  // newest first
};

}  // namespace tandem::history
