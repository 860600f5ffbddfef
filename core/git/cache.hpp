#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/git/history.hpp"
#include "core/git/repository.hpp"
#include "core/plan/load.hpp"

namespace tandem::history {

/// What the walk found in one commit (see Step): its changes, and the status of each backlog record
/// it created with one.
struct Found {
  std::vector<Change> changes;
  std::vector<std::pair<std::string, std::string>> created_status;
};

/// What the walk found in each commit, kept between runs in the user's cache directory (see
/// `directory`; one file per repository and plan, never in the repository itself), so that a walk
/// reads again only the commits it has not seen: a commit's changes follow from its id (and its
/// parents', which the id fixes), the plan's path and the reading options, all of which the file
/// records. Only commits whose versions all parsed are kept (where a file did not parse, what the walk
/// finds depends on what it read before). The file is a cache, never a source of truth: one that is
/// unreadable, damaged, too large or written for another repository, plan or tandem is ignored and
/// rewritten; one that cannot be written is not. `TANDEM_NO_CACHE=1` turns it off. Commands that
/// judge (`audit`) never use it.
class Cache {
public:
  /// Bump when what the walk finds in a commit changes (diff, merge, Reader): older files are ignored.
  static constexpr int k_format = 5;
  /// Files larger than this are ignored.
  static constexpr std::size_t k_max_bytes = std::size_t{256} << 20;

  /// Opens the cache of the plan whose tandem.yaml is at `config_path`, read with `options`.
  Cache(const git::Repository& repo, const std::string& config_path, const load::Options& options);
  /// What was found in `commit`, or null.
  const Found* find(const git::Oid& commit);
  void put(const git::Oid& commit, Found found);
  /// When something was put: writes the entries found or put since opening (what this walk
  /// covers, so the file follows the walk's horizon), atomically. Errors are ignored.
  void save();
  /// Whether the cache is in use (a directory to keep it in, and not turned off).
  bool enabled() const { return !m_path.empty(); }
  /// Where the files are: $TANDEM_CACHE_DIR, else $XDG_CACHE_HOME/tandem, else $HOME/.cache/tandem
  /// (absolute paths only); empty when none is set.
  static std::string directory();

private:
  void read();
  std::string m_path;  // of the file; empty when disabled
  std::string m_key;   // the format, tandem's version, the plan's path and the options
  struct Slot {
    Found found;
    bool used = false;
  };
  std::unordered_map<git::Oid, Slot> m_entries;
  bool m_dirty = false;
};

/// The ids of items, milestones and risks that the commits of a set of tips created (for `add`, SPEC
/// 12 rule 7), kept between runs beside the history cache: the tips whose whole history it covers, and
/// the ids those commits created. A later run walks only the commits its tips do not cover and saves
/// its own tips with the ids grown. The ids only grow: a branch that is deleted or rewritten leaves its
/// ids behind (an id is cheap; reusing one is not). Ignored like Cache (damaged, other repository,
/// plan, options, tandem or shallowness; TANDEM_NO_CACHE=1).
class IdCache {
public:
  /// Bump when what the file holds or how the ids are found changes: older files are ignored.
  static constexpr int k_format = 1;

  IdCache(const git::Repository& repo, const std::string& config_path, const load::Options& options);
  /// The tips whose history the ids cover (none without a usable file).
  const std::vector<git::Oid>& tips() const { return m_tips; }
  const std::set<std::string>& ids() const { return m_ids; }
  /// Writes `tips` and `ids` (a superset of ids()) atomically. Errors are ignored.
  void save(const std::vector<git::Oid>& tips, const std::set<std::string>& ids);

private:
  std::string m_path;  // of the file; empty when disabled
  std::string m_key;
  std::vector<git::Oid> m_tips;
  std::set<std::string> m_ids;
};

}  // namespace tandem::history
