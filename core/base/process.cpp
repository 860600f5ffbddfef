#include "core/base/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>
#include <fmt/format.h>

#include "core/base/error.hpp"

extern char** environ;

namespace tandem::process {

namespace {

/// Closes a file descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

/// A one-way channel to or from the program. The program's stdin is a socket, so that tandem can
/// write with MSG_NOSIGNAL: a program that exits early must not kill tandem with SIGPIPE.
struct Pipe {
  Fd read, write;
  explicit Pipe(bool socket = false) {
    int fds[2];
    int rc = socket ? ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) : ::pipe2(fds, O_CLOEXEC);
    if (rc != 0) throw Error(fmt::format("cannot make a pipe: {}", std::strerror(errno)));
    read.fd = fds[0];
    write.fd = fds[1];
    if (socket) ::shutdown(read.fd, SHUT_WR);
  }
};

}  // namespace

Outcome run(const Call& call) {
  if (call.argv.empty()) throw Error("no program to run");
  Pipe in(true), out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read.fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write.fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err.write.fd, 2);
  std::vector<char*> argv;
  for (const auto& a : call.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    bool replaced = false;
    for (const auto& x : call.env)
      replaced = replaced || entry.substr(0, entry.find('=') + 1) == std::string_view(x).substr(0, x.find('=') + 1);
    if (!replaced) env_strings.emplace_back(entry);
  }
  env_strings.insert(env_strings.end(), call.env.begin(), call.env.end());
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc == ENOENT)
    throw Error(fmt::format("{} is not installed{}", call.argv[0],
                            call.package.empty() ? "" : fmt::format(": on Debian, apt-get install {}", call.package)));
  if (rc != 0) throw Error(fmt::format("cannot run {}: {}", call.argv[0], std::strerror(rc)));
  in.read.reset();
  out.write.reset();
  err.write.reset();

  Outcome outcome;
  std::size_t written = 0;
  if (call.stdin_data.empty()) in.write.reset();
  auto deadline = std::chrono::steady_clock::now() + call.limit;
  // Feed stdin and drain stdout and stderr together, so that neither side waits on a full pipe.
  while (out.read.fd >= 0 || err.read.fd >= 0 || in.write.fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      outcome.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd fds[3] = {{out.read.fd, POLLIN, 0}, {err.read.fd, POLLIN, 0}, {in.write.fd, POLLOUT, 0}};
    int n = ::poll(fds, 3, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    char buf[65536];
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got <= 0) {
        (i == 0 ? out : err).read.reset();
        continue;
      }
      std::string& into = i == 0 ? outcome.out : outcome.err;
      std::size_t keep = i == 0 ? (1u << 20) : (64u << 10);
      if (into.size() < keep) into.append(buf, std::min<std::size_t>(static_cast<std::size_t>(got), keep - into.size()));
    }
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t put = (fds[2].revents & POLLOUT)
                        ? ::send(in.write.fd, call.stdin_data.data() + written, call.stdin_data.size() - written, MSG_NOSIGNAL)
                        : -1;
      if (put < 0) in.write.reset();
      else if ((written += static_cast<std::size_t>(put)) == call.stdin_data.size()) in.write.reset();
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

Child::Child(const std::vector<std::string>& argv, const std::vector<std::string>& env, std::chrono::milliseconds limit)
    : m_limit(limit) {
  if (argv.empty()) throw Error("no program to run");
  Pipe in(true), out;
  // A bigger pipe (Linux may refuse: then the default) means fewer wake-ups on a large response.
  ::fcntl(out.read.fd, F_SETPIPE_SZ, 1 << 20);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read.fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out.write.fd, 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw Error(fmt::format("cannot run {}: {}", argv[0], std::strerror(rc)));
  m_pid = pid;
  m_in = std::exchange(in.write.fd, -1);
  m_out = std::exchange(out.read.fd, -1);
  ::fcntl(m_in, F_SETFL, O_NONBLOCK);
  ::fcntl(m_out, F_SETFL, O_NONBLOCK);
}

Child::~Child() { close(); }

void Child::close() {
  if (m_in >= 0) ::close(m_in);
  if (m_out >= 0) ::close(m_out);
  m_in = m_out = -1;
  if (m_pid <= 0) return;
  ::kill(m_pid, SIGKILL);
  int status = 0;
  while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
  }
  m_pid = -1;
}

void Child::fail(const std::string& why) {
  close();
  throw Error(why);
}

/// Waits until `fd` is ready for `events`, for at most the limit.
void Child::wait_for(int fd, short events) {
  if (closed()) throw Error("the program has ended");
  pollfd p{fd, events, 0};
  int n;
  while ((n = ::poll(&p, 1, static_cast<int>(m_limit.count()))) < 0 && errno == EINTR) {
  }
  if (n == 0) fail(fmt::format("the program made no progress in {} ms", m_limit.count()));
  if (n < 0) fail(fmt::format("cannot wait for the program: {}", std::strerror(errno)));
}

void Child::write(std::string_view bytes) {
  while (!bytes.empty()) {
    wait_for(m_in, POLLOUT);
    ssize_t put = ::send(m_in, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (put < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (put <= 0) fail(fmt::format("cannot write to the program: {}", std::strerror(errno)));
    bytes.remove_prefix(static_cast<std::size_t>(put));
  }
}

std::size_t Child::read_some(char* into, std::size_t size) {
  if (m_at < m_buffer.size()) {
    std::size_t n = std::min(size, m_buffer.size() - m_at);
    std::memcpy(into, m_buffer.data() + m_at, n);
    m_at += n;
    return n;
  }
  return read_raw(into, size);
}

std::size_t Child::read_raw(char* into, std::size_t size) {
  for (;;) {
    wait_for(m_out, POLLIN);
    ssize_t got = ::read(m_out, into, size);
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (got < 0) fail(fmt::format("cannot read from the program: {}", std::strerror(errno)));
    if (got == 0) fail("the program ended early");
    return static_cast<std::size_t>(got);
  }
}

std::string Child::read_line(std::size_t max) {
  for (;;) {
    if (auto nl = m_buffer.find('\n', m_at); nl != std::string::npos) {
      std::string line = m_buffer.substr(m_at, nl - m_at);
      m_at = nl + 1;
      return line;
    }
    if (m_buffer.size() - m_at > max) fail("the program wrote a line too long");
    m_buffer.erase(0, m_at);
    m_at = 0;
    std::size_t had = m_buffer.size();
    m_buffer.resize(had + 4096);
    std::size_t got = 0;
    try {
      got = read_raw(m_buffer.data() + had, 4096);
    } catch (...) {
      m_buffer.resize(had);
      throw;
    }
    m_buffer.resize(had + got);
  }
}

TempDir::TempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/tandem-XXXXXX";
  if (!::mkdtemp(pattern.data()))
    throw Error(fmt::format("cannot make a temporary directory in {}: {}", pattern.substr(0, pattern.rfind('/')),
                            std::strerror(errno)));
  m_path = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

std::string TempDir::write(const std::string& name, std::string_view bytes) const {
  std::string path = m_path + "/" + name;
  Fd fd{::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)};
  if (fd.fd < 0) throw Error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  for (std::size_t done = 0; done < bytes.size();) {
    ssize_t n = ::write(fd.fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
    done += static_cast<std::size_t>(n);
  }
  return path;
}

}  // namespace tandem::process
