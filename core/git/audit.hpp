#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/git/history.hpp"
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
  history::Change change;
  std::string requirement;             ///< e.g. "{all: [product_owner, project_manager]}"
};

struct Result {
  std::size_t commits = 0;             ///< commits examined
  std::vector<Violation> violations;
  Diagnostics problems;                ///< plan files that did not parse in some commit
};

/// Who is who, and what they may do: the people and rules of tandem.yaml at the range's base.
struct Authority {
  model::Config config;  ///< people (emails, roles)
  ownership::Rules rules;
  index::PeopleIndex people;  ///< of `config`, built by authority_at
  /// The person whose email matches (case-insensitively), or nullptr.
  const model::Person* person(const std::string& email) const;
};

/// Reads the people and rules at a commit (defaults where tandem.yaml is absent or unreadable).
Authority authority_at(const git::Repository& repo, const std::optional<git::Oid>& commit,
                       const std::string& config_path, const load::Options& options);

/// True when `roles` satisfy the requirement.
bool satisfies(const ownership::Requirement& requirement, const std::vector<std::string>& roles);

/// The requirement for a change.
const ownership::Requirement& requirement_for(const ownership::Rules& rules, const history::Change& change);

/// The person id of the person with this email, or "" when nobody in `authority` has it.
std::string person_id(const Authority& authority, const std::string& email);

/// Judges every commit of `commits` (oldest first) against `authority`.
Result run(const git::Repository& repo, history::Reader& reader, const std::vector<git::Oid>& commits,
           const Authority& authority);

/// Judges the commits of `range` (oldest first) against the people and rules of tandem.yaml at the
/// range's base (without a base: at its first commit). `config_path` is repository-relative.
Result run(const git::Repository& repo, const git::Range& range, const std::string& config_path,
           const load::Options& options);

}  // namespace tandem::audit
