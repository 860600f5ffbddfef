#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/date.hpp"
#include "core/git/libgit2.hpp"
#include "core/base/source.hpp"

namespace tandem::git {

/// Frees with a libgit2 function (a pointer filled in by load_libgit2).
template <class T, auto& Free>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using RepoPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using MailmapPtr = std::unique_ptr<git_mailmap, Deleter<git_mailmap, git_mailmap_free>>;

/// A commit's identity as tandem reports it.
struct CommitInfo {
  std::string id;          ///< full hex id
  std::string short_id;    ///< first 10 hex digits
  std::string author_name, author_email;  ///< after .mailmap
  std::vector<std::string> approver_emails;  ///< from `Approved-by: Name <email>` trailers, after .mailmap
  std::int64_t time = 0;   ///< commit time, seconds since the epoch
  Date date;               ///< commit date (UTC)
  std::string summary;     ///< first line of the message
  std::size_t parents = 0;
};

/// A git repository opened with libgit2 (never the `git` program). Errors throw tandem::Error.
class Repository {
public:
  /// Opens the repository that holds `path` (searching upward). Throws when there is none.
  explicit Repository(const std::string& path);
  ~Repository();
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  /// The work tree's absolute path (with a trailing '/'), or empty for a bare repository.
  std::string workdir() const;
  bool is_shallow() const;
  /// The commit a revision names (`HEAD`, a branch, `@{upstream}`, an id…). Throws when unknown.
  git_oid resolve(const std::string& rev) const;
  CommitPtr lookup(const git_oid& id) const;
  /// Whether the commit is in the repository (a shallow clone lacks the parents of its oldest commits).
  bool contains(const git_oid& id) const;
  /// Identity, mailmap and trailers of a commit.
  CommitInfo info(git_commit* commit) const;
  /// Commits of `head` not reachable from `base` (all of them without a base), oldest first
  /// (topological). Throws with a hint to fetch more when the history stops at a shallow boundary.
  std::vector<git_oid> walk(const git_oid& head, const std::optional<git_oid>& base) const;
  /// Commits reachable from `head` whose commit time is at or after `since` (seconds), newest first
  /// (by commit time; in a shallow clone, down to where the clone begins).
  std::vector<git_oid> since(const git_oid& head, std::int64_t since) const;
  /// The id of parent `n` of a commit, and whether that parent's object is present.
  std::optional<git_oid> parent(git_commit* commit, unsigned n) const;
  git_repository* get() const { return m_repo.get(); }

private:
  RepoPtr m_repo;
  MailmapPtr m_mailmap;
};

/// Hex form of an object id.
std::string to_hex(const git_oid& id);

/// Reads plan files from a commit's tree. Paths are repository-relative.
class TreeSource : public Source {
public:
  TreeSource(const Repository& repo, const git_oid& commit);
  std::optional<std::string> read(const std::string& path, std::size_t max_bytes) const override;
  std::vector<std::string> glob(const std::string& pattern) const override;
  bool stays_inside(const std::string& path) const override;
  /// The blob id of a path, or nullopt when the tree has no such file.
  std::optional<git_oid> blob_id(const std::string& path) const;

private:
  const Repository& m_repo;
  TreePtr m_tree;
};

/// Throws tandem::Error with libgit2's last error message when `rc` is negative.
void check(int rc, const std::string& what);

}  // namespace tandem::git
