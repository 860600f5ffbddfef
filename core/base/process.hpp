#pragma once
#include <chrono>
#include <string>
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
