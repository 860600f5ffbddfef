#pragma once
#include <string>
#include <vector>

#include "core/git/audit.hpp"
#include "core/git/history.hpp"
#include "core/render/findings.hpp"

namespace tandem::render {

/// Audit violations as findings (for github and sarif output), code `ownership-violation`.
std::vector<Diagnostic> violations_as_findings(const audit::Result& result);
/// The audit result in text, json or markdown.
std::string audit(const audit::Result& result, Format format, bool color);

/// One commit's changes to one record, for `log`.
struct LogEntry {
  git::CommitInfo commit;
  std::string person;  ///< person id, or empty
  std::vector<history::Change> changes;
};
std::string log(const std::string& id, const std::vector<LogEntry>& entries, Format format);

/// Who set each current field of a record, for `blame`.
struct BlameLine {
  std::string field;
  std::string value;  ///< canonical JSON
  git::CommitInfo commit;
  std::string person;
};
std::string blame(const std::string& id, const std::vector<BlameLine>& lines, Format format);

/// The consequences of a change, for `diff`.
struct RankMove {
  std::string id;
  std::optional<int> old_rank, new_rank;
};
struct MilestoneMove {
  std::string id;
  std::optional<std::string> old_finish, new_finish;
  std::string old_status, new_status;  ///< "on track", "late by N workdays", "unknown"
};
struct DiffReport {
  std::string from, to;  ///< labels of the two sides
  std::vector<history::Change> changes;
  std::vector<RankMove> ranks;
  std::vector<MilestoneMove> milestones;
  std::vector<std::string> notes;  ///< e.g. why consequences were not computed
};
std::string diff(const DiffReport& report, Format format);

}  // namespace tandem::render
