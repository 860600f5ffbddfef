#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/git/history.hpp"
#include "core/git/net.hpp"
#include "core/git/range.hpp"
#include "core/git/repository.hpp"
#include "core/plan/index.hpp"
#include "core/plan/load.hpp"
#include "core/plan/ownership.hpp"

namespace tandem::audit {

/// A change made without the roles its requirement asks for.
struct Violation {
  git::CommitInfo commit;
  std::string person;                  ///< the author's person id, or empty for an unknown person
  std::vector<std::string> approvers;  ///< person ids from Approved-by trailers
  std::vector<std::string> roles;      ///< roles held by the author and approvers together
  history::Change change;              ///< where: the record's field at the range's tip, if it is there
  std::string requirement;             ///< e.g. "{all: [product_owner, project_manager]}"
  /// A change of the range's net effect that no commit of the range made (it came in through
  /// history outside the range): always a violation, attributed to the tip.
  bool unaccounted = false;
  /// "ownership-violation", or "unverified-commit" (signatures required, and no listed key verifies
  /// the commit's signature: a violation for each change of the commit, whatever it changed).
  std::string code = "ownership-violation";
  /// Why approvals of the commit did not count, or why its signature does not verify.
  std::vector<std::string> notes;
  /// Who could still approve it, per missing role: "product_owner: an approval by Pat Owner <pat@example.com>".
  std::string missing;
};

/// A change of a commit of the range that approvals count for: approvers (of an approval commit or an
/// `Approved-by` trailer, never the commit's maker) who hold a role its requirement names.
struct Approved {
  git::CommitInfo commit;
  history::Change change;
  std::vector<std::string> approvers;  ///< their person ids
};

struct Result {
  std::string range;                   ///< what was judged ("main..feature"; git::Range::label), for the summary
  std::size_t commits = 0;             ///< commits examined
  std::vector<Violation> violations;
  std::vector<Approved> approved;      ///< each commit's own changes that approvals count for, oldest first
  Diagnostics problems;                ///< plan files that did not parse in some commit
};

/// Who is who, and what they may do: the people and rules of tandem.yaml at the range's base.
struct Authority {
  model::Config config;  ///< people (emails, roles)
  ownership::Rules rules;
  index::PeopleIndex people;  ///< of `config`, built by authority_at
  std::string keyring;        ///< the armored OpenPGP keys `trust.keyring` names (empty when none)
  std::string config_file;    ///< the repository-relative path of the base's tandem.yaml (empty when none)
  /// Errors in the base's tandem.yaml (a typo such as `fileds:`): the audit does not judge by
  /// defaults that silently replace what the file meant.
  Diagnostics problems;
  /// The person whose email matches (case-insensitively), or nullptr.
  const model::Person* person(const std::string& email) const;
  /// The person with this id, or nullptr.
  const model::Person* person_by_id(const std::string& id) const;
  /// Whether `trust.signatures` is `required`.
  bool signatures_required() const;
};

/// Reads the people, rules and trust settings at a commit (defaults where tandem.yaml is absent; its
/// errors in `problems`, prefixed with the commit).
Authority authority_at(const git::Repository& repo, const std::optional<git::Oid>& commit,
                       const std::string& config_path, const load::Options& options);

/// True when `roles` satisfy the requirement.
bool satisfies(const ownership::Requirement& requirement, const std::vector<std::string>& roles);

/// The requirement for a change.
const ownership::Requirement& requirement_for(const ownership::Rules& rules, const history::Change& change);

/// The person id of the person with this email, or "" when nobody in `authority` has it.
std::string person_id(const Authority& authority, const std::string& email);

/// Judges every commit of `commits` (oldest first) against `authority`, and with `net` (and `tip`, the
/// range's tip) the parts of the range's net change by the commits that set them (SPEC 3).
Result run(const git::Repository& repo, history::Reader& reader, const std::vector<git::Oid>& commits,
           const Authority& authority, NetChange* net = nullptr, const git::CommitInfo* tip = nullptr);

/// Judges the range: each of its commits (oldest first; a merge by what it made of its own against
/// the clean three-way merge of its parents), then its net change (the base against the clean merge of
/// base and tip), each part by its kind relative to the base and by the commits that set it. Everything trusted
/// comes from the base (without one: from the root commit on the tip's first-parent line): the people
/// and rules, the location of tandem.yaml (found upward from `start_dir`, repository-relative, unless
/// `config_path` names it) and `.mailmap`. Positions are the tip's where the record is there.
/// `shelf`: files parsed by a reader of the same versions and options (the report's walk), read from
/// there rather than from git.
Result run(git::Repository& repo, const git::Range& range, const std::string& start_dir,
           const std::optional<std::string>& config_path, const load::Options& options,
           history::Reader::Shelf* shelf = nullptr);

/// Judges the working tree's changes against `base` (HEAD for a pre-commit hook) as if the person with
/// `email` (git's user.email) committed them, by the rules, people and trust of `base`; positions are
/// the working tree's. Under `trust.signatures: required` the change is judged by that person too (the
/// commit is yet to be signed). `config_path` as for `run`.
Result judge_worktree(git::Repository& repo, const git::Oid& base, const std::string& start_dir,
                      const std::optional<std::string>& config_path, const load::Options& options,
                      const std::string& email);

/// What `tandem approve` writes: the changes of the range that the approver's approval counts for, by
/// audit's rule (one line each, with the commit that made them), the others with why not, and the tip
/// that `Approves:` names.
struct ApprovalDraft {
  git::Oid tip;
  std::string approver;               ///< the approver's person id at the range's base
  bool signatures_required = false;   ///< the base's trust.signatures: only a signed approval counts
  std::vector<std::string> lines;     ///< "backlog A-2 value: 5 → 13 (commit 1a2b3c4d5e)"
  std::vector<std::string> refused;   ///< "backlog A-1 estimate: 2 → 4 (commit 1a2b3c4d5e): needs developer; …"
  std::string message;                ///< the whole commit message, trailers included
};
/// Drafts the approval commit of a range by the person that `name <email>` (the approval's author, through
/// the base's `.mailmap`) names at the range's base: the changes of the range's commits that the
/// approval counts for, as the audit will count it (not the approver's own change, a requirement that
/// names a role the approver holds, a commit whose maker is established); `describe` says a change in
/// words. Throws tandem::Error when the email names no person at the base.
ApprovalDraft draft_approval(git::Repository& repo, const git::Range& range, const std::string& start_dir,
                             const std::optional<std::string>& config_path, const load::Options& options,
                             const std::function<std::string(const history::Change&)>& describe,
                             const std::string& name, const std::string& email);

/// The repository-relative path of the tandem.yaml that governs `dir` at a commit: the nearest one
/// in `dir` or a parent directory of the commit's tree; nullopt when there is none.
std::optional<std::string> config_path_at(const git::Repository& repo, const git::Oid& commit, const std::string& dir);

}  // namespace tandem::audit
