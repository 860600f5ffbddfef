#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/git/audit.hpp"
#include "core/git/history.hpp"
#include "core/git/repository.hpp"

namespace tandem::history {

/// One commit's changes to one record, for `log`.
struct LogEntry {
  git::CommitInfo commit;
  std::string person;  ///< person id, or empty
  std::vector<Change> changes;
};

/// Who set one current field of a record, for `blame`.
struct BlameLine {
  std::string field;
  std::string value;  ///< canonical JSON
  git::CommitInfo commit;
  std::string person;
};

/// Walks the history up to `head`, oldest first, calling `on(entry, version after it)` for each commit
/// that changed the item, milestone or risk `id`; people are named by `authority`.
void for_each_record_change(const git::Repository& repo, Reader& reader, const git::Oid& head,
                            const audit::Authority& authority, const std::string& id,
                            const std::function<void(LogEntry& entry, const Version& after)>& on);

/// Replays a record's changes, oldest first, to learn who set each field it has now: a create sets
/// every field (from the version after it), a delete clears them, order changes are not fields.
class Blame {
public:
  explicit Blame(std::string id) : m_id(std::move(id)) {}
  /// One commit's changes to the record, and the plan after that commit.
  void add(const LogEntry& entry, const Version& after);
  /// The current fields, sorted by name; empty when the record was deleted.
  std::vector<BlameLine> lines() const;

private:
  std::string m_id;
  std::map<std::string, BlameLine> m_fields;
};

/// The history of `id` in the repository of the plan that `options` locates, up to `rev` (or HEAD),
/// people named by tandem.yaml at that revision. Throws tandem::Error when no commit changed it.
std::vector<LogEntry> record_log(const load::Options& options, const std::string& rev, const std::string& id);

/// Who set each current field of `id` (sorted by field name), up to `rev` (or HEAD). Throws
/// tandem::Error when no commit changed it, or when it was deleted.
std::vector<BlameLine> blame(const load::Options& options, const std::string& rev, const std::string& id);

}  // namespace tandem::history
