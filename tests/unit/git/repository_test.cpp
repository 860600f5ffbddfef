// core/git/repository: revisions, walks and trees of a real repository (made with the git program).
#include <doctest/doctest.h>

#include <filesystem>

#include <unordered_set>

#include "core/base/error.hpp"
#include "core/git/repository.hpp"
#include "support/git_repo.hpp"

using namespace tandem;

namespace {

std::vector<std::string> hex(const std::vector<git::Oid>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids) out.push_back(id.hex());
  return out;
}

}  // namespace

TEST_CASE("An Oid reads and writes 40 hex digits, compares and hashes by value") {
  auto a = git::Oid::from_hex("0123456789abcdef0123456789ABCDEF01234567");
  REQUIRE(a);
  CHECK(a->hex() == "0123456789abcdef0123456789abcdef01234567");
  CHECK(a->short_hex() == "0123456789");
  CHECK_FALSE(git::Oid::from_hex("0123"));
  CHECK_FALSE(git::Oid::from_hex("g123456789abcdef0123456789abcdef01234567"));
  auto b = git::Oid::from_hex("1123456789abcdef0123456789abcdef01234567");
  CHECK(*a < *b);
  CHECK(*a == *git::Oid::from_hex(a->hex()));
  std::unordered_set<git::Oid> set{*a, *b, *a};
  CHECK(set.size() == 2);
}

TEST_CASE("A repository resolves revisions to commits, and names an unknown one") {
  test::GitRepo r;
  r.write("a.txt", "1\n");
  std::string first = r.commit("first");
  r.write("a.txt", "2\n");
  std::string second = r.commit("second");
  git::Repository repo(r.path());
  CHECK(repo.resolve("HEAD").hex() == second);
  CHECK(repo.resolve("main").hex() == second);
  CHECK(repo.resolve("HEAD~1").hex() == first);
  CHECK(repo.resolve(first.substr(0, 12)).hex() == first);
  CHECK(repo.contains(repo.resolve("HEAD~1")));
  CHECK_FALSE(repo.contains(*git::Oid::from_hex(std::string(40, '1'))));
  CHECK_THROWS_WITH_AS(repo.resolve("nope"), "unknown revision 'nope'", Error);
  CHECK_THROWS_WITH_AS(repo.resolve("@{upstream}"),
                       "unknown revision '@{upstream}' (the branch has no upstream: name a range such as main..HEAD, "
                       "or use --base)",
                       Error);
  CHECK_FALSE(repo.is_shallow());
  CHECK(repo.workdir().ends_with("/"));
}

TEST_CASE("Opening a folder outside any repository throws") {
  auto dir = std::filesystem::temp_directory_path() / "tandem-no-git-here";
  std::filesystem::create_directories(dir);
  CHECK_THROWS_WITH_AS(git::Repository(dir.string()),
                       (dir.string() + " is not in a git repository (this command reads git history)").c_str(), Error);
  std::filesystem::remove_all(dir);
}

TEST_CASE("A commit's info has its author, date, summary, parents and Approved-by trailers after .mailmap") {
  test::GitRepo r;
  r.write(".mailmap", "Bob Stone <bob@example.com> <bob@old.example.com>\n");
  std::string first = r.commit("first");
  std::string second = r.commit("Raise the value\n\nApproved-by: Bob <bob@old.example.com>\nApproved-by: nobody\n",
                                test::k_carol);
  git::Repository repo(r.path());
  auto info = repo.info(repo.resolve("HEAD"));
  CHECK(info.id == second);
  CHECK(info.short_id == second.substr(0, 10));
  CHECK(info.oid.hex() == second);
  CHECK(info.author_name == "Carol Diaz");
  CHECK(info.author_email == "carol@example.com");
  CHECK(info.approver_emails == std::vector<std::string>{"bob@example.com"});
  CHECK(info.time == test::GitRepo::k_first_time + 3600);
  CHECK(to_string(info.date) == "2027-01-04");
  CHECK(info.summary == "Raise the value");
  CHECK(info.parents == 1);
  REQUIRE(info.parent_ids.size() == 1);
  CHECK(info.parent_ids[0].hex() == first);
  CHECK(repo.info(info.parent_ids[0]).parents == 0);
}

