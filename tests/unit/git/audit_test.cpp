// core/git/audit: each change judged against the roles of its author and Approved-by trailers.
#include <doctest/doctest.h>

#include "core/git/audit.hpp"
#include "support/git_repo.hpp"

using namespace tandem;

namespace {

/// A repository whose first commit (by alice) holds the plan with A-1 at value 3.
void start(test::GitRepo& r) {
  r.write("tandem.yaml", test::k_history_config);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 3, estimate: 2}\n");
  r.commit("plan");
}

audit::Result audit_from(const test::GitRepo& r, const std::string& base) {
  git::Repository repo(r.path());
  return audit::run(repo, git::Range{repo.resolve(base), repo.resolve("HEAD")}, "", std::nullopt, {});
}

}  // namespace

TEST_CASE("audit reports a change made without the role its rule asks for") {
  test::GitRepo r;
  start(r);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 8, estimate: 2}\n");
  std::string id = r.commit("Raise the value", test::k_carol);
  auto result = audit_from(r, "HEAD~1");
  CHECK(result.commits == 1);
  CHECK_FALSE(result.problems.has_errors());
  REQUIRE(result.violations.size() == 1);
  const auto& v = result.violations[0];
  CHECK(v.commit.id == id);
  CHECK(v.person == "carol");
  CHECK(v.roles == std::vector<std::string>{"developer"});
  CHECK(v.approvers.empty());
  CHECK(v.change.kind == "backlog");
  CHECK(v.change.id == "A-1");
  CHECK(v.change.field == "value");
  CHECK(v.change.old_value == "3");
  CHECK(v.change.new_value == "8");
  CHECK(v.requirement == "product_owner");
}

TEST_CASE("audit allows a change by the role's holder, or approved by one") {
  test::GitRepo r;
  start(r);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 8, estimate: 2}\n");
  r.commit("Raise the value\n\nApproved-by: Alice Martin <ALICE@example.com>\n", test::k_carol);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 8, estimate: 5}\n");
  r.commit("Re-estimate", test::k_carol);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: Uno, value: 8, estimate: 5}\n");
  r.commit("Rename", test::k_alice);
  auto result = audit_from(r, "HEAD~3");
  CHECK(result.commits == 3);
  CHECK(result.violations.empty());
}

TEST_CASE("audit judges by the rules at the base, and names unknown authors by nobody") {
  test::GitRepo r;
  start(r);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 8, estimate: 2}\n");
  r.commit("Raise the value", "Eve <eve@example.com>");
  auto result = audit_from(r, "HEAD~1");
  REQUIRE(result.violations.size() == 1);
  CHECK(result.violations[0].person.empty());
  CHECK(result.violations[0].roles.empty());
}

TEST_CASE("a net change is accounted for only by a change that gave it its final value") {
  using history::Change;
  auto change = [](std::string kind, std::string id, std::string field, std::optional<std::string> now) {
    return Change{std::move(kind), std::move(id), std::move(field), std::nullopt, std::move(now), "backlog.yaml", 1};
  };
  std::vector<Change> made{change("backlog", "A-1", "value", "8"), change("backlog", "A-1", "value", "13"),
                           change("backlog", "A-2", "create", "\"Two\""), change("roadmap", "M1", "order", "2")};
  CHECK(audit::accounted(change("backlog", "A-1", "value", "13"), made));
  CHECK_FALSE(audit::accounted(change("backlog", "A-1", "value", "21"), made));   // a value no commit set
  CHECK_FALSE(audit::accounted(change("backlog", "A-1", "estimate", "13"), made));
  CHECK_FALSE(audit::accounted(change("risks", "A-1", "value", "13"), made));
  CHECK(audit::accounted(change("backlog", "A-2", "value", "5"), made));          // made anew in the range
  CHECK_FALSE(audit::accounted(change("backlog", "A-2", "delete", std::nullopt), made));
  CHECK(audit::accounted(change("roadmap", "M9", "order", "1"), made));
  CHECK_FALSE(audit::accounted(change("backlog", "A-1", "order", "1"), made));
  CHECK_FALSE(audit::accounted(change("backlog", "A-3", "delete", std::nullopt), made));
}
