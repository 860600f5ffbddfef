#include "core/base/output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>

#include "core/base/error.hpp"

namespace tandem {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& path, int err) {
  throw Error(fmt::format("cannot write {}: {}", path, std::strerror(err)));
}

/// Writes all of `bytes` to `fd`; false with errno set on failure.
bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

std::string output_target(const std::string& path) {
  fs::path p(path);
  std::error_code ec;
  fs::path dir = fs::weakly_canonical(fs::absolute(p, ec).parent_path(), ec);
  return (dir / p.filename()).string();
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
  fs::path target(path);
  if (target.filename().empty()) fail(path, EISDIR);
  struct stat st{};
  if (::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) fail(path, EISDIR);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string tmp = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  int fd = ::mkstemp(tmp.data());  // O_CREAT | O_EXCL: never opens an existing file or link
  if (fd < 0) fail(path, errno);
  mode_t mask = ::umask(0);
  ::umask(mask);
  bool ok = ::fchmod(fd, 0666 & ~mask) == 0 && write_all(fd, bytes);
  int err = errno;
  ok = ::close(fd) == 0 && ok;
  if (ok && ::rename(tmp.c_str(), path.c_str()) == 0) return;
  err = ok ? errno : err;
  ::unlink(tmp.c_str());
  fail(path, err);
}

void replace_plan_file(const std::string& path, std::string_view bytes, std::string_view expected) {
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0) fail(path, errno);
  if (S_ISLNK(st.st_mode))
    throw Error(fmt::format("{} is a symbolic link: tandem edits plan files only as regular files", path));
  if (!S_ISREG(st.st_mode)) throw Error(fmt::format("{} is not a regular file", path));
  // The owner's write bit, not only access(2): root may write anything, but a file made read-only
  // says "do not change me".
  if ((st.st_mode & S_IWUSR) == 0 || ::access(path.c_str(), W_OK) != 0)
    throw Error(fmt::format("{} is read-only; nothing written", path));
  fs::path target(path);
  fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::string tmp = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  int fd = ::mkstemp(tmp.data());  // O_CREAT | O_EXCL: never opens an existing file or link
  if (fd < 0) fail(path, errno);
  bool ok = ::fchmod(fd, st.st_mode & 07777) == 0 && write_all(fd, bytes) && ::fsync(fd) == 0;
  int err = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    ::unlink(tmp.c_str());
    fail(path, err);
  }
  // Just before the rename: the file must still hold what the edit was made on (compared as it is read).
  std::size_t at = 0;
  bool same = false;
  struct stat again{};
  int in = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW);
  if (in >= 0 && ::fstat(in, &again) == 0 && again.st_ino == st.st_ino) {
    char buf[65536];
    same = true;
    for (ssize_t n; (n = ::read(in, buf, sizeof buf)) > 0;) {
      auto got = static_cast<std::size_t>(n);
      same = same && at + got <= expected.size() && expected.substr(at, got) == std::string_view(buf, got);
      at += got;
    }
  }
  if (in >= 0) ::close(in);
  if (in < 0 || again.st_ino != st.st_ino || !same || at != expected.size()) {
    ::unlink(tmp.c_str());
    throw Error(fmt::format("{} changed on disk while tandem was editing it; nothing written (run the command again)",
                            path));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    ::unlink(tmp.c_str());
    fail(path, err);
  }
}

}  // namespace tandem
