// core/git/cat_file: large blobs read by `git cat-file --batch` are exactly the objects libgit2 reads,
// whatever replace refs, grafts and GIT_* variables of tandem's environment say.
#include "core/git/cat_file.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
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
}

TEST_CASE("Blobs asked ahead are read in any order, each the object asked for; a few are kept at most") {
  test::GitRepo r;
  std::vector<std::pair<git::Oid, std::string>> blobs;
  for (int v = 1; v <= 7; ++v) {
    r.write("backlog.yaml", backlog(v, 50));
    std::string commit = r.commit("v" + std::to_string(v));
    git::Repository repo(r.path());
    blobs.emplace_back(*git::TreeSource(repo, *git::Oid::from_hex(commit)).blob_id("backlog.yaml"), backlog(v, 50));
  }
  git::Repository repo(r.path());
  auto text = [&](git::CatFile& cat_file, std::size_t i) {
    auto bytes = cat_file.read(blobs[i].first, blobs[i].second.size());
    return bytes ? std::string((*bytes).get(), blobs[i].second.size()) : "<none>";
  };
  {
    git::CatFile cat_file(repo.git_dir());
    for (std::size_t i = 0; i < blobs.size(); ++i) cat_file.prefetch(blobs[i].first, blobs[i].second.size());
    for (std::size_t i : {2, 0, 6, 1, 3, 5, 4, 2}) CHECK(text(cat_file, i) == blobs[i].second);
  }
  {
    git::CatFile cat_file(repo.git_dir());
    cat_file.prefetch(blobs[0].first, blobs[0].second.size());  // asked ahead, never read: dropped with the reader
  }
  {
    git::CatFile cat_file(repo.git_dir());
    cat_file.prefetch(blobs[1].first, blobs[1].second.size() + 1);  // not the size libgit2 read: git fails it
    CHECK(text(cat_file, 1) == "<none>");
    CHECK(text(cat_file, 0) == "<none>");  // and is not asked again: libgit2 reads
  }
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

namespace {

/// The `git` that PATH names (the test's own environment).
std::string real_git() {
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
  for (std::size_t at = 0; at <= path.size();) {
    std::size_t end = std::min(path.find(':', at), path.size());
    auto candidate = std::filesystem::path(path.substr(at, end - at)) / "git";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    at = end + 1;
  }
  return "/usr/bin/git";
}

/// A folder holding an executable `git` script of `body`, for PATH.
std::string fake_git(const std::string& dir, const std::string& body) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/git") << "#!/bin/sh\n" << body;
  std::filesystem::permissions(dir + "/git", std::filesystem::perms::owner_all);
  return dir;
}

}  // namespace

TEST_CASE("git runs with --no-replace-objects in exactly its own environment, and an answer not framed as the object asked for is not believed") {
  test::GitRepo r;
  std::string text = backlog(1, 3);
  r.write("backlog.yaml", text);
  std::string commit = r.commit("first");
  std::string spy = fake_git(r.path() + "/.spy", "env >\"" + r.path() + "/.spy/env\"\necho \"$@\" >\"" + r.path() +
                                                      "/.spy/args\"\nexec " + real_git() + " \"$@\"\n");
  // Liars: another id in the answer's header, or not the object's size (a byte more, then no newline).
  std::string size = std::to_string(text.size());
  std::string other_id = fake_git(r.path() + "/.other", "while read id; do printf '%s blob " + size + "\\n' " +
                                                          std::string(40, '1') + "; head -c " + size +
                                                          " /dev/zero | tr '\\000' x; echo; done\n");
  std::string longer = fake_git(r.path() + "/.longer", "while read id; do printf '%s blob " + size + "\\n' \"$id\"; head -c " +
                                                         std::to_string(text.size() + 1) + " /dev/zero | tr '\\000' x; echo; done\n");
  {
    EnvGuard env(EnvGuard::Vars{{"PATH", spy}, {"TANDEM_GIT_BLOB_THRESHOLD", "0"}, {"GIT_OBJECT_DIRECTORY", "/elsewhere"},
                                {"GIT_CONFIG_PARAMETERS", "'core.usereplacerefs'='true'"}});
    git::Repository repo(r.path());
    CHECK(text_at(repo, commit, "backlog.yaml") == text);
  }
  std::ifstream args_file(r.path() + "/.spy/args"), env_file(r.path() + "/.spy/env");
  std::string args, line;
  std::getline(args_file, args);
  CHECK(args == "--no-replace-objects cat-file --batch");
  std::vector<std::string> vars;
  while (std::getline(env_file, line))
    if (!line.starts_with("PWD=") && !line.starts_with("SHLVL=") && !line.starts_with("_=")) vars.push_back(line);
  std::sort(vars.begin(), vars.end());
  git::Repository plain(r.path());
  CHECK(vars == std::vector<std::string>{"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "GIT_DIR=" + plain.git_dir(),
                                         "GIT_GRAFT_FILE=/dev/null", "GIT_NO_LAZY_FETCH=1", "GIT_NO_REPLACE_OBJECTS=1",
                                         "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C"});
  for (const auto& liar : {other_id, longer}) {
    EnvGuard env(EnvGuard::Vars{{"PATH", liar + ":/usr/bin:/bin"}, {"TANDEM_GIT_BLOB_THRESHOLD", "0"}});
    git::Repository repo(r.path());
    auto id = git::TreeSource(repo, *git::Oid::from_hex(commit)).blob_id("backlog.yaml");
    git::CatFile cat_file(repo.git_dir());
    CHECK_FALSE(cat_file.read(*id, text.size()));
    CHECK(text_at(repo, commit, "backlog.yaml") == text);  // libgit2 reads it then
  }
}
