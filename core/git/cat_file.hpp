#pragma once
/// Large blobs read by one long-lived `git cat-file --batch` (private to core/git). libgit2's pack cache
/// keeps no delta base over 1 MiB (a compile-time limit), so each version of a large plan file replays
/// its whole delta chain; git's delta-base cache does not. libgit2 stays for everything else and is the
/// fallback whenever git is missing, fails, stalls or answers anything but the object asked for.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "core/git/oid.hpp"

namespace tandem::process {
class Child;
}

namespace tandem::git {

/// The size from which a blob is read through git: TANDEM_GIT_BLOB_THRESHOLD (bytes, set by whoever
/// runs tandem; "off" for never) or 1 MiB, libgit2's own limit.
std::size_t cat_file_threshold();

class CatFile {
public:
  /// `git_dir`: the repository's git directory, where its objects are. Starts git on the first read.
  explicit CatFile(std::string git_dir);
  ~CatFile();
  CatFile(const CatFile&) = delete;
  CatFile& operator=(const CatFile&) = delete;
  /// The `size` bytes of blob `id` (its size as libgit2's header says), checked to be that object as git
  /// and libgit2 check what they read: git answers that id, type blob and that size, then exactly that
  /// many bytes and a newline (the bytes are not hashed again, as neither git nor libgit2 does on reading).
  /// nullopt when git cannot give it so; from then on always nullopt (libgit2 reads instead).
  std::optional<std::shared_ptr<char[]>> read(const Oid& id, std::size_t size);

private:
  std::string m_git_dir;
  std::unique_ptr<process::Child> m_child;
  bool m_failed = false;
};

}  // namespace tandem::git