TEST_CASE("walk lists a range oldest first, parents before children, without the base's history") {
  test::GitRepo r;
  std::string a = r.commit("a");
  std::string b = r.commit("b");
  r.git("checkout -q -b side");
  std::string c = r.commit("c");
  r.git("checkout -q main");
  std::string d = r.commit("d");
  r.git("merge -q --no-ff -m merge side", "GIT_AUTHOR_DATE='@1799090000 +0000' GIT_COMMITTER_DATE='@1799090000 +0000' ");
  std::string m = r.git("rev-parse HEAD");
  git::Repository repo(r.path());
  auto head = repo.resolve("HEAD");

  auto all = hex(repo.walk(head, std::nullopt));
  REQUIRE(all.size() == 5);
  CHECK(all.front() == a);
  CHECK(all[1] == b);
  CHECK(all.back() == m);
  auto pos = [&](const std::string& id) { return std::find(all.begin(), all.end(), id) - all.begin(); };
  CHECK(pos(c) > pos(b));
  CHECK(pos(d) > pos(b));

  auto range = hex(repo.walk(head, repo.resolve(b)));
  CHECK(range.size() == 3);
  CHECK(range.back() == m);
  CHECK(std::find(range.begin(), range.end(), b) == range.end());
  CHECK(hex(repo.walk(repo.resolve(b), repo.resolve(b))).empty());
}

TEST_CASE("since lists the commits at or after a time, newest first") {
  test::GitRepo r;
  r.commit("a");
  std::string b = r.commit("b");
  std::string c = r.commit("c");
  git::Repository repo(r.path());
  auto head = repo.resolve("HEAD");
  CHECK(hex(repo.since(head, test::GitRepo::k_first_time + 3600)) == std::vector<std::string>{c, b});
  CHECK(hex(repo.since(head, test::GitRepo::k_first_time)).size() == 3);
  CHECK(hex(repo.since(head, test::GitRepo::k_first_time + 3 * 3600)).empty());
  CHECK(hex(repo.since(head, test::GitRepo::k_first_time, test::GitRepo::k_first_time + 3600)).size() == 2);  // until: included
  CHECK(hex(repo.since(head, 0, test::GitRepo::k_first_time - 1)).empty());  // every commit after the window
}

TEST_CASE("A repository with no commit yet is unborn, and HEAD names no commit in it") {
  test::GitRepo r;
  git::Repository repo(r.path());
  CHECK(repo.unborn());
  CHECK_THROWS_WITH(repo.resolve("HEAD"), "no commits yet: commit the plan first");
  CHECK_THROWS_WITH(repo.resolve("main"), "no commits yet: commit the plan first");
  r.commit("a");
  CHECK_FALSE(repo.unborn());
  CHECK_THROWS_WITH(repo.resolve("nope"), "unknown revision 'nope'");
}

