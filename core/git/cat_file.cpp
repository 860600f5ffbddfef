#include "core/git/cat_file.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "core/base/error.hpp"
#include "core/base/process.hpp"
#include "core/git/libgit2.hpp"

namespace tandem::git {

namespace {

/// OpenSSL's EVP digest functions, looked up in libcrypto (already loaded with libgit2 on most systems);
/// all null when it is missing.
struct Crypto {
  void* (*ctx_new)() = nullptr;
  void (*ctx_free)(void*) = nullptr;
  const void* (*sha1)() = nullptr;
  int (*init)(void*, const void*, void*) = nullptr;
  int (*update)(void*, const void*, std::size_t) = nullptr;
  int (*final)(void*, unsigned char*, unsigned int*) = nullptr;

  Crypto() {
    void* lib = nullptr;
    for (const char* name : {"libcrypto.so.3", "libcrypto.so.1.1"})
      if ((lib = dlopen(name, RTLD_NOW | RTLD_LOCAL))) break;
    if (!lib) return;
    auto find = [&](auto& fn, const char* name) { fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(dlsym(lib, name)); };
    find(ctx_new, "EVP_MD_CTX_new");
    find(ctx_free, "EVP_MD_CTX_free");
    find(sha1, "EVP_sha1");
    find(init, "EVP_DigestInit_ex");
    find(update, "EVP_DigestUpdate");
    find(final, "EVP_DigestFinal_ex");
    if (!ctx_new || !ctx_free || !sha1 || !init || !update || !final) ctx_new = nullptr;
  }
  bool usable() const { return ctx_new != nullptr; }
};

const Crypto& crypto() {
  static const Crypto c;
  return c;
}

/// The SHA-1 of a blob, fed as its bytes arrive (libcrypto), or computed at the end (libgit2).
class BlobHash {
public:
  explicit BlobHash(std::size_t size) : m_size(size) {
    if (!crypto().usable() || !(m_ctx = crypto().ctx_new())) return;
    std::string header = fmt::format("blob {}", size);
    if (crypto().init(m_ctx, crypto().sha1(), nullptr) != 1) {
      release();
      return;
    }
    update(header.data(), header.size() + 1);  // with its '\0'
  }
  ~BlobHash() { release(); }
  BlobHash(const BlobHash&) = delete;
  BlobHash& operator=(const BlobHash&) = delete;
  void update(const char* bytes, std::size_t n) {
    if (m_ctx && crypto().update(m_ctx, bytes, n) != 1) m_failed = true;
  }
  /// The id, given all the bytes (read again only without libcrypto).
  Oid finish(const char* all) {
    Oid out;
    unsigned int n = 0;
    if (m_ctx && !m_failed && crypto().final(m_ctx, out.bytes.data(), &n) == 1 && n == out.bytes.size()) return out;
    load_libgit2();
    git_oid id;
    if (git_odb_hash(&id, all, m_size, GIT_OBJECT_BLOB) < 0) throw Error("cannot hash a blob");
    std::memcpy(out.bytes.data(), id.id, out.bytes.size());
    return out;
  }

private:
  void release() {
    if (m_ctx) crypto().ctx_free(m_ctx);
    m_ctx = nullptr;
  }
  void* m_ctx = nullptr;
  std::size_t m_size;
  bool m_failed = false;
};

}  // namespace

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

Oid blob_id_of(const char* bytes, std::size_t size) {
  BlobHash hash(size);
  hash.update(bytes, size);
  return hash.finish(bytes);
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
    BlobHash hash(size);
    for (std::size_t at = 0; at < size;) {
      std::size_t n = m_child->read_some(bytes.get() + at, size - at);
      hash.update(bytes.get() + at, n);
      at += n;
    }
    char end = 0;
    if (m_child->read_some(&end, 1) != 1 || end != '\n') throw Error("git cat-file: no newline after the object");
    if (hash.finish(bytes.get()) != id) throw Error("git cat-file: not the object asked for");
    return bytes;
  } catch (const Error&) {  // git is missing, failed, stalled or answered another object: libgit2 reads
    m_failed = true;
    m_child.reset();
    return std::nullopt;
  }
}

}  // namespace tandem::git
