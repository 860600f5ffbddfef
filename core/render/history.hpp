#pragma once
#include <string>
#include <vector>

#include "core/engine/compare.hpp"
#include "core/git/audit.hpp"
#include "core/git/blame.hpp"
#include "core/git/history.hpp"
#include "core/render/findings.hpp"

namespace tandem::render {

/// Audit violations as findings (for github and sarif output), code `ownership-violation`.
std::vector<Diagnostic> violations_as_findings(const audit::Result& result);
/// The audit result in text, json or markdown.
std::string audit(const audit::Result& result, Format format, bool color);

/// The history of one record, for `log` (history::RecordLog): merges marked, and where a shallow
/// clone's history is cut.
using RecordLog = history::RecordLog;
std::string log(const std::string& id, const RecordLog& log, Format format);

/// Who set each current field of a record, for `blame` (history::BlameLine).
using BlameLine = history::BlameLine;
std::string blame(const std::string& id, const std::vector<BlameLine>& lines, Format format);

/// The consequences of a change, for `diff` (computed by core/engine/compare).
using RankMove = compare::RankMove;
using MilestoneMove = compare::MilestoneMove;
struct DiffReport {
  std::string from, to;  ///< labels of the two sides
  std::vector<history::Change> changes;
  std::vector<RankMove> ranks;
  std::vector<MilestoneMove> milestones;
  std::vector<std::string> notes;  ///< e.g. why consequences were not computed
  /// For each of `changes` (same order), when known: whose approval it needs under the base's rules and
  /// whether the range has it ("product_owner: has it", "{all: [...]}: missing project_manager: …").
  std::vector<std::string> approvals;
  /// Files a side could not read or parse (side label, the problem): left out of both sides.
  std::vector<std::pair<std::string, Diagnostic>> unparseable;
};
std::string diff(const DiffReport& report, Format format);

/// A change in words on one line, control characters escaped: "M1 target: 2027-01-22 → 2027-02-05".
std::string change_words(const history::Change& change);

}  // namespace tandem::render