TEST_CASE("A tree source sees links as links and never reads through one") {
  test::GitRepo r;
  r.write("notes/s.yaml", "items: []\n");
  r.write("archive/a.yaml", "items: []\n");
  r.write("archive/.gone.yaml", "items: []\n");
  std::filesystem::create_symlink("../notes/s.yaml", std::filesystem::path(r.path()) / "archive/s.yaml");
  std::filesystem::create_symlink("notes", std::filesystem::path(r.path()) / "ext");
  r.commit("links");
  git::Repository repo(r.path());
  git::TreeSource tree(repo, repo.resolve("HEAD"));
  CHECK(tree.glob("archive/*.yaml") == std::vector<std::string>{"archive/a.yaml", "archive/s.yaml"});
  CHECK(tree.type("archive/s.yaml") == EntryType::link);
  CHECK(tree.type("archive") == EntryType::directory);
  CHECK(tree.link_on("ext/s.yaml") == "ext");
  CHECK_FALSE(tree.blob_id("archive/s.yaml"));
  CHECK_FALSE(tree.read("ext/s.yaml", 1000));  // not found: the tree has no directory there
  CHECK_THROWS_WITH_AS(tree.read("archive/s.yaml", 1000), "archive/s.yaml is a symbolic link, not a plan file", Error);
  CHECK_THROWS_WITH_AS(tree.read("archive", 1000), "archive is not a file in that revision", Error);
}

TEST_CASE("A tree source reads, globs and finds blobs at a commit, not in the work tree") {
  test::GitRepo r;
  r.write("plan/backlog.yaml", "items: []\n");
  r.write("plan/extra.yaml", "x\n");
  r.commit("first");
  r.write("plan/backlog.yaml", "changed\n");
  git::Repository repo(r.path());
  git::TreeSource tree(repo, repo.resolve("HEAD"));
  CHECK(tree.read("plan/backlog.yaml", 1000) == "items: []\n");
  CHECK_FALSE(tree.read("missing.yaml", 1000));
  CHECK(tree.glob("plan/*.yaml") == std::vector<std::string>{"plan/backlog.yaml", "plan/extra.yaml"});
  CHECK(tree.blob_id("plan/backlog.yaml")->hex() == r.git("rev-parse HEAD:plan/backlog.yaml"));
  CHECK_FALSE(tree.blob_id("missing.yaml"));
  CHECK_FALSE(tree.link_on("plan/backlog.yaml"));
  CHECK_THROWS_WITH_AS(tree.read("plan/backlog.yaml", 3),
                       "plan/backlog.yaml is 10 bytes, more than the limit of 3 (raise it with --max-file-size)", Error);
}

TEST_CASE("user_email is the author git would record: GIT_AUTHOR_EMAIL, then git's configuration with GIT_CONFIG_*") {
  test::GitRepo r;
  r.git("config user.name Pat");
  r.git("config user.email pat@example.com");
  r.git("config user.useConfigOnly true");
  git::Repository repo(r.path());
  // Only this repository's configuration and the environment this test sets count.
  struct Env {
    std::string name;
    std::optional<std::string> old;
  };
  std::vector<Env> saved;
  auto set = [&](const char* name, const char* value) {
    const char* old = std::getenv(name);
    saved.push_back({name, old ? std::optional<std::string>(old) : std::nullopt});
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  };
  set("GIT_CONFIG_NOSYSTEM", "1");
  set("GIT_CONFIG_GLOBAL", "/dev/null");
  set("GIT_AUTHOR_EMAIL", nullptr);
  set("EMAIL", nullptr);
  set("GIT_CONFIG_COUNT", nullptr);
  CHECK(repo.user_email() == "pat@example.com");
  set("GIT_AUTHOR_EMAIL", "dana@example.com");
  CHECK(repo.user_email() == "dana@example.com");
  set("GIT_AUTHOR_EMAIL", nullptr);
  set("GIT_CONFIG_COUNT", "1");
  set("GIT_CONFIG_KEY_0", "user.email");
  set("GIT_CONFIG_VALUE_0", "max@example.com");
  CHECK(repo.user_email() == "max@example.com");
  set("GIT_CONFIG_COUNT", nullptr);
  r.git("config --unset user.name");  // git refuses an identity without a name: the configured email
  CHECK(repo.user_email() == "pat@example.com");
  // No identity at all is e2e's (test_first_hour): libgit2's fallback reads this process's $HOME.
  for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
    if (it->old) ::setenv(it->name.c_str(), it->old->c_str(), 1);
    else ::unsetenv(it->name.c_str());
  }
}
