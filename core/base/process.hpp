#pragma once
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace tandem::process {

/// What a finished program did.
struct Outcome {
  int exit_code = -1;     ///< its exit status; -1 when it was killed (by a signal or the time limit)
  bool timed_out = false; ///< killed after the time limit
  std::string out;        ///< what it wrote to stdout (at most 1 MiB kept)
  std::string err;        ///< what it wrote to stderr (at most 64 KiB kept)
};

/// A program to run: `argv[0]` is looked up in PATH. No shell is involved, so no argument is ever
/// interpreted.
struct Call {
  std::vector<std::string> argv;
  std::string stdin_data;                          ///< fed to its standard input
  std::chrono::milliseconds limit{10'000};         ///< killed (SIGKILL) after this long
  std::vector<std::string> env;                    ///< extra NAME=value entries for its environment
  std::string package;                             ///< the Debian package that has it, for the error
};

/// Runs the program and waits for it. Throws tandem::Error when it is not installed ("… is not
/// installed: on Debian, apt-get install PACKAGE") or cannot be started.
Outcome run(const Call& call);

/// A long-lived program tandem converses with through a pipe each way, one request at a time: write a
/// request, then read its whole response before the next, so that neither side waits on a full pipe.
/// Its environment is exactly `env` (nothing of tandem's own passes through); its stderr is discarded.
/// Every write or read that makes no progress for `limit` kills it. Any failure throws tandem::Error,
/// after which the Child is closed (closed() is true) and every call throws.
class Child {
public:
  /// Starts the program (`argv[0]` looked up in PATH). Throws when it cannot be started.
  Child(const std::vector<std::string>& argv, const std::vector<std::string>& env, std::chrono::milliseconds limit);
  /// Closes its pipes and kills it (it only ever reads), then reaps it.
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  void write(std::string_view bytes);
  /// The next line of its output, without the '\n'; throws at the end of the output or past `max` bytes.
  std::string read_line(std::size_t max = 4096);
  /// Reads up to `size` bytes of its output into `into` (at least one; throws at the end of the output).
  std::size_t read_some(char* into, std::size_t size);
  bool closed() const { return m_pid <= 0; }
  void close();

private:
  [[noreturn]] void fail(const std::string& why);
  void wait_for(int fd, short events);
  std::size_t read_raw(char* into, std::size_t size);
  pid_t m_pid = -1;
  int m_in = -1, m_out = -1;
  std::chrono::milliseconds m_limit;
  std::string m_buffer;       ///< output read ahead of what was asked
  std::size_t m_at = 0;       ///< the first unread byte of m_buffer
};

/// A directory of temporary files that belongs to tandem: made with mode 0700 (mkdtemp) and removed
/// with everything in it when destroyed. Throws tandem::Error when it cannot be made.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return m_path; }
  /// Writes `bytes` to a new file `name` in the directory (mode 0600) and returns its path.
  std::string write(const std::string& name, std::string_view bytes) const;

private:
  std::string m_path;
};

}  // namespace tandem::process
