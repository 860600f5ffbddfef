#include "core/git/cat_file.hpp"

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

CatFile::CatFile(std::string git_dir) : m_git_dir(std::move(git_dir)) {}

CatFile::~CatFile() = default;

std::optional<std::shared_ptr<char[]>> CatFile::read(const Oid& id, std::size_t size) {
  if (m_failed) return std::nullopt;
  try {
    if (!m_child) {
      // Exactly this environment: no GIT_* variable of tandem's passes through (GIT_OBJECT_DIRECTORY,
      // GIT_ALTERNATE_OBJECT_DIRECTORIES, GIT_REPLACE_REF_BASE…), no replace refs, no grafts, no system
      // or user configuration, no fetch of a missing object: the objects libgit2 reads, and only them.
      std::vector<std::string> env{"GIT_DIR=" + m_git_dir, "GIT_NO_REPLACE_OBJECTS=1", "GIT_GRAFT_FILE=/dev/null",
                                   "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_NO_LAZY_FETCH=1",
                                   "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C"};
      m_child = std::make_unique<process::Child>(
          std::vector<std::string>{"git", "--no-replace-objects", "cat-file", "--batch"}, env, std::chrono::seconds(20));
    }
    std::string hex = id.hex();
    m_child->write(hex + "\n");
    // One request at a time, its whole answer read before the next: "<id> blob <size>\n<bytes>\n".
    if (std::string line = m_child->read_line(); line != fmt::format("{} blob {}", hex, size))
      throw Error("git cat-file answered " + line);
    std::shared_ptr<char[]> bytes(new char[size + 1]);
    for (std::size_t at = 0; at < size;) at += m_child->read_some(bytes.get() + at, size - at);
    char end = 0;
    if (m_child->read_some(&end, 1) != 1 || end != '\n') throw Error("git cat-file: no newline after the object");
    return bytes;
  } catch (const Error&) {  // git is missing, failed, stalled or answered another object: libgit2 reads
    m_failed = true;
    m_child.reset();
    return std::nullopt;
  }
}

}  // namespace tandem::git
