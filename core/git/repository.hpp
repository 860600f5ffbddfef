#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/date.hpp"
#include "core/base/source.hpp"
#include "core/git/oid.hpp"

namespace tandem::git {

/// How to get the history a shallow clone lacks.
inline constexpr const char* k_fetch_hint =
    "fetch the missing history (git fetch --unshallow, or fetch-depth: 0 in GitHub Actions, GIT_DEPTH: 0 in GitLab CI)";

/// A commit's identity as tandem reports it.
struct CommitInfo {
  std::string id;          ///< full hex id
  std::string short_id;    ///< first 10 hex digits
  std::string author_name, author_email;  ///< after .mailmap
  std::vector<std::string> approver_emails;  ///< from `Approved-by: Name <email>` trailers, after .mailmap
  /// Why an `Approved-by` line does not count ("no <email>", "not a trailer: …"), one per such line.
  std::vector<std::string> trailer_notes;
  /// The commit ids (hex, perhaps abbreviated) of its `Approves: <commit id>` trailers.
  std::vector<std::string> approves;
  std::int64_t time = 0;   ///< commit time, seconds since the epoch
  Date date;               ///< commit date (UTC)
  std::string summary;     ///< first line of the message
  std::size_t parents = 0;
  Oid oid;                      ///< the commit
  std::vector<Oid> parent_ids;  ///< its parents, first parent first (their objects may be absent in a shallow clone)
};

/// What the history commands say in a repository with no commit yet (SPEC 3).
inline constexpr const char* k_no_commits = "no commits yet: commit the plan first";

/// A git repository opened with libgit2. Blobs of 1 MiB or more are read by `git cat-file --batch`
/// and checked to be the objects asked for (cat_file.hpp). Errors throw tandem::Error.
class Repository {
public:
  /// Opens the repository that holds `path` (searching upward). Throws when there is none, and with
  /// git's `safe.directory` advice when it belongs to another user.
  explicit Repository(const std::string& path);
  ~Repository();
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  /// The work tree's absolute path (with a trailing '/'), or empty for a bare repository.
  std::string workdir() const;
  bool is_shallow() const;
  /// The git directory that all work trees share (with a trailing '/'): where tandem keeps its cache.
  std::string git_dir() const;
  /// The size from which blobs are read by `git cat-file` (cat_file.hpp): SIZE_MAX for never.
  std::size_t large_blob_size() const;
  /// The name and email of the author `git commit` would record here, as git itself says
  /// (`git var GIT_AUTHOR_IDENT`: GIT_AUTHOR_*, author.*, user.*, EMAIL, with every configuration git
  /// reads, GIT_CONFIG_* included, which libgit2 does not), or nullopt when git has none or is missing.
  std::optional<std::pair<std::string, std::string>> author_ident() const;
  /// The email of the author `git commit` would record here (author_ident), else GIT_AUTHOR_EMAIL or
  /// user.email as libgit2 reads them; nullopt when there is none.
  std::optional<std::string> user_email() const;
  /// A string of git's configuration as git reads it (`global`: the user's file only), or nullopt.
  std::optional<std::string> config(const std::string& name, bool global = false) const;
  /// Sets a string in the repository's configuration (`global`: the user's, ~/.gitconfig unless git
  /// finds another). Throws tandem::Error when it cannot be written.
  void set_config(const std::string& name, const std::string& value, bool global = false) const;
  /// Whether HEAD names a branch that has no commit yet (after `git init`).
  bool unborn() const;
  /// The commit a revision names (`HEAD`, a branch, `@{upstream}`, an id…). Throws when unknown
  /// (with k_no_commits in a repository that has no commit yet).
  Oid resolve(const std::string& rev) const;
  /// Whether the commit is in the repository (a shallow clone lacks the parents of its oldest commits).
  bool contains(const Oid& id) const;
  /// Identity, mailmap, trailers and parents of a commit. Throws when the commit is absent (with a
  /// hint to fetch more in a shallow clone).
  CommitInfo info(const Oid& commit) const;
  /// Commits of `head` not reachable from `base` (all of them without a base), oldest first
  /// (topological). Throws with a hint to fetch more when the history stops at a shallow boundary.
  std::vector<Oid> walk(const Oid& head, const std::optional<Oid>& base) const;
  /// The best common ancestor of the commits (a merge's parents), or nullopt when they have none or
  /// it cannot be found (a shallow clone).
  std::optional<Oid> merge_base(const std::vector<Oid>& commits) const;
  /// The root commit on `head`'s first-parent line (where a shallow clone's history ends, its last
  /// commit there).
  Oid first_parent_root(const Oid& head) const;
  /// The commit's signature (`gpgsig` header: armored SSH or OpenPGP) and the bytes it signs, or
  /// nullopt when the commit is not signed.
  std::optional<std::pair<std::string, std::string>> signature(const Oid& commit) const;
  /// Names people through the `.mailmap` of this commit from now on (none when it has none), instead
  /// of the work tree's: the audit trusts only the range's base.
  void use_mailmap_of(const Oid& commit);
  /// The email that the `.mailmap` in use gives the identity `name <email>` (the email itself without one).
  std::string mailmap_email(const std::string& name, const std::string& email) const;
  /// Commits reachable from `head` whose commit time is at or after `since` and at or before `until`
  /// (seconds), newest first (by commit time; in a shallow clone, down to where the clone begins).
  std::vector<Oid> since(const Oid& head, std::int64_t since, std::int64_t until = INT64_MAX) const;

  /// libgit2's handles, defined in repository.cpp only.
  struct Impl;
  const Impl& impl() const { return *m_impl; }

private:
  std::unique_ptr<Impl> m_impl;
};

/// Reads plan files from a commit's tree. Paths are repository-relative. Each directory of the tree
/// is listed once, when first needed, and every later look-up in it is a map look-up.
class TreeSource : public Source {
public:
  TreeSource(const Repository& repo, const Oid& commit);
  ~TreeSource() override;
  std::optional<std::string> read(const std::string& path, std::size_t max_bytes) const override;
  /// Bytes that stay valid while `owner` lives (and the repository is open).
  struct Shared {
    std::shared_ptr<const void> owner;
    std::string_view text;
  };
  /// As `read`, without a copy: the bytes as libgit2 (or, for a large blob, git cat-file) gave them.
  std::optional<Shared> read_shared(const std::string& path, std::size_t max_bytes) const;
  EntryType type(const std::string& path) const override;
  std::vector<std::pair<std::string, EntryType>> list(const std::string& dir) const override;
  /// The blob id of a regular file, or nullopt when the tree has no regular file there.
  std::optional<Oid> blob_id(const std::string& path) const;
  /// Has git start reading the file at `path` for a `read_shared` of it to come, when it is a blob that
  /// git reads (`Repository::large_blob_size`); else nothing.
  void prefetch(const std::string& path) const;

private:
  struct Tree;
  const Repository& m_repo;
  std::unique_ptr<Tree> m_tree;
};

}  // namespace tandem::git
