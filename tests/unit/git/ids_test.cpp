// core/git/ids: the ids that the history of every ref created, and the id cache.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "core/git/cache.hpp"
#include "core/git/ids.hpp"
#include "core/git/refs.hpp"
#include "support/git_repo.hpp"

using namespace tandem;

namespace {

/// The ids, joined by spaces (a readable failure).
std::string ids(const test::GitRepo& r) {
  std::string out;
  for (const auto& id : history::ids_in_history(load::Location{r.path(), "tandem.yaml", true}, {}))
    out += (out.empty() ? "" : " ") + id;
  return out;
}

}  // namespace

TEST_CASE("the ids of HEAD's history, of other branches and of tags count, each read once into the cache") {
  test::GitRepo r;
  std::string cache = r.path() + "-cache";
  ::setenv("TANDEM_CACHE_DIR", cache.c_str(), 1);
  r.write("tandem.yaml", test::k_history_config);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One}\n  - {id: A-9, title: Gone}\n");
  r.commit("create");
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One}\n");
  r.commit("drop A-9");
  r.git("checkout -q -b other");
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One}\n  - {id: B-1, title: Other}\n");
  r.commit("other adds B-1");
  r.git("checkout -q -b released main");
  r.write("roadmap.yaml", "milestones:\n  - {id: M7, title: Tagged}\n");
  r.commit("a milestone");
  r.git("tag v1");
  r.git("checkout -q main");
  r.git("branch -q -D released");

  git::Repository repo(r.path());
  CHECK(git::ref_tips(repo).size() == 3);  // main (and HEAD), other, v1
  std::string want = "A-1 A-9 B-1 M7";
  ::setenv("TANDEM_NO_CACHE", "1", 1);
  CHECK(ids(r) == want);
  CHECK_FALSE(std::filesystem::exists(cache));
  ::unsetenv("TANDEM_NO_CACHE");
  CHECK(ids(r) == want);
  history::IdCache filled(repo, "tandem.yaml", {});
  CHECK(filled.tips() == git::ref_tips(repo));
  std::string cached;
  for (const auto& id : filled.ids()) cached += (cached.empty() ? "" : " ") + id;
  CHECK(cached == want);
  CHECK(git::walk_many(repo, git::ref_tips(repo), filled.tips()).empty());  // nothing left to read
  CHECK(ids(r) == want);

  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One}\n  - {id: C-1, title: New}\n");
  r.commit("C-1");
  CHECK(git::walk_many(repo, git::ref_tips(repo), filled.tips()).size() == 1);  // only the new commit
  want = "A-1 A-9 B-1 C-1 M7";
  CHECK(ids(r) == want);
  std::filesystem::remove_all(cache);
  ::unsetenv("TANDEM_CACHE_DIR");
}
