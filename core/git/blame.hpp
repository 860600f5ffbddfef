#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/git/audit.hpp"
#include "core/git/history.hpp"
#include "core/git/repository.hpp"
#include "core/git/walk.hpp"

namespace tandem::history {

/// A record's fields, name → canonical JSON, sorted by name.
using Fields = std::vector<std::pair<std::string, std::string>>;

/// One commit's changes to one record, for `log`.
struct LogEntry {
  git::CommitInfo commit;
  std::string person;  ///< person id, or empty
  std::vector<Change> changes;
  /// A merge: its changes by the three-way rule, and every field whose value after it differs from
  /// the last value the log showed (old = that value).
  bool merge = false;
  /// A commit whose parents the shallow clone lacks: `values` are where the history starts.
  bool cut = false;
  /// The record's fields after a create, or at a cut commit; empty otherwise.
  Fields values;
};

/// The history of one record as the clone holds it.
struct RecordLog {
  std::vector<LogEntry> entries;
  std::vector<git::CommitInfo> cut;  ///< commits where a shallow clone's history stops
};

/// Who set one current field of a record, for `blame`.
struct BlameLine {
  std::string field;
  std::string value;  ///< canonical JSON
  git::CommitInfo commit;
  std::string person;
  /// `commit` is where a shallow clone's history stops: the value was set there or before.
  bool cut = false;
};

/// Replays the changes `log` shows for record `id`, commit by commit, parents before children, so
/// that the last value shown for each field is the value in the file: a merge adds the fields whose
/// value after it differs from the last one shown.
class LogReplay {
public:
  explicit LogReplay(std::string id) : m_id(std::move(id)) {}
  /// One step of the walk; `after` is the plan after the commit (read by the caller at a cut step).
  void add(const Step& step, const Version& after, const std::string& person);
  RecordLog take() { return std::move(m_log); }

private:
  std::string m_id;
  std::optional<std::map<std::string, std::string>> m_shown;  ///< the record as shown so far; none: absent
  std::string m_kind;  ///< the record's kind where it was last seen
  RecordLog m_log;
};

/// Who gave each field of record `id` its value, as `git blame` passes blame: at a commit holding
/// value v, the first parent (in parent order) that holds v for the field passes the blame on; else
/// the commit gave v. Fed commits parents first, it keeps each commit's answer for its children.
class Blame {
public:
  explicit Blame(std::string id) : m_id(std::move(id)) {}
  /// One step of the walk, after its parents; `after` as for LogReplay::add.
  void add(const Step& step, const Version& after, const std::string& person);
  /// The current fields of the last commit added, sorted by name; empty when it lacks the record.
  std::vector<BlameLine> lines() const;

private:
  struct Origin {
    std::string value;
    std::shared_ptr<const git::CommitInfo> commit;
    std::string person;
    bool cut = false;
  };
  using State = std::map<std::string, Origin>;  ///< field → who gave its value
  std::string m_id;
  std::unordered_map<git::Oid, std::shared_ptr<const State>> m_states;  ///< null: the record is absent
  std::shared_ptr<const State> m_last;
};

/// The fields of record `id` in `v`, or nullopt when it has no such item, milestone or risk.
std::optional<Fields> fields_of(const Version& v, const std::string& id);

/// The history of `id` in the repository of the plan that `options` locates, up to `rev` (or HEAD),
/// people named by tandem.yaml at that revision; in a shallow clone, down to where it is cut. Throws
/// tandem::Error when no commit the clone holds has it.
RecordLog record_log(const load::Options& options, const std::string& rev, const std::string& id);

/// Who set each current field of `id` (sorted by field name), up to `rev` (or HEAD). Throws
/// tandem::Error when no commit changed it, or when it was deleted.
std::vector<BlameLine> blame(const load::Options& options, const std::string& rev, const std::string& id);

}  // namespace tandem::history
