// core/git/cat_file: large blobs read by `git cat-file --batch` are exactly the objects libgit2 reads,
// whatever replace refs, grafts and GIT_* variables of tandem's environment say.
#include "core/git/cat_file.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/git/repository.hpp"
#include "support/git_repo.hpp"

using namespace tandem;

namespace {

/// Sets (or, with nullopt, unsets) environment variables for its lifetime.
class EnvGuard {
public:
  using Vars = std::vector<std::pair<std::string, std::optional<std::string>>>;
  explicit EnvGuard(const Vars& vars) {
    for (auto& [name, value] : vars) {
      const char* old = std::getenv(name.c_str());
      m_saved.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
      value ? ::setenv(name.c_str(), value->c_str(), 1) : ::unsetenv(name.c_str());
    }
  }
  ~EnvGuard() {
    for (auto& [name, value] : m_saved) value ? ::setenv(name.c_str(), value->c_str(), 1) : ::unsetenv(name.c_str());
  }

private:
  std::vector<std::pair<std::string, std::optional<std::string>>> m_saved;
};

/// A backlog of `n` items whose titles name `version`.
std::string backlog(int version, int n = 400) {
  std::string out = "items:\n";
  for (int i = 1; i <= n; ++i)
    out += "  - id: A-" + std::to_string(i) + "\n    title: Item " + std::to_string(i) + " of version " +
           std::to_string(version) + "\n    status: todo\n";
  return out;
}

std::string text_at(const git::Repository& repo, const std::string& commit, const std::string& path) {
  git::TreeSource tree(repo, *git::Oid::from_hex(commit));
  return tree.read(path, 1u << 30).value_or("<absent>");
}

}  // namespace

TEST_CASE("git cat-file reads the true objects, as libgit2 does, despite replace refs, grafts and GIT_* variables") {
  test::GitRepo r;
  r.write("backlog.yaml", backlog(1));
  std::string first = r.commit("first");
  r.write("backlog.yaml", backlog(2));
  std::string second = r.commit("second");
  r.write("backlog.yaml", backlog(666));
  std::string decoy = r.commit("decoy");
  r.git("reset -q --hard " + second);
  // git itself now shows the decoy for the first version's blob and for the second commit, and grafts the
  // decoy under the first commit.
  std::string blob1 = r.git("rev-parse " + first + ":backlog.yaml");
  r.git("replace " + blob1 + " " + decoy + ":backlog.yaml");
  r.git("replace " + second + " " + decoy);
  std::ofstream(r.path() + "/.git/info/grafts") << first << " " << decoy << "\n";
  REQUIRE(r.git("cat-file blob " + blob1) == backlog(666).substr(0, backlog(666).size() - 1));
  // Another repository that tandem's GIT_* variables point to.
  test::GitRepo other;
  other.write("backlog.yaml", backlog(777));
  other.commit("elsewhere");
  std::string objects = other.path() + "/.git/objects";
  EnvGuard env(EnvGuard::Vars{{"GIT_DIR", other.path() + "/.git"}, {"GIT_OBJECT_DIRECTORY", objects},
                {"GIT_ALTERNATE_OBJECT_DIRECTORIES", objects}, {"GIT_REPLACE_REF_BASE", "refs/replace/"},
                {"GIT_NO_REPLACE_OBJECTS", std::nullopt}, {"GIT_GRAFT_FILE", r.path() + "/.git/info/grafts"},
                {"GIT_CONFIG_PARAMETERS", "'core.usereplacerefs'='true'"}});

  std::optional<git::Repository> libgit2_only;
  {
    EnvGuard off(EnvGuard::Vars{{"TANDEM_GIT_BLOB_THRESHOLD", "off"}});
    libgit2_only.emplace(r.path());
  }
  const git::Repository& by_libgit2 = *libgit2_only;
  EnvGuard all(EnvGuard::Vars{{"TANDEM_GIT_BLOB_THRESHOLD", "0"}});
  git::Repository by_git(r.path());
  for (const auto& [commit, version] : {std::pair{first, 1}, {second, 2}}) {
    CAPTURE(version);
    CHECK(text_at(by_libgit2, commit, "backlog.yaml") == backlog(version));
    CHECK(text_at(by_git, commit, "backlog.yaml") == backlog(version));
  }
  // The reader itself, not libgit2 as its fallback, gives those bytes.
  git::CatFile cat_file(by_git.git_dir());
  for (const auto& [commit, version] : {std::pair{first, 1}, {second, 2}}) {
    auto id = git::TreeSource(by_git, *git::Oid::from_hex(commit)).blob_id("backlog.yaml");
    REQUIRE(id);
    auto bytes = cat_file.read(*id, backlog(version).size());
    REQUIRE(bytes);
    CHECK(std::string((*bytes).get(), backlog(version).size()) == backlog(version));
  }
}

TEST_CASE("git cat-file's answer must be the object asked for, else libgit2 reads") {
  test::GitRepo r;
  r.write("backlog.yaml", backlog(1, 3));
  std::string commit = r.commit("first");
  git::Repository repo(r.path());
  auto id = git::TreeSource(repo, *git::Oid::from_hex(commit)).blob_id("backlog.yaml");
  REQUIRE(id);
  std::size_t size = backlog(1, 3).size();
  {
    git::CatFile cat_file(repo.git_dir());
    CHECK(cat_file.read(*id, size));
    CHECK_FALSE(cat_file.read(*id, size + 1));  // not the size libgit2 read: refused, and git is not asked again
    CHECK_FALSE(cat_file.read(*id, size));
  }
  {
    git::CatFile cat_file(repo.git_dir());
    CHECK_FALSE(cat_file.read(*git::Oid::from_hex(std::string(40, '1')), size));  // missing
  }
  {
    EnvGuard no_git(EnvGuard::Vars{{"PATH", "/nonexistent"}, {"TANDEM_GIT_BLOB_THRESHOLD", "0"}});
    git::CatFile cat_file(repo.git_dir());
    CHECK_FALSE(cat_file.read(*id, size));
    git::Repository without_git(r.path());  // libgit2 reads every blob then
    CHECK(text_at(without_git, commit, "backlog.yaml") == backlog(1, 3));
  }
  CHECK(git::blob_id_of("hello\n", 6).hex() == "ce013625030ba8dba906f756967f9e9ca394464a");
  CHECK(git::blob_id_of("", 0).hex() == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

TEST_CASE("The size from which git reads blobs is 1 MiB, or TANDEM_GIT_BLOB_THRESHOLD") {
  {
    EnvGuard unset(EnvGuard::Vars{{"TANDEM_GIT_BLOB_THRESHOLD", std::nullopt}});
    CHECK(git::cat_file_threshold() == (1u << 20));
  }
  EnvGuard set(EnvGuard::Vars{{"TANDEM_GIT_BLOB_THRESHOLD", "4096"}});
  CHECK(git::cat_file_threshold() == 4096);
  EnvGuard off(EnvGuard::Vars{{"TANDEM_GIT_BLOB_THRESHOLD", "off"}});
  CHECK(git::cat_file_threshold() == SIZE_MAX);
  EnvGuard bad(EnvGuard::Vars{{"TANDEM_GIT_BLOB_THRESHOLD", "-1"}});
  CHECK(git::cat_file_threshold() == (1u << 20));
}
