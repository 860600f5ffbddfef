#include "core/git/libgit2.hpp"

#include <dlfcn.h>

#include <fmt/format.h>

#include "core/base/error.hpp"

namespace tandem::git {

#define TANDEM_LIBGIT2_DEFINE(name) decltype(&::name) name = nullptr;
TANDEM_LIBGIT2_FUNCTIONS(TANDEM_LIBGIT2_DEFINE)
#undef TANDEM_LIBGIT2_DEFINE

namespace {
/// The library of the headers tandem was built with (its SONAME, e.g. libgit2.so.1.5).
constexpr const char* k_library = "libgit2.so." LIBGIT2_SOVERSION;

struct Library {
  Library() {
    void* lib = dlopen(k_library, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
      throw Error(fmt::format("cannot load {}, which tandem needs to read git history: {} (on Debian: apt-get install "
                              "libgit2-{})",
                              k_library, dlerror(), LIBGIT2_SOVERSION));
#define TANDEM_LIBGIT2_LOOKUP(name)                                                               \
  name = reinterpret_cast<decltype(name)>(dlsym(lib, #name));                                     \
  if (!name) throw Error(fmt::format("{} has no function {}: tandem needs libgit2 {}", k_library, \
                                     #name, LIBGIT2_VERSION));
    TANDEM_LIBGIT2_FUNCTIONS(TANDEM_LIBGIT2_LOOKUP)
#undef TANDEM_LIBGIT2_LOOKUP
    git_libgit2_init();
    // Like git itself, do not re-hash every object read: it was half of the time of an audit.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  }
  ~Library() { git_libgit2_shutdown(); }
};
}  // namespace

void load_libgit2() { static Library library; }

}  // namespace tandem::git
