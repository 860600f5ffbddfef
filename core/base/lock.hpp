#pragma once
#include <chrono>
#include <functional>
#include <string>

namespace tandem {

/// An advisory lock (flock, exclusive) on a file, held while the object lives; the system releases it
/// when the process ends, so a crash leaves nothing held. The editing commands take one so that edits
/// in one working tree land one after the other (SPEC 12 rule 6).
class FileLock {
public:
  /// Creates `path` when missing (mode 0666 less the umask) and waits until the lock is ours. Calls
  /// `waiting` once when it has waited a second. Throws tandem::Error when the file cannot be
  /// opened, or when it is still held by another process after `timeout` (the message names `path`).
  FileLock(const std::string& path, std::chrono::milliseconds timeout, const std::function<void()>& waiting = {});
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  const std::string& path() const { return m_path; }

private:
  std::string m_path;
  int m_fd = -1;
};

}  // namespace tandem
