// core/git/cache: what the walk found in each commit, kept in the git directory between runs.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/git/cache.hpp"
#include "core/git/walk.hpp"
#include "support/git_repo.hpp"

using namespace tandem;

namespace {

std::vector<std::string> steps(const test::GitRepo& r, history::Cache* cache, std::size_t* with_versions = nullptr) {
  git::Repository repo(r.path());
  history::Reader reader(&repo, "tandem.yaml", {});
  Diagnostics problems;
  std::vector<std::string> out;
  history::for_each_change(repo, reader, repo.walk(repo.resolve("HEAD"), std::nullopt), problems,
                           [&](history::Step& s) {
                             if (with_versions && s.after) ++*with_versions;
                             std::string line = s.commit.summary + ":";
                             for (const auto& c : s.changes)
                               line += " " + c.kind + "/" + c.id + "/" + c.field + "=" + c.new_value.value_or("-");
                             for (const auto& [id, status] : s.created_status) line += " " + id + " is " + status;
                             out.push_back(line);
                           },
                           {.skip_cut = false, .cache = cache});
  return out;
}

}  // namespace

TEST_CASE("a walk from the cache finds what a walk of the history finds, and reads no version") {
  test::GitRepo r;
  r.write("tandem.yaml", test::k_history_config);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: \"One: 1\\n\", value: 3, status: doing}\n");
  r.commit("create");
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: \"One: 1\\n\", value: 5}\n  - {id: A-2, title: Two}\n");
  r.commit("value and A-2", test::k_carol);
  r.write("backlog.yaml", "items: [\n");
  r.commit("broken");

  git::Repository repo(r.path());
  std::string dir = r.path() + "-cache";  // not the user's ~/.cache
  ::setenv("TANDEM_CACHE_DIR", dir.c_str(), 1);
  auto truth = steps(r, nullptr);
  REQUIRE(truth.size() == 3);
  CHECK(truth[0] == "create: config//create=- backlog/A-1/create=\"One: 1\\n\" A-1 is \"doing\"");

  {
    history::Cache cache(repo, "tandem.yaml", {});
    REQUIRE(cache.enabled());
    CHECK(steps(r, &cache) == truth);
    cache.save();
  }
  history::Cache cache(repo, "tandem.yaml", {});
  std::size_t read = 0;
  CHECK(steps(r, &cache, &read) == truth);
  CHECK(read == 1);  // only the commit whose file does not parse is read again

  SUBCASE("another plan path or other limits do not share it") {
    history::Cache other(repo, "plans/tandem.yaml", {});
    CHECK(other.find(repo.resolve("HEAD~2")) == nullptr);
    load::Options small;
    small.max_items = 10;
    history::Cache limited(repo, "tandem.yaml", small);
    CHECK(limited.find(repo.resolve("HEAD~2")) == nullptr);
    CHECK(cache.find(repo.resolve("HEAD~2")) != nullptr);
  }
  SUBCASE("TANDEM_NO_CACHE=1 turns it off") {
    ::setenv("TANDEM_NO_CACHE", "1", 1);
    history::Cache off(repo, "tandem.yaml", {});
    ::unsetenv("TANDEM_NO_CACHE");
    CHECK_FALSE(off.enabled());
    CHECK(off.find(repo.resolve("HEAD~2")) == nullptr);
  }
  SUBCASE("a file cut anywhere changes nothing the walk finds") {
    std::filesystem::path file;
    for (const auto& e : std::filesystem::directory_iterator(dir)) file = e.path();
    std::ifstream in(file, std::ios::binary);
    std::string whole((std::istreambuf_iterator<char>(in)), {});
    REQUIRE(whole.size() > 100);
    for (std::size_t n = 0; n < whole.size(); n += 3) {
      std::ofstream(file, std::ios::binary | std::ios::trunc) << whole.substr(0, n);
      history::Cache damaged(repo, "tandem.yaml", {});
      CHECK(steps(r, &damaged) == truth);
    }
  }
  ::unsetenv("TANDEM_CACHE_DIR");
  std::filesystem::remove_all(dir);
}
