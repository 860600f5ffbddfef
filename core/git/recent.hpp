#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/date.hpp"
#include "core/git/audit.hpp"
#include "core/git/history.hpp"
#include "core/git/repository.hpp"

namespace tandem::history {

/// One change to the plan in the recent history.
struct RecentChange {
  std::string date;     ///< YYYY-MM-DD
  std::string commit;   ///< short id
  std::string who;      ///< person id or "unknown person <email>"
  std::string what;     ///< "CHK-1 value: 8 → 13"
};

/// One line per change of one commit, in the commit's order; a commit that creates more than three
/// records of a kind says so in one line per kind, first. People are named by `authority`.
std::vector<RecentChange> describe_changes(const git::CommitInfo& commit, const std::vector<Change>& changes,
                                           const audit::Authority& authority);

/// The report's window: commits dated from `from` to `to`, both days included (UTC commit dates).
struct Window {
  Date from, to;
};

/// The plan's changes in the commits up to `head` dated in `window`, newest first; only those commits
/// are read. In a shallow clone, the commits whose parent is missing cannot be compared with it: they
/// are left out and their short ids appended to `cut`.
std::vector<RecentChange> recent_changes(const git::Repository& repo, Reader& reader, const git::Oid& head,
                                         const audit::Authority& authority, Window window,
                                         std::vector<std::string>& cut);

/// The same in the repository of the plan that `options` locates, up to `rev` (or HEAD), people
/// named by tandem.yaml at that revision. Without `rev` in a repository with no commit yet, none
/// (the plan has no history); with one, throws.
std::vector<RecentChange> recent_changes(const load::Options& options, const std::string& rev, Window window,
                                         std::vector<std::string>& cut);

/// What `tandem report` reads from git history: one walk of the commits up to the head for the recent
/// changes and the items' dates, and `audit`'s judgement of the window's range for the violations.
struct ReportHistory {
  std::vector<RecentChange> recent;          ///< the window's changes, newest first (as `recent_changes`)
  std::vector<std::string> cut;              ///< commits left out: a shallow clone begins there
  /// Backlog items by id: the date of the commit that created each, and of the last commits that set
  /// its status to doing and to done.
  std::map<std::string, Date> created, started, done;
  /// The ownership violations of the window: `audit B..T`'s (see `window_range`), approval commits
  /// and `Approved-by` trailers included, as `audit` orders them. One judge: the same code, the same
  /// findings.
  /// Nullopt when they could not be judged (`violations_note` says why).
  std::optional<std::vector<audit::Violation>> violations;
  /// Errors that fail `audit B..T` beside its violations: plan versions of the range that did not
  /// parse or could not be read (their changes are not judged), errors in B's tandem.yaml.
  std::size_t audit_problems = 0;
  /// The range judged: B (nullopt when the whole history of T is in the window) and T; nullopt when
  /// nothing was judged (no commit dated on or before the window's end, or `violations_note`).
  std::optional<git::Range> judged;
  /// Why the violations could not be judged (a shallow clone that lacks the range's history), or "".
  std::string violations_note;
};

/// Walks the commits up to `head` dated from `horizon` on once (oldest first): the window's commits give
/// the recent changes, every one the items' dates. Items already in the plan before the first of them
/// count as created the day before `horizon` (the walk never reads older history, so its cost follows
/// the horizon, not the repository's age). The horizon is moved back to the window's start when that is
/// earlier. No violations: see `report_history` below.
ReportHistory report_history(const git::Repository& repo, Reader& reader, const git::Oid& head,
                             const std::string& config_path, const load::Options& options, Window window,
                             Date horizon);

/// The range whose violations the report shows (SPEC 8): `B..T`, T the newest commit on `head`'s
/// first-parent line dated (commit time, UTC) on or before the window's last day (the plan as of the
/// report's today; commits after it are neither recent changes nor violations), B the last commit on
/// T's first-parent line dated before the window's first day; without one (the whole line is in the
/// window), all of T's history. Nullopt when no commit of the line is dated on or before the window's
/// last day (nothing to judge). Throws tandem::Error (with git::k_fetch_hint) when a shallow clone's
/// line ends inside the window or after it.
std::optional<git::Range> window_range(const git::Repository& repo, const git::Oid& head, Window window);

/// The same in the repository of the plan that `options` locates, up to `rev` (or HEAD); people named
/// by the `.mailmap` and tandem.yaml at that revision; and the violations of `window_range` judged by
/// `audit::run` (rules, people and `.mailmap` of B, as `tandem audit B..T`). Without `rev` in a
/// repository with no commit yet, nothing (the plan has no history).
ReportHistory report_history(const load::Options& options, const std::string& rev, Window window, Date horizon);

/// Whether the repository of the plan that `options` locates has no commit yet.
bool no_commits(const load::Options& options);

}  // namespace tandem::history
