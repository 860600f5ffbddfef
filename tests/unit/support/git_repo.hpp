#pragma once
// A real git repository in a fresh temporary directory, built with the `git` program, for the tests
// of core/git (which itself reads it with libgit2 only). Commits get fixed, increasing dates.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace tandem::test {

/// A plan for history tests: PO alice, PM bob, developer carol; items A-1 and A-2; milestone M1.
inline const char* k_history_config = R"(version: 1
project: {name: History test, start: 2027-01-04}
people:
  - {id: alice, name: Alice Martin, email: alice@example.com, roles: [product_owner]}
  - {id: bob, name: Bob Stone, email: bob@example.com, roles: [project_manager]}
  - {id: carol, name: Carol Diaz, email: carol@example.com, roles: [developer]}
)";

inline const char* k_alice = "Alice Martin <alice@example.com>";
inline const char* k_bob = "Bob Stone <bob@example.com>";
inline const char* k_carol = "Carol Diaz <carol@example.com>";

class GitRepo {
public:
  /// The first commit is dated 2027-01-04 12:00 UTC; each further commit one hour later.
  static constexpr long long k_first_time = 1'799'064'000;

  GitRepo() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tandem-git-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    m_path = pattern;
    git("init -q -b main");
  }
  ~GitRepo() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  GitRepo(const GitRepo&) = delete;
  GitRepo& operator=(const GitRepo&) = delete;

  const std::string& path() const { return m_path; }

  /// Writes a file (creating its folders), relative to the work tree.
  void write(const std::string& file, const std::string& text) const {
    auto p = std::filesystem::path(m_path) / file;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  void remove(const std::string& file) const { std::filesystem::remove(std::filesystem::path(m_path) / file); }

  /// Commits every change in the work tree as `author` ("Name <email>"); returns the commit's hex id.
  std::string commit(const std::string& message, const std::string& author = k_alice) {
    auto lt = author.find('<');
    std::string name = author.substr(0, lt - 1), email = author.substr(lt + 1, author.size() - lt - 2);
    std::string date = "@" + std::to_string(k_first_time + 3600 * m_commits++) + " +0000";
    std::string env = "GIT_AUTHOR_NAME=" + quote(name) + " GIT_AUTHOR_EMAIL=" + quote(email) +
                      " GIT_COMMITTER_NAME=" + quote(name) + " GIT_COMMITTER_EMAIL=" + quote(email) +
                      " GIT_AUTHOR_DATE=" + quote(date) + " GIT_COMMITTER_DATE=" + quote(date) + " ";
    git("add -A");
    git("commit -q --allow-empty -m " + quote(message), env);
    return git("rev-parse HEAD");
  }

  /// Runs `git ARGS` in the repository and returns its output without the trailing newline.
  std::string git(const std::string& args, const std::string& env = "") const {
    std::string cmd = "cd " + quote(m_path) + " && GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null " + env +
                      "git -c commit.gpgsign=false -c user.name=t -c user.email=t@example.com " + args + " 2>&1";
    std::FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    std::string out;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    int rc = ::pclose(p);
    INFO("git " << args << ": " << out);
    REQUIRE(rc == 0);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }

private:
  static std::string quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }
  std::string m_path;
  int m_commits = 0;
};

}  // namespace tandem::test
