#pragma once
/// Large blobs read by one long-lived `git cat-file --batch` (private to core/git). libgit2's pack cache
/// keeps no delta base over 1 MiB (a compile-time limit), so each version of a large plan file replays
/// its whole delta chain; git's delta-base cache does not. libgit2 stays for everything else and is the
/// fallback whenever git is missing, fails, stalls or answers anything but the object asked for.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/git/oid.hpp"

namespace tandem::process {
class Child;
}

namespace tandem::git {

/// The size from which a blob is read through git: TANDEM_GIT_BLOB_THRESHOLD (bytes, set by whoever
/// runs tandem; "off" for never) or 1 MiB, libgit2's own limit.
std::size_t cat_file_threshold();

/// One `git cat-file --batch`, spoken to by a thread of its own: a request asked ahead (`prefetch`) is
/// read while tandem works on the blob before it, so git's work and the copy through the pipe overlap
/// tandem's parsing. Requests are answered in the order asked; a few answers are kept until taken.
class CatFile {
public:
  /// `git_dir`: the repository's git directory, where its objects are. Starts git on the first request.
  explicit CatFile(std::string git_dir);
  /// Waits for the request git is answering (never longer than its time limit), then stops git.
  ~CatFile();
  CatFile(const CatFile&) = delete;
  CatFile& operator=(const CatFile&) = delete;
  /// The `size` bytes of blob `id` (its size as libgit2's header says), checked to be that object as git
  /// and libgit2 check what they read: git answers that id, type blob and that size, then exactly that
  /// many bytes and a newline (the bytes are not hashed again, as neither git nor libgit2 does on reading).
  /// nullopt when git cannot give it so; from then on always nullopt (libgit2 reads instead).
  std::optional<std::shared_ptr<char[]>> read(const Oid& id, std::size_t size);
  /// Asks git for blob `id` now, for a `read` of it to come (ignored when a few are asked already).
  void prefetch(const Oid& id, std::size_t size);

private:
  struct Request {
    Oid id;
    std::size_t size;
  };
  struct Answer {
    Request request;
    std::shared_ptr<char[]> bytes;
  };
  /// Starts git and the thread, on the first request (with m_mutex held); false when git cannot be started.
  bool start();
  bool asked(const Oid& id) const;
  void serve();  // the thread: answers the requests in order, until stopped or failed
  std::shared_ptr<char[]> answer(const Request& request);

  std::string m_git_dir;
  std::unique_ptr<process::Child> m_child;  ///< used by the thread alone once it runs
  std::thread m_thread;
  std::mutex m_mutex;  ///< guards what follows
  std::condition_variable m_changed;
  std::deque<Request> m_requests;  ///< asked and not answered yet, the first being answered
  std::deque<Answer> m_answers;    ///< answered and not taken yet, oldest first
  bool m_failed = false, m_stop = false;
};

}  // namespace tandem::git
