// core/git/audit: each change judged against the roles of its author and Approved-by trailers.
#include <doctest/doctest.h>

#include <map>

#include "core/base/error.hpp"
#include "core/git/audit.hpp"
#include "core/git/walk.hpp"
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

namespace {

/// A version whose backlog holds these records, each (id, {field, canonical JSON value}…), in order.
std::shared_ptr<history::Version> backlog(
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> records) {
  auto v = std::make_shared<history::Version>();
  v->has_config = true;
  std::uint32_t line = 2;
  for (auto& [id, fields] : records) {
    auto r = std::make_shared<history::Record>();
    r->id = id;
    std::sort(fields.begin(), fields.end());
    for (auto& f : fields) {
      r->fields.push_back(f);
      r->lines.push_back(0);
      r->columns.push_back(5);
    }
    v->kinds[0].push_back({r, history::FileName("backlog.yaml"), line++});
  }
  return v;
}

}  // namespace

TEST_CASE("the net change is judged part by part, by the commits that set each part") {
  auto base = backlog({{"A", {{"value", "3"}}}, {"B", {{"value", "5"}}}, {"C", {{"value", "1"}}}});
  auto landed = backlog({{"C", {{"value", "1"}}}, {"A", {{"value", "8"}}}, {"B", {{"value", "5"}}},
                         {"D", {{"value", "2"}, {"title", "\"Dee\""}}}});
  audit::NetChange net(*base, *landed);
  std::map<std::string, const audit::Part*> by;
  for (const auto& p : net.parts()) by[p.change.id + " " + p.change.field + (p.other.empty() ? "" : " " + p.other)] = &p;
  CHECK(by.count("A value"));
  CHECK(by.count("D create"));
  CHECK(by.count("D value"));
  CHECK(by["D value"]->of_created);
  CHECK(by.count("C order A"));  // C now stands before A and B
  CHECK(by.count("C order B"));
  CHECK(by.size() == 6);         // A value, D create, D value, D title, and two pairs

  // Commit 0 creates D and sets A to 13; commit 1 moves C to the top (through A's value 8); commit 2
  // sets A to 8. A pair is set by the commit that turned it, a field by each commit that gave it its
  // landed value, a created record's fields by its creation.
  auto mid = backlog({{"A", {{"value", "13"}}}, {"B", {{"value", "5"}}}, {"C", {{"value", "1"}}},
                      {"D", {{"value", "2"}, {"title", "\"Dee\""}}}});
  auto moved = backlog({{"C", {{"value", "1"}}}, {"A", {{"value", "8"}}}, {"B", {{"value", "5"}}},
                        {"D", {{"value", "2"}, {"title", "\"Dee\""}}}});
  git::CommitInfo info;
  history::Step s0{info, history::diff(*base, *mid), {}, mid, {base}, false, base};
  history::Step s1{info, history::diff(*mid, *moved), {}, moved, {mid}, false, mid};
  CHECK(net.observe(0, s0));
  CHECK(net.observe(1, s1));
  CHECK(by["D create"]->setters == std::vector<std::uint32_t>{0});
  CHECK(by["D value"]->creators == std::vector<std::uint32_t>{0});
  CHECK(by["A value"]->setters == std::vector<std::uint32_t>{1});
  CHECK(by["C order A"]->setters == std::vector<std::uint32_t>{1});
  CHECK(by["C order B"]->setters == std::vector<std::uint32_t>{1});
  history::Step s2{info, {}, {}, moved, {moved}, false, moved};
  CHECK_FALSE(net.observe(2, s2));  // changes nothing
}

TEST_CASE("a record re-created on a branch is judged field by field against the base") {
  auto base = backlog({{"R", {{"probability", "2"}}}});
  auto landed = backlog({{"R", {{"probability", "5"}}}});
  audit::NetChange net(*base, *landed);
  REQUIRE(net.parts().size() == 1);
  const auto& part = net.parts()[0];
  CHECK(part.change.field == "probability");
  CHECK_FALSE(part.of_created);
  auto none = backlog({});
  git::CommitInfo info;
  history::Step deleted{info, history::diff(*base, *none), {}, none, {base}, false, base};
  history::Step created{info, history::diff(*none, *landed), {}, landed, {none}, false, none};
  CHECK_FALSE(net.observe(0, deleted));  // the field is not absent in the landed plan
  CHECK(net.observe(1, created));        // its creation set the field to its landed value
  CHECK(part.setters == std::vector<std::uint32_t>{1});
}

TEST_CASE("draft_approval claims only the changes the approver's approval counts for; audit counts the same") {
  test::GitRepo r;
  start(r);
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 8, estimate: 2}\n");
  r.commit("Raise the value", test::k_bob);  // needs product_owner: bob's own
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 8, estimate: 5}\n");
  r.commit("Re-estimate", test::k_carol);  // needs developer
  r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 8, estimate: 5, status: doing}\n");
  r.commit("Start", test::k_carol);  // developer or project_manager
  git::Repository repo(r.path());
  const git::Range range{repo.resolve("HEAD~3"), repo.resolve("HEAD")};
  auto words = [](const history::Change& c) { return c.id + " " + c.field; };
  auto bob = audit::draft_approval(repo, range, "", std::nullopt, {}, words, "Bob Stone", "bob@example.com");
  CHECK(bob.approver == "bob");
  REQUIRE(bob.lines.size() == 1);
  CHECK(bob.lines[0].starts_with("A-1 status (commit "));
  REQUIRE(bob.refused.size() == 2);
  CHECK(bob.refused[0].ends_with("your own change: an approval by its maker adds nothing"));
  CHECK(bob.refused[1].ends_with("needs developer, a role you do not hold (you: project_manager)"));
  CHECK(bob.message.ends_with("\nApproves: " + range.base->hex() + ".." + range.head.hex() + "\n"));
  CHECK(bob.message.find("A-1 value") == std::string::npos);
  auto alice = audit::draft_approval(repo, range, "", std::nullopt, {}, words, "Alice Martin", "alice@example.com");
  CHECK(alice.lines.size() == 1);  // bob's value
  CHECK_THROWS_AS(audit::draft_approval(repo, range, "", std::nullopt, {}, words, "Eve", "eve@example.com"), Error);

  r.commit(bob.message, test::k_bob);  // the approval commit, as `tandem approve` writes it
  auto result = audit_from(r, "HEAD~4");
  REQUIRE(result.approved.size() == 1);
  CHECK(result.approved[0].change.field == "status");
  CHECK(result.approved[0].approvers == std::vector<std::string>{"bob"});
  CHECK(result.violations.size() == 1);  // bob's value still needs the product owner
}
