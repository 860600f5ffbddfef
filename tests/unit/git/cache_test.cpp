// core/git/cache: what the walk found in each commit, kept in the git directory between runs.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/git/cache.hpp"
#include "core/git/judged.hpp"
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

namespace {

/// Every field of a violation, for comparing what the file gives back with what audit found.
std::string spelled(const std::vector<audit::Violation>& vs) {
  std::string out;
  auto list = [&](const std::vector<std::string>& l) {
    for (const auto& s : l) out += s + ",";
    out += "|";
  };
  for (const auto& v : vs) {
    const auto& c = v.commit;
    out += c.id + c.short_id + c.author_name + c.author_email + std::to_string(c.time) + "/" +
           std::to_string(c.date.days) + c.summary + std::to_string(c.parents) + c.oid.hex() + "|";
    for (const auto& p : c.parent_ids) out += p.hex();
    for (const auto* l : {&c.approver_emails, &c.trailer_notes, &c.approves, &v.approvers, &v.roles, &v.notes,
                          &v.change.flags})
      list(*l);
    out += v.person + v.change.kind + v.change.id + v.change.field + v.change.old_value.value_or("-") +
           v.change.new_value.value_or("-") + v.change.file + std::to_string(v.change.line) + ":" +
           std::to_string(v.change.column) + v.requirement + (v.unaccounted ? "U" : "u") + v.code + v.missing + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("a range's judgement is kept for report and given back whole, for that range only") {
  test::GitRepo r;
  r.write("tandem.yaml", test::k_history_config);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 3, tags: [x]}\n");
  r.commit("create");
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 8, tags: [x, y]}\n");
  r.commit("value by carol\n\nApproved-by: Bob Stone <bob@example.com>\nApproved-by: nobody", test::k_carol);
  git::Repository repo(r.path());
  git::Range range{repo.resolve("HEAD~1"), repo.resolve("HEAD")};
  auto result = audit::run(repo, range, "", std::nullopt, {});
  const auto& found = result.violations;
  REQUIRE(found.size() == 2);  // value and tags, by carol (bob's approval does not make a product owner)
  CHECK_FALSE(found[0].notes.empty());  // every kind of field is in the file
  CHECK_FALSE(found[0].commit.trailer_notes.empty());
  CHECK_FALSE(found[0].missing.empty());

  std::string dir = r.path() + "-judged";
  ::setenv("TANDEM_CACHE_DIR", dir.c_str(), 1);
  {
    history::JudgementCache cache(repo, "tandem.yaml", {});
    CHECK_FALSE(cache.find(range, "").has_value());
    cache.save(range, "", result);
  }
  history::JudgementCache cache(repo, "tandem.yaml", {});
  auto kept = cache.find(range, "");
  REQUIRE(kept.has_value());
  CHECK(spelled(*kept) == spelled(found));
  CHECK(cache.find(range, "plans") == std::nullopt);  // another start directory
  CHECK(cache.find(git::Range{std::nullopt, range.head}, "") == std::nullopt);
  load::Options small;
  small.max_items = 10;
  CHECK(history::JudgementCache(repo, "tandem.yaml", small).find(range, "") == std::nullopt);

  SUBCASE("a file cut anywhere gives nothing back") {
    std::filesystem::path file;
    for (const auto& e : std::filesystem::directory_iterator(dir)) file = e.path();
    std::ifstream in(file, std::ios::binary);
    std::string whole((std::istreambuf_iterator<char>(in)), {});
    for (std::size_t n = 0; n + 1 < whole.size(); n += 7) {
      std::ofstream(file, std::ios::binary | std::ios::trunc) << whole.substr(0, n);
      CHECK(history::JudgementCache(repo, "tandem.yaml", {}).find(range, "") == std::nullopt);
    }
  }
  SUBCASE("an unverified commit, or a version that did not parse, is judged again on every run") {
    auto unverified = result;
    unverified.violations[0].code = "unverified-commit";
    git::Range other{std::nullopt, range.head};
    cache.save(other, "", unverified);
    CHECK(history::JudgementCache(repo, "tandem.yaml", {}).find(other, "") == std::nullopt);
    auto unparsed = result;
    unparsed.problems.error("unparseable-history", "backlog.yaml", {}, "cannot read backlog.yaml");
    cache.save(other, "", unparsed);
    CHECK(history::JudgementCache(repo, "tandem.yaml", {}).find(other, "") == std::nullopt);
    cache.save(other, "", result);
    CHECK(history::JudgementCache(repo, "tandem.yaml", {}).find(other, "").has_value());
    CHECK(history::JudgementCache(repo, "tandem.yaml", {}).find(range, "").has_value());
  }
  SUBCASE("the newest ranges are kept") {
    for (std::size_t i = 0; i < history::JudgementCache::k_ranges; ++i)
      cache.save(range, "dir" + std::to_string(i), audit::Result{});
    history::JudgementCache again(repo, "tandem.yaml", {});
    CHECK(again.find(range, "") == std::nullopt);
    CHECK(again.find(range, "dir0").has_value());
    CHECK(again.find(range, "dir0")->empty());
  }
  ::unsetenv("TANDEM_CACHE_DIR");
  std::filesystem::remove_all(dir);
}
