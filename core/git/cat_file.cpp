#include "core/git/cat_file.hpp"

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "core/base/error.hpp"
#include "core/base/process.hpp"

namespace tandem::git {

std::size_t cat_file_threshold() {
  const char* v = std::getenv("TANDEM_GIT_BLOB_THRESHOLD");
  if (v && std::string_view(v) == "off") return SIZE_MAX;
  if (v && *v) {
    char* end = nullptr;
    unsigned long long n = std::strtoull(v, &end, 10);
    if (*end == '\0' && v[0] != '-') return static_cast<std::size_t>(n);
  }
  return std::size_t{1} << 20;
}

namespace {

/// At most this many blobs asked ahead or read and not taken: one is what a walk needs (the next
/// version of the plan file), a few when a plan has several large files.
constexpr std::size_t k_ahead = 4;

}  // namespace

CatFile::CatFile(std::string git_dir) : m_git_dir(std::move(git_dir)) {}

CatFile::~CatFile() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_changed.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

bool CatFile::start() {
  if (m_failed) return false;
  if (m_thread.joinable()) return true;
  try {
    // Exactly this environment: no GIT_* variable of tandem's passes through (GIT_OBJECT_DIRECTORY,
    // GIT_ALTERNATE_OBJECT_DIRECTORIES, GIT_REPLACE_REF_BASE…), no replace refs, no grafts, no system
    // or user configuration, no fetch of a missing object: the objects libgit2 reads, and only them.
    std::vector<std::string> env{"GIT_DIR=" + m_git_dir, "GIT_NO_REPLACE_OBJECTS=1", "GIT_GRAFT_FILE=/dev/null",
                                 "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_NO_LAZY_FETCH=1",
                                 "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C"};
    m_child = std::make_unique<process::Child>(
        std::vector<std::string>{"git", "--no-replace-objects", "cat-file", "--batch"}, env, std::chrono::seconds(20));
    m_thread = std::thread([this] { serve(); });
    return true;
  } catch (const std::exception&) {  // git is missing, or no thread: libgit2 reads
    m_failed = true;
    m_child.reset();
    return false;
  }
}

bool CatFile::asked(const Oid& id) const {
  return std::any_of(m_requests.begin(), m_requests.end(), [&](const Request& r) { return r.id == id; }) ||
         std::any_of(m_answers.begin(), m_answers.end(), [&](const Answer& a) { return a.request.id == id; });
}

void CatFile::prefetch(const Oid& id, std::size_t size) {
  std::unique_lock lock(m_mutex);
  if (m_requests.size() + m_answers.size() >= k_ahead || asked(id) || !start()) return;
  m_requests.push_back({id, size});
  m_changed.notify_all();
}

std::optional<std::shared_ptr<char[]>> CatFile::read(const Oid& id, std::size_t size) {
  std::unique_lock lock(m_mutex);
  for (;;) {
    for (auto it = m_answers.begin(); it != m_answers.end(); ++it)
      if (it->request.id == id) {
        Answer found = std::move(*it);
        m_answers.erase(it);
        if (found.request.size == size) return std::move(found.bytes);
        m_failed = true;  // asked ahead with another size than this read's: not the object libgit2 sees
        return std::nullopt;
      }
    if (m_failed) return std::nullopt;
    if (!asked(id)) {  // not asked ahead (or its answer was dropped)
      if (!start()) return std::nullopt;
      m_requests.push_back({id, size});
      m_changed.notify_all();
    }
    m_changed.wait(lock);
  }
}

void CatFile::serve() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_changed.wait(lock, [&] { return m_stop || !m_requests.empty(); });
    if (m_stop) break;
    Request request = m_requests.front();
    lock.unlock();
    std::shared_ptr<char[]> bytes;
    try {
      bytes = answer(request);
    } catch (const std::exception&) {  // git failed, stalled or answered another object: libgit2 reads from now on
      m_child.reset();
    }
    lock.lock();
    m_requests.pop_front();
    if (!bytes) {
      m_failed = true;
      m_requests.clear();
      m_changed.notify_all();
      break;
    }
    m_answers.push_back({request, std::move(bytes)});
    if (m_answers.size() > k_ahead) m_answers.pop_front();  // asked ahead and never read
    m_changed.notify_all();
  }
}

std::shared_ptr<char[]> CatFile::answer(const Request& request) {
  std::string hex = request.id.hex();
  m_child->write(hex + "\n");
  // One request at a time, its whole answer read before the next: "<id> blob <size>\n<bytes>\n".
  if (std::string line = m_child->read_line(); line != fmt::format("{} blob {}", hex, request.size))
    throw Error("git cat-file answered " + line);
  std::shared_ptr<char[]> bytes(new char[request.size + 1]);
  for (std::size_t at = 0; at < request.size;) at += m_child->read_some(bytes.get() + at, request.size - at);
  if (m_child->read_some(bytes.get() + request.size, 1) != 1 || bytes.get()[request.size] != '\n')
    throw Error("git cat-file: no newline after the object");
  return bytes;
}

}  // namespace tandem::git
