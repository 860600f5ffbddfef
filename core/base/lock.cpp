#include "core/base/lock.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

#include "core/base/error.hpp"

namespace tandem {

FileLock::FileLock(const std::string& path, std::chrono::milliseconds timeout, const std::function<void()>& waiting)
    : m_path(path) {
  m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
  if (m_fd < 0) throw Error(fmt::format("cannot open the edit lock {}: {}", path, std::strerror(errno)));
  auto start = std::chrono::steady_clock::now(), deadline = start + timeout;
  bool told = false;
  for (auto pause = std::chrono::milliseconds(2);; pause = std::min(pause * 2, std::chrono::milliseconds(50))) {
    if (::flock(m_fd, LOCK_EX | LOCK_NB) == 0) return;
    if (errno != EWOULDBLOCK && errno != EINTR) {
      int err = errno;
      ::close(m_fd);
      throw Error(fmt::format("cannot lock {}: {}", path, std::strerror(err)));
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      ::close(m_fd);
      auto seconds = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count() / 1000.0;
      throw Error(fmt::format("another tandem edit has held {} for {:g} s; nothing written (run the command again "
                              "when that edit is done: the lock is released when its process ends)",
                              path, seconds));
    }
    if (!told && waiting && now - start >= std::chrono::seconds(1)) {
      told = true;
      waiting();
    }
    std::this_thread::sleep_for(std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)));
  }
}

FileLock::~FileLock() {
  if (m_fd >= 0) ::close(m_fd);  // closing the last descriptor releases the lock
}

}  // namespace tandem
