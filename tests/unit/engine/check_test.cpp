#include "core/engine/check.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/plan/ownership.hpp"
#include "support/fake_source.hpp"

using namespace tandem;
using tandem::test::Checked;
using tandem::test::formatted;
using Lines = std::vector<std::string>;
using Files = std::map<std::string, std::string>;

namespace {

/// Loads the files (with `test::k_config` unless a tandem.yaml is given), requires that loading found
/// nothing, and runs the checks as of 2027-01-04.
Checked run(Files files, Date today = *make_date(2027, 1, 4)) {
  auto c = test::check_plan(std::move(files), today);
  INFO(formatted(c.load_diags));
  REQUIRE(c.load_diags.size() == 0);
  return c;
}

/// The check findings with one code.
Lines findings(const Checked& c, std::string_view code) { return formatted(c.check_diags, code); }

/// tandem.yaml: the default team (lines 1-6) followed by `rest` from line 7.
std::string config_with(std::string_view rest) { return std::string(test::k_config) + std::string(rest); }

/// tandem.yaml: version and project (lines 1-2), then `people` from line 3.
std::string config_people(std::string_view people) {
  return "version: 1\nproject: {name: Demo}\n" + std::string(people);
}

constexpr std::string_view k_wsjf = "value: 1, time_criticality: 1, risk_reduction: 1, size: 1";

}  // namespace

// ---- a clean plan ------------------------------------------------------------------------------

TEST_CASE("a plan that follows every rule has no findings") {
  auto c = run({
      {"backlog.yaml", R"(items:
  - id: CHK-0
    title: Payment provider contract
    status: done
    done: 2026-12-20
    owner: alice
  - id: CHK-1
    title: Guest checkout
    owner: alice
    assignee: carol
    milestone: M1
    estimate: 3
    value: 8
    time_criticality: 5
    risk_reduction: 3
    size: 5
    depends_on: [CHK-0]
)"},
      {"roadmap.yaml", R"(milestones:
  - {id: M0, title: Alpha, owner: bob, target: 2027-02-01}
  - {id: M1, title: Beta, owner: alice, target: 2027-03-01, depends_on: [M0]}
)"},
      {"risks.yaml", R"(risks:
  - {id: R1, title: API change, owner: bob, review: 2027-01-04, affects: [CHK-1, M1]}
  - {id: R2, title: Old, owner: carol, status: closed, review: 2026-01-01}
)"},
  });
  CHECK(formatted(c.check_diags) == Lines{});
}

// ---- duplicate ids -----------------------------------------------------------------------------

TEST_CASE("duplicate-id: two records share an id") {
  SUBCASE("two items") {
    auto c = run({{"backlog.yaml", "items:\n  - id: A\n    title: T\n  - id: A\n    title: U\n"}});
    CHECK(findings(c, "duplicate-id") ==
          Lines{"backlog.yaml:4:9: error: duplicate id 'A' (first at backlog.yaml:2:9); items, milestones and risks "
                "share one namespace [duplicate-id]"});
  }
  SUBCASE("an item, a milestone and a risk share one namespace") {
    auto c = run({{"backlog.yaml", "items:\n  - {id: X, title: T}\n"},
                  {"roadmap.yaml", "milestones:\n  - {id: X, title: M}\n"},
                  {"risks.yaml", "risks:\n  - {id: X, title: R}\n"}});
    CHECK(findings(c, "duplicate-id") ==
          Lines{"risks.yaml:2:10: error: duplicate id 'X' (first at backlog.yaml:2:10); items, milestones and risks "
                "share one namespace [duplicate-id]",
                "roadmap.yaml:2:10: error: duplicate id 'X' (first at backlog.yaml:2:10); items, milestones and "
                "risks share one namespace [duplicate-id]"});
  }
  SUBCASE("two people") {
    auto c = run({{"tandem.yaml", config_with("  - {id: alice, name: Other, email: other@example.com, roles: [developer]}\n")}});
    CHECK(findings(c, "duplicate-id") ==
          Lines{"tandem.yaml:7:10: error: duplicate person id 'alice' (first at line 4) [duplicate-id]"});
  }
  SUBCASE("people have their own namespace") {
    auto c = run({{"backlog.yaml", "items:\n  - {id: alice, title: T}\n"}});
    CHECK(findings(c, "duplicate-id") == Lines{});
  }
  SUBCASE("distinct ids") {
    auto c = run({{"backlog.yaml", "items:\n  - {id: A, title: T}\n  - {id: a, title: T}\n"}});
    CHECK(findings(c, "duplicate-id") == Lines{});
  }
}

// ---- references --------------------------------------------------------------------------------

TEST_CASE("unknown-reference: every reference must resolve") {
  SUBCASE("resolving references") {
    auto c = run({{"backlog.yaml", R"(items:
  - {id: A, title: T, owner: alice, assignee: carol, milestone: M1}
  - {id: B, title: T, depends_on: [A]}
)"},
                  {"roadmap.yaml", "milestones:\n  - {id: M0, title: M}\n  - {id: M1, title: M, depends_on: [M0], owner: bob}\n"},
                  {"risks.yaml", "risks:\n  - {id: R1, title: R, owner: bob, affects: [A, M1]}\n"}});
    CHECK(findings(c, "unknown-reference") == Lines{});
  }
  SUBCASE("depends_on names no item, with a hint") {
    auto c = run({{"backlog.yaml", R"(items:
  - {id: signup, title: T}
  - {id: login, title: T}
  - {id: checkout, title: T, depends_on: [lgoin]}
)"}});
    CHECK(findings(c, "unknown-reference") ==
          Lines{"backlog.yaml:4:43: error: 'lgoin' in 'depends_on' names no item [unknown-reference]\n"
                "  hint: did you mean 'login'?"});
  }
  SUBCASE("depends_on names a milestone") {
    auto c = run({{"backlog.yaml", "items:\n  - {id: A, title: T, depends_on: [M1]}\n"},
                  {"roadmap.yaml", "milestones:\n  - {id: M1, title: M}\n"}});
    CHECK(findings(c, "unknown-reference") ==
          Lines{"backlog.yaml:2:36: error: 'M1' in 'depends_on' is a milestone, not an item [unknown-reference]"});
  }
  SUBCASE("milestone names no milestone, with a hint for a typo but not for another number") {
    auto c = run({{"backlog.yaml", "items:\n  - {id: A, title: T, milestone: M2}\n  - {id: B, title: T, milestone: M-1}\n"},
                  {"roadmap.yaml", "milestones:\n  - {id: M1, title: M}\n"}});
    CHECK(findings(c, "unknown-reference") ==
          Lines{"backlog.yaml:2:34: error: 'M2' in 'milestone' names no milestone [unknown-reference]",
                "backlog.yaml:3:34: error: 'M-1' in 'milestone' names no milestone [unknown-reference]\n"
                "  hint: did you mean 'M1'?"});
  }
  SUBCASE("milestone names an item") {
    auto c = run({{"backlog.yaml", "items:\n  - {id: A, title: T}\n  - {id: B, title: T, milestone: A}\n"}});
    CHECK(findings(c, "unknown-reference") ==
          Lines{"backlog.yaml:3:34: error: 'A' in 'milestone' is an item, not a milestone [unknown-reference]"});
  }
  SUBCASE("owner and assignee name no person") {
    auto c = run({{"backlog.yaml", "items:\n  - {id: A, title: T, owner: alcie, assignee: dave}\n"}});
    CHECK(findings(c, "unknown-reference") ==
          Lines{"backlog.yaml:2:30: error: 'alcie' in 'owner' names no person in people [unknown-reference]\n"
                "  hint: did you mean 'alice'?",
                "backlog.yaml:2:47: error: 'dave' in 'assignee' names no person in people [unknown-reference]"});
  }
  SUBCASE("affects names nothing") {
    auto c = run({{"backlog.yaml", "items:\n  - {id: CHK-1, title: T}\n"},
                  {"risks.yaml", "risks:\n  - {id: R1, title: R, affects: [CHK-1x]}\n"}});
    CHECK(findings(c, "unknown-reference") ==
          Lines{"risks.yaml:2:34: error: 'CHK-1x' in 'affects' names no item or milestone [unknown-reference]\n"
                "  hint: did you mean 'CHK-1'?"});
  }
  SUBCASE("milestone depends_on and milestone and risk owners") {
    auto c = run({{"roadmap.yaml", "milestones:\n  - {id: M1, title: M, depends_on: [X9], owner: bobb}\n"},
                  {"risks.yaml", "risks:\n  - {id: R1, title: R, owner: eve}\n"}});
    CHECK(findings(c, "unknown-reference") ==
          Lines{"risks.yaml:2:31: error: 'eve' in 'owner' names no person in people [unknown-reference]",
                "roadmap.yaml:2:37: error: 'X9' in 'depends_on' names no milestone [unknown-reference]",
                "roadmap.yaml:2:49: error: 'bobb' in 'owner' names no person in people [unknown-reference]\n"
                "  hint: did you mean 'bob'?"});
  }
  SUBCASE("milestone depends_on names an item") {
    auto c = run({{"backlog.yaml", "items:\n  - {id: A, title: T}\n"},
                  {"roadmap.yaml", "milestones:\n  - {id: M1, title: M, depends_on: [A]}\n"}});
    CHECK(findings(c, "unknown-reference") ==
          Lines{"roadmap.yaml:2:37: error: 'A' in 'depends_on' is an item, not a milestone [unknown-reference]"});
  }
}

TEST_CASE("unknown-reference: affects naming a risk says both kinds it could be") {
  auto c = run({{"risks.yaml", "risks:\n  - {id: R1, title: R, affects: [R2]}\n  - {id: R2, title: R}\n"}});
  CHECK(findings(c, "unknown-reference") ==
        Lines{"risks.yaml:2:34: error: 'R2' in 'affects' is a risk, not an item or milestone [unknown-reference]"});
}

// ---- cycles ------------------------------------------------------------------------------------

TEST_CASE("dependency-cycle: cycles among items are printed as their path") {
  SUBCASE("no cycle") {
    auto c = run({{"backlog.yaml", R"(items:
  - {id: A, title: T, depends_on: [B, C]}
  - {id: B, title: T, depends_on: [C]}
  - {id: C, title: T}
)"}});
    CHECK(findings(c, "dependency-cycle") == Lines{});
  }
  SUBCASE("three items") {
    auto c = run({{"backlog.yaml", R"(items:
  - {id: A, title: T, depends_on: [B]}
  - {id: B, title: T, depends_on: [C]}
  - {id: C, title: T, depends_on: [A]}
  - {id: D, title: T, depends_on: [A]}
)"}});
    CHECK(findings(c, "dependency-cycle") ==
          Lines{"backlog.yaml:2:36: error: dependency cycle: A → B → C → A [dependency-cycle]\n"
                "  hint: remove one of these dependencies; nothing in a cycle can ever start"});
  }
  SUBCASE("the shortest way round is printed, from the first item in file order") {
    auto c = run({{"backlog.yaml", R"(items:
  - {id: D, title: T}
  - {id: B, title: T, depends_on: [C, A]}
  - {id: A, title: T, depends_on: [D, B]}
  - {id: C, title: T, depends_on: [A]}
)"}});
    CHECK(findings(c, "dependency-cycle") ==
          Lines{"backlog.yaml:3:39: error: dependency cycle: B → A → B [dependency-cycle]\n"
                "  hint: remove one of these dependencies; nothing in a cycle can ever start"});
  }
  SUBCASE("a self-dependency") {
    auto c = run({{"backlog.yaml", "items:\n  - {id: A, title: T, depends_on: [A]}\n"}});
    CHECK(findings(c, "dependency-cycle") ==
          Lines{"backlog.yaml:2:36: error: dependency cycle: A → A [dependency-cycle]\n"
                "  hint: remove one of these dependencies; nothing in a cycle can ever start"});
  }
  SUBCASE("two separate cycles are two findings") {
    auto c = run({{"backlog.yaml", R"(items:
  - {id: A, title: T, depends_on: [B]}
  - {id: B, title: T, depends_on: [A]}
  - {id: C, title: T, depends_on: [D]}
  - {id: D, title: T, depends_on: [C]}
)"}});
    CHECK(findings(c, "dependency-cycle") ==
          Lines{"backlog.yaml:2:36: error: dependency cycle: A → B → A [dependency-cycle]\n"
                "  hint: remove one of these dependencies; nothing in a cycle can ever start",
                "backlog.yaml:4:36: error: dependency cycle: C → D → C [dependency-cycle]\n"
                "  hint: remove one of these dependencies; nothing in a cycle can ever start"});
  }
  SUBCASE("across split backlog files") {
    auto c = run({{"tandem.yaml", config_with("files: {backlog: 'backlog/*.yaml'}\n")},
                  {"backlog/a.yaml", "items:\n  - {id: A, title: T, depends_on: [B]}\n"},
                  {"backlog/b.yaml", "items:\n  - {id: B, title: T, depends_on: [A]}\n"}});
    CHECK(findings(c, "dependency-cycle") ==
          Lines{"backlog/a.yaml:2:36: error: dependency cycle: A → B → A [dependency-cycle]\n"
                "  hint: remove one of these dependencies; nothing in a cycle can ever start"});
  }
}

TEST_CASE("dependency-cycle: cycles among milestones are printed as their path") {
  SUBCASE("a cycle") {
    auto c = run({{"roadmap.yaml", R"(milestones:
  - {id: M1, title: M, depends_on: [M2]}
  - {id: M2, title: M, depends_on: [M3]}
  - {id: M3, title: M, depends_on: [M1]}
)"}});
    CHECK(findings(c, "dependency-cycle") ==
          Lines{"roadmap.yaml:2:37: error: milestone cycle: M1 → M2 → M3 → M1 [dependency-cycle]\n"
                "  hint: remove one of these dependencies"});
  }
  SUBCASE("a self-dependency") {
    auto c = run({{"roadmap.yaml", "milestones:\n  - {id: M1, title: M, depends_on: [M1]}\n"}});
    CHECK(findings(c, "dependency-cycle") ==
          Lines{"roadmap.yaml:2:37: error: milestone cycle: M1 → M1 [dependency-cycle]\n"
                "  hint: remove one of these dependencies"});
  }
  SUBCASE("no cycle") {
    auto c = run({{"roadmap.yaml", "milestones:\n  - {id: M1, title: M, depends_on: [M2]}\n  - {id: M2, title: M}\n"}});
    CHECK(findings(c, "dependency-cycle") == Lines{});
  }
}

namespace {

/// A plan built in memory: `n` items I0…I(n-1), each depending on the next (and the last on I0 when
/// `closed`); no people, so only the graph checks matter.
load::Loaded chain(std::size_t n, bool closed) {
  load::Loaded l;
  l.plan.files = {"tandem.yaml", "backlog.yaml"};
  l.rules.defaults = ownership::default_rules();
  l.plan.items.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& it = l.plan.items[i];
    auto line = static_cast<std::uint32_t>(i + 2);
    it.file = 1;
    it.mark = Mark{line, 5};
    it.id = {"I" + std::to_string(i), Mark{line, 10}};
    it.title = {"T", Mark{line, 20}};
    it.status = {model::Status::done, Mark{line, 30}};
    it.done = {*make_date(2027, 1, 1), Mark{line, 40}};
    if (i + 1 < n || closed) {
      it.depends_on.present = true;
      it.depends_on.mark = Mark{line, 50};
      it.depends_on.values.push_back({"I" + std::to_string((i + 1) % n), Mark{line, 51}});
    }
  }
  return l;
}

}  // namespace

TEST_CASE("dependency-cycle: a chain of 100000 items does not overflow the stack") {
  SUBCASE("without a cycle") {
    auto plan = chain(100000, false);
    Diagnostics diags;
    check::run(plan, *make_date(2027, 1, 4), diags);
    CHECK(formatted(diags, "dependency-cycle") == Lines{});
    CHECK(formatted(diags, "unknown-reference") == Lines{});
  }
  SUBCASE("closed into one long cycle") {
    auto plan = chain(100000, true);
    Diagnostics diags;
    check::run(plan, *make_date(2027, 1, 4), diags);
    auto cycles = formatted(diags, "dependency-cycle");
    REQUIRE(cycles.size() == 1);
    CHECK(cycles[0].starts_with("backlog.yaml:2:51: error: dependency cycle: I0 → I1 → I2 → "));
    CHECK(cycles[0].find("I99999 → I0 [dependency-cycle]") != std::string::npos);
  }
}

// ---- roles -------------------------------------------------------------------------------------

TEST_CASE("unknown-role: every role named must be declared") {
  SUBCASE("default roles") {
    auto c = run({{"tandem.yaml", config_people(R"(people:
  - {id: alice, name: A, roles: [product_owner]}
  - {id: bob, name: B, roles: [project_manager]}
  - {id: carol, name: C, roles: [developr]}
)")}});
    CHECK(findings(c, "unknown-role") ==
          Lines{"tandem.yaml:6:34: error: role 'developr' in the roles of 'carol' is not declared under 'roles' "
                "[unknown-role]\n  hint: did you mean 'developer'?"});
  }
  SUBCASE("declared roles replace the defaults") {
    auto c = run({{"tandem.yaml", config_people(R"(people:
  - {id: alice, name: A, roles: [product_owner]}
  - {id: bob, name: B, roles: [project_manager]}
  - {id: carol, name: C, roles: [developer, tester]}
roles:
  product_owner: {min: 1, max: 1}
  project_manager: {}
  tester: {}
)")}});
    CHECK(findings(c, "unknown-role") ==
          Lines{"tandem.yaml:6:34: error: role 'developer' in the roles of 'carol' is not declared under 'roles' "
                "[unknown-role]"});
  }
  SUBCASE("separate, accountable, pool and ownership") {
    auto c = run({{"tandem.yaml", config_with(R"(separate: [[product_owner, qa]]
accountable: {risks: [devops]}
pool: [developers]
ownership:
  backlog: {create: tester, fields: {title: [product_owner, designer]}}
)")}});
    CHECK(findings(c, "unknown-role") ==
          Lines{"tandem.yaml:7:28: error: role 'qa' in 'separate' is not declared under 'roles' [unknown-role]",
                "tandem.yaml:8:23: error: role 'devops' in 'accountable.risks' is not declared under 'roles' "
                "[unknown-role]",
                "tandem.yaml:9:8: error: role 'developers' in 'pool' is not declared under 'roles' [unknown-role]\n"
                "  hint: did you mean 'developer'?",
                "tandem.yaml:11:21: error: role 'tester' in 'ownership.backlog' is not declared under 'roles' "
                "[unknown-role]",
                "tandem.yaml:11:61: error: role 'designer' in 'ownership.backlog' is not declared under 'roles' "
                "[unknown-role]"});
  }
  SUBCASE("the default plan names only known roles") {
    auto c = run({});
    CHECK(findings(c, "unknown-role") == Lines{});
  }
}

TEST_CASE("role-count: roles' min and max") {
  SUBCASE("default roles are each held once, developers at least once") {
    auto c = run({});
    CHECK(findings(c, "role-count") == Lines{});
  }
  SUBCASE("default roles: a missing role is reported at people") {
    auto c = run({{"tandem.yaml", config_people(R"(people:
  - {id: alice, name: A, roles: [product_owner]}
  - {id: bob, name: B, roles: [project_manager]}
)")}});
    CHECK(findings(c, "role-count") ==
          Lines{"tandem.yaml:4:3: error: role 'developer' needs at least 1 person; 0 hold it [role-count]"});
  }
  SUBCASE("default roles: too many product owners") {
    auto c = run({{"tandem.yaml", config_with("  - {id: dave, name: D, roles: [product_owner]}\n")}});
    CHECK(findings(c, "role-count") ==
          Lines{"tandem.yaml:4:3: error: role 'product_owner' allows at most 1 person; 2 hold it (alice, dave) "
                "[role-count]"});
  }
  SUBCASE("declared roles are reported at their declaration") {
    auto c = run({{"tandem.yaml", config_with(R"(roles:
  product_owner: {max: 2}
  project_manager: {min: 0, max: 0}
  developer: {min: 2}
)")}});
    CHECK(findings(c, "role-count") ==
          Lines{"tandem.yaml:9:3: error: role 'project_manager' allows at most 0 people; 1 hold it (bob) [role-count]",
                "tandem.yaml:10:3: error: role 'developer' needs at least 2 people; 1 holds it (carol) "
                "[role-count]"});
  }
  SUBCASE("declared roles without limits") {
    auto c = run({{"tandem.yaml", config_with("roles: {product_owner: {}, project_manager: {}, developer: {}, qa: {}}\n")}});
    CHECK(findings(c, "role-count") == Lines{});
  }
}

TEST_CASE("role-separation: no one person holds roles kept apart") {
  SUBCASE("the default keeps product owner and project manager apart") {
    auto c = run({{"tandem.yaml", config_people(R"(people:
  - {id: alice, name: A, roles: [product_owner, project_manager]}
  - {id: carol, name: C, roles: [developer, project_manager]}
)")}});
    CHECK(findings(c, "role-separation") ==
          Lines{"tandem.yaml:4:33: error: 'alice' holds product_owner and project_manager, which 'separate' says no "
                "one person may hold together [role-separation]"});
  }
  SUBCASE("a custom separate replaces the default") {
    auto c = run({{"tandem.yaml", config_people(R"(people:
  - {id: alice, name: A, roles: [product_owner, project_manager]}
  - {id: carol, name: C, roles: [developer, project_manager]}
separate: [[developer, project_manager]]
)")}});
    CHECK(findings(c, "role-separation") ==
          Lines{"tandem.yaml:5:33: error: 'carol' holds developer and project_manager, which 'separate' says no one "
                "person may hold together [role-separation]"});
  }
  SUBCASE("an empty separate allows any combination") {
    auto c = run({{"tandem.yaml", config_people(R"(people:
  - {id: alice, name: A, roles: [product_owner, project_manager]}
separate: []
)")}});
    CHECK(findings(c, "role-separation") == Lines{});
  }
  SUBCASE("people in the default team") {
    CHECK(findings(run({}), "role-separation") == Lines{});
  }
}

TEST_CASE("not-accountable: owners must hold an accountable role") {
  const std::string hint = "\n  hint: name an accountable person, or change 'accountable' in tandem.yaml";
  SUBCASE("defaults") {
    auto c = run({{"backlog.yaml", "items:\n  - {id: A, title: T, owner: carol}\n  - {id: B, title: T, owner: alice}\n"},
                  {"roadmap.yaml", "milestones:\n  - {id: M1, title: M, owner: carol}\n  - {id: M2, title: M, owner: bob}\n"},
                  {"risks.yaml", "risks:\n  - {id: R1, title: R, owner: alice}\n  - {id: R2, title: R, owner: carol}\n"}});
    CHECK(findings(c, "not-accountable") ==
          Lines{"backlog.yaml:2:30: error: owner 'carol' of 'A' holds [developer]; the owner of a backlog record must "
                "be product_owner [not-accountable]" + hint,
                "risks.yaml:2:31: error: owner 'alice' of 'R1' holds [product_owner]; the owner of a risks record "
                "must be project_manager or developer [not-accountable]" + hint,
                "roadmap.yaml:2:31: error: owner 'carol' of 'M1' holds [developer]; the owner of a roadmap record "
                "must be product_owner or project_manager [not-accountable]" + hint});
  }
  SUBCASE("a custom accountable") {
    auto c = run({{"tandem.yaml", config_with("accountable: {backlog: [developer]}\n")},
                  {"backlog.yaml", "items:\n  - {id: A, title: T, owner: carol}\n  - {id: B, title: T, owner: alice}\n"},
                  {"roadmap.yaml", "milestones:\n  - {id: M1, title: M, owner: carol}\n"}});
    CHECK(findings(c, "not-accountable") ==
          Lines{"backlog.yaml:3:30: error: owner 'alice' of 'B' holds [product_owner]; the owner of a backlog record "
                "must be developer [not-accountable]" + hint,
                "roadmap.yaml:2:31: error: owner 'carol' of 'M1' holds [developer]; the owner of a roadmap record "
                "must be product_owner or project_manager [not-accountable]" + hint});
  }
  SUBCASE("an owner with no roles") {
    auto c = run({{"tandem.yaml", config_with("  - {id: dave, name: D}\n")},
                  {"backlog.yaml", "items:\n  - {id: A, title: T, owner: dave}\n"}});
    CHECK(findings(c, "not-accountable") ==
          Lines{"backlog.yaml:2:30: error: owner 'dave' of 'A' holds []; the owner of a backlog record must be "
                "product_owner [not-accountable]" + hint});
  }
}

TEST_CASE("duplicate-email: two people share an address, whatever its case") {
  SUBCASE("same address in another case") {
    auto c = run({{"tandem.yaml", config_people(R"(people:
  - {id: alice, name: A, email: alice@example.com, roles: [product_owner]}
  - {id: bob, name: B, email: [bob@example.com, Alice@Example.COM], roles: [project_manager]}
  - {id: carol, name: C, roles: [developer]}
)")}});
    CHECK(findings(c, "duplicate-email") ==
          Lines{"tandem.yaml:5:49: error: email 'Alice@Example.COM' of 'bob' is also the email of 'alice'; each "
                "commit author must map to one person [duplicate-email]"});
  }
  SUBCASE("one person may list the same address in two cases") {
    auto c = run({{"tandem.yaml", config_with("  - {id: dave, name: D, email: [d@x.io, D@X.io], roles: [developer]}\n")}});
    CHECK(findings(c, "duplicate-email") == Lines{});
  }
  SUBCASE("distinct addresses") {
    CHECK(findings(run({}), "duplicate-email") == Lines{});
  }
}

TEST_CASE("estimates in points need a velocity and a sprint") {
  SUBCASE("both missing") {
    auto c = test::check_plan({{"tandem.yaml", config_with("estimates: points\n")}});
    CHECK(formatted(c.load_diags, "missing-key") ==
          Lines{"tandem.yaml:7:12: error: 'estimates: points' needs 'velocity' (points per sprint for the whole team) "
                "[missing-key]",
                "tandem.yaml:7:12: error: 'estimates: points' needs 'calendar.sprint' to convert points into workdays "
                "[missing-key]"});
  }
  SUBCASE("both given") {
    auto c = run({{"tandem.yaml",
                   config_with("estimates: points\nvelocity: 20\ncalendar: {sprint: {start: 2027-01-04, length: 10}}\n")}});
    CHECK(formatted(c.load_diags, "missing-key") == Lines{});
  }
  SUBCASE("days need neither") {
    CHECK(formatted(run({{"tandem.yaml", config_with("estimates: days\n")}}).load_diags, "missing-key") == Lines{});
  }
}

// ---- warnings ----------------------------------------------------------------------------------

TEST_CASE("missing-done-date: a done item without a done date") {
  auto c = run({{"backlog.yaml", R"(items:
  - {id: A, title: T, status: done}
  - {id: B, title: T, status: done, done: 2027-01-02}
  - {id: C, title: T, status: dropped}
)"}});
  CHECK(findings(c, "missing-done-date") ==
        Lines{"backlog.yaml:2:31: warning: 'A' is done but has no 'done:' date [missing-done-date]\n"
              "  hint: add 'done: YYYY-MM-DD' so the forecast can use it"});
  CHECK(c.check_diags.error_count() == 0);
}

TEST_CASE("depends-on-dropped: an undone item depends on a dropped one") {
  auto c = run({{"backlog.yaml", R"(items:
  - {id: A, title: T, status: dropped}
  - {id: B, title: T, depends_on: [A]}
  - {id: C, title: T, status: done, done: 2027-01-02, depends_on: [A]}
  - {id: D, title: T, status: dropped, depends_on: [A]}
  - {id: E, title: T, status: doing, depends_on: [B, A]}
)"}});
  CHECK(findings(c, "depends-on-dropped") ==
        Lines{"backlog.yaml:3:36: warning: 'B' depends on 'A', which is dropped [depends-on-dropped]\n"
              "  hint: remove the dependency, or revive the item it depends on",
              "backlog.yaml:6:54: warning: 'E' depends on 'A', which is dropped [depends-on-dropped]\n"
              "  hint: remove the dependency, or revive the item it depends on"});
}

TEST_CASE("future-date: a done or started date after today") {
  auto c = run({{"backlog.yaml", R"(items:
  - {id: A, title: T, status: done, started: 2027-01-04, done: 2027-07-01}
  - {id: B, title: T, status: doing, started: 2027-01-05}
  - {id: C, title: T, status: done, started: 2027-01-01, done: 2027-01-04}
)"}});
  CHECK(findings(c, "future-date") ==
        Lines{"backlog.yaml:2:64: warning: 'A' has done: 2027-07-01, after today (2027-01-04) [future-date]\n"
              "  hint: a done date records what happened: use the day it happened",
              "backlog.yaml:3:47: warning: 'B' has started: 2027-01-05, after today (2027-01-04) [future-date]\n"
              "  hint: a started date records what happened: use the day it happened"});
  CHECK(c.check_diags.error_count() == 0);
}

TEST_CASE("started-after-done: an item cannot be started after it is done") {
  auto c = run({{"backlog.yaml", R"(items:
  - {id: A, title: T, status: done, started: 2026-12-20, done: 2026-12-10}
  - {id: B, title: T, status: done, started: 2026-12-10, done: 2026-12-10}
)"}});
  CHECK(findings(c, "started-after-done") ==
        Lines{"backlog.yaml:2:46: warning: 'A' is started on 2026-12-20, after it is done (2026-12-10) "
              "[started-after-done]\n  hint: correct 'started:' or 'done:'"});
}

TEST_CASE("done-before-dependency: a done item whose dependency is not done") {
  auto c = run({{"backlog.yaml", R"(items:
  - {id: A, title: T, status: doing}
  - {id: B, title: T, status: done, done: 2027-01-02}
  - {id: C, title: T, status: done, done: 2027-01-02, depends_on: [B, A]}
  - {id: D, title: T, status: dropped}
  - {id: E, title: T, status: done, done: 2027-01-02, depends_on: [D]}
  - {id: F, title: T, depends_on: [A]}
)"}});
  CHECK(findings(c, "done-before-dependency") ==
        Lines{"backlog.yaml:4:71: warning: 'C' is done but depends on 'A', which is doing [done-before-dependency]\n"
              "  hint: finish 'A' first, or remove the dependency",
              "backlog.yaml:6:68: warning: 'E' is done but depends on 'D', which is dropped "
              "[done-before-dependency]\n  hint: remove the dependency, or reopen the item"});
}

TEST_CASE("missing-estimate: an undone item in a milestone without an estimate") {
  auto c = run({{"backlog.yaml", R"(items:
  - {id: A, title: T, milestone: M1}
  - {id: B, title: T, milestone: M1, estimate: 2}
  - {id: C, title: T, milestone: M1, status: doing, remaining: 1}
  - {id: D, title: T, milestone: M1, status: done, done: 2027-01-02}
  - {id: E, title: T}
  - {id: F, title: T, milestone: M1, status: doing}
)"},
                {"roadmap.yaml", "milestones:\n  - {id: M1, title: M}\n"}});
  CHECK(findings(c, "missing-estimate") ==
        Lines{"backlog.yaml:2:5: warning: 'A' is in milestone 'M1' but has no 'estimate'; it cannot be scheduled "
              "[missing-estimate]",
              "backlog.yaml:7:5: warning: 'F' is in milestone 'M1' but has no 'estimate'; it cannot be scheduled "
              "[missing-estimate]"});
}

TEST_CASE("review-overdue: an open risk past its review date, as of today") {
  Files files = {{"risks.yaml", R"(risks:
  - {id: R1, title: R, review: 2027-01-01}
  - {id: R2, title: R, review: 2027-01-04}
  - {id: R3, title: R, review: 2026-12-01, status: closed}
  - {id: R4, title: R, review: 2026-12-01, status: occurred}
  - {id: R5, title: R}
)"}};
  SUBCASE("on 2027-01-04") {
    CHECK(findings(run(files, *make_date(2027, 1, 4)), "review-overdue") ==
          Lines{"risks.yaml:2:32: warning: review of 'R1' was due 2027-01-01 (3 days ago) [review-overdue]"});
  }
  SUBCASE("a month later") {
    CHECK(findings(run(files, *make_date(2027, 2, 4)), "review-overdue") ==
          Lines{"risks.yaml:2:32: warning: review of 'R1' was due 2027-01-01 (34 days ago) [review-overdue]",
                "risks.yaml:3:32: warning: review of 'R2' was due 2027-01-04 (31 days ago) [review-overdue]"});
  }
  SUBCASE("before any review is due") {
    CHECK(findings(run(files, *make_date(2026, 12, 31)), "review-overdue") == Lines{});
  }
}

TEST_CASE("review-overdue: one day late is written in the singular") {
  auto c = run({{"risks.yaml", "risks:\n  - {id: R1, title: R, review: 2027-01-03}\n"}});
  CHECK(findings(c, "review-overdue") ==
        Lines{"risks.yaml:2:32: warning: review of 'R1' was due 2027-01-03 (1 day ago) [review-overdue]"});
}

TEST_CASE("missing-wsjf: undone items need the WSJF fields under the wsjf model") {
  const std::string backlog = "items:\n  - {id: A, title: T}\n  - {id: B, title: T, value: 1, time_criticality: 1, "
                              "risk_reduction: 1}\n  - {id: C, title: T, " + std::string(k_wsjf) +
                              "}\n  - {id: D, title: T, status: done, done: 2027-01-01}\n  - {id: E, title: T, status: "
                              "dropped}\n";
  const Lines expected = {
      "backlog.yaml:2:5: warning: 'A' has no value, time_criticality, risk_reduction, size; WSJF cannot rank it "
      "[missing-wsjf]",
      "backlog.yaml:3:5: warning: 'B' has no size; WSJF cannot rank it [missing-wsjf]"};
  SUBCASE("wsjf by default") {
    CHECK(findings(run({{"backlog.yaml", backlog}}), "missing-wsjf") == expected);
  }
  SUBCASE("wsjf named") {
    CHECK(findings(run({{"tandem.yaml", config_with("priority: {model: wsjf}\n")}, {"backlog.yaml", backlog}}),
                   "missing-wsjf") == expected);
  }
  SUBCASE("other models do not need them") {
    for (const char* model : {"rice", "value", "moscow", "manual"}) {
      CAPTURE(model);
      auto c = run({{"tandem.yaml", config_with("priority: {model: " + std::string(model) + "}\n")},
                    {"backlog.yaml", backlog}});
      CHECK(findings(c, "missing-wsjf") == Lines{});
    }
  }
}

TEST_CASE("milestone-order: nothing is due before what it depends on") {
  SUBCASE("a milestone depends on a later one") {
    auto c = run({{"roadmap.yaml", R"(milestones:
  - {id: M1, title: M, target: 2027-04-01}
  - {id: M2, title: M, target: 2027-03-01, depends_on: [M1]}
  - {id: M3, title: M, target: 2027-05-01, depends_on: [M1]}
  - {id: M4, title: M, depends_on: [M1]}
)"}});
    CHECK(findings(c, "milestone-order") ==
          Lines{"roadmap.yaml:3:57: warning: milestone 'M2' is due 2027-03-01 but depends on 'M1', due later "
                "(2027-04-01) [milestone-order]"});
  }
  SUBCASE("an item depends, through another item, on an item of a later milestone") {
    auto c = run({{"backlog.yaml", R"(items:
  - {id: A, title: T, milestone: M1, estimate: 1, depends_on: [C]}
  - {id: B, title: T, milestone: M2, estimate: 1}
  - {id: C, title: T, depends_on: [B]}
  - {id: D, title: T, milestone: M2, estimate: 1, depends_on: [C]}
  - {id: E, title: T, milestone: M1, status: done, done: 2027-01-02, depends_on: [B]}
)"},
                  {"roadmap.yaml", "milestones:\n  - {id: M1, title: M, target: 2027-03-01}\n"
                                   "  - {id: M2, title: M, target: 2027-04-01}\n"}});
    CHECK(findings(c, "milestone-order") ==
          Lines{"backlog.yaml:2:34: warning: 'A' is planned for 'M1' (due 2027-03-01) but depends on 'B' of 'M2', "
                "due later (2027-04-01) [milestone-order]"});
  }
  SUBCASE("dependencies on earlier milestones are fine") {
    auto c = run({{"backlog.yaml", R"(items:
  - {id: A, title: T, milestone: M2, estimate: 1, depends_on: [B]}
  - {id: B, title: T, milestone: M1, estimate: 1}
)"},
                  {"roadmap.yaml", "milestones:\n  - {id: M1, title: M, target: 2027-03-01}\n"
                                   "  - {id: M2, title: M, target: 2027-04-01, depends_on: [M1]}\n"}});
    CHECK(findings(c, "milestone-order") == Lines{});
  }
  SUBCASE("a dependency cycle does not stop the check") {
    auto c = run({{"backlog.yaml", R"(items:
  - {id: A, title: T, milestone: M1, estimate: 1, depends_on: [B]}
  - {id: B, title: T, milestone: M2, estimate: 1, depends_on: [A]}
)"},
                  {"roadmap.yaml", "milestones:\n  - {id: M1, title: M, target: 2027-03-01}\n"
                                   "  - {id: M2, title: M, target: 2027-04-01}\n"}});
    CHECK(findings(c, "dependency-cycle").size() == 1);
  }
}

TEST_CASE("milestone-order: an item without an id is skipped, not dereferenced") {
  // The missing id is already a missing-key error; formatting the empty id was an abort in fmt.
  auto c = test::check_plan({{"backlog.yaml", R"(items:
  - {title: T, milestone: M1, estimate: 1, depends_on: [B]}
  - {id: B, title: T, milestone: M2, estimate: 1}
)"},
                             {"roadmap.yaml", R"(milestones:
  - {id: M1, title: M, target: 2027-03-01}
  - {id: M2, title: M, target: 2027-04-01}
)"}});
  CHECK(formatted(c.load_diags, "missing-key").size() == 1);
  CHECK(formatted(c.check_diags, "milestone-order") == Lines{});
}

TEST_CASE("milestone-order: a milestone without an id is skipped, not dereferenced") {
  auto c = test::check_plan({{"roadmap.yaml", R"(milestones:
  - {id: M2, title: M, target: 2027-04-01}
  - {title: M, target: 2027-03-01, depends_on: [M2]}
)"}});
  CHECK(formatted(c.load_diags, "missing-key").size() == 1);
  CHECK(formatted(c.check_diags, "milestone-order") == Lines{});
}

TEST_CASE("checks report nothing for records that failed to decode") {
  // An item without an id, and references that did not decode, must not crash or be reported twice.
  auto c = test::check_plan({{"backlog.yaml", "items:\n  - {title: T, depends_on: [1x], owner: 42}\n  - 7\n"},
                             {"risks.yaml", "risks:\n  - {title: R, affects: 3}\n"}});
  CHECK(c.load_diags.has_errors());
  CHECK(formatted(c.check_diags, "unknown-reference") == Lines{});
  CHECK(formatted(c.check_diags, "duplicate-id") == Lines{});
}

TEST_CASE("role-count: no counts of a tandem.yaml whose people were not read") {
  for (const char* config : {"", "version: [\n", "version: 1\nproject: {name: X}\n", "version: 1\nproject: {name: X}\npeople: 3\n"}) {
    CAPTURE(config);
    auto c = test::check_plan({{"tandem.yaml", config}});
    CHECK(c.load_diags.has_errors());
    CHECK(formatted(c.check_diags, "role-count") == Lines{});
  }
}

// ---- the first cause first (SPEC 2) ------------------------------------------------------------

TEST_CASE("references into a file that did not parse are not findings, nor guessed at") {
  // M1 is read before the syntax error; M2 is in the unread part: no "names no milestone", no "did you mean 'M1'?".
  auto c = test::check_plan({{"backlog.yaml", "items:\n  - {id: A, title: T, milestone: M2}\n  - {id: B, title: T, milestone: M1}\n"},
                             {"roadmap.yaml", "milestones:\n  - id: M1\n    title: One\n  - id: M2\n    title: Two: three\n"},
                             {"risks.yaml", "risks:\n  - {id: R1, title: R, affects: [M9, A]}\n"}});
  CHECK(c.loaded.unparsed == std::set<std::string>{"roadmap"});
  CHECK(formatted(c.check_diags, "unknown-reference") == Lines{});
}

TEST_CASE("references into files that parsed are still checked when another file did not parse") {
  auto c = test::check_plan({{"backlog.yaml", "items:\n  - {id: A, title: T, depends_on: [Z]}\n"},
                             {"risks.yaml", "risks:\n  - {id: R1, title: [unclosed\n"}});
  CHECK(c.loaded.unparsed == std::set<std::string>{"risks"});
  CHECK(formatted(c.check_diags, "unknown-reference") ==
        Lines{"backlog.yaml:2:36: error: 'Z' in 'depends_on' names no item [unknown-reference]\n"
              "  hint: did you mean 'A'?"});
}

TEST_CASE("a tandem.yaml that does not parse is the one finding: the other files are not read") {
  auto c = test::check_plan({{"tandem.yaml", "version: 1\nproject: {name: X\n"},
                             {"backlog.yaml", "items:\n  - {id: A, title: T, owner: nobody}\n"}});
  CHECK(c.loaded.unparsed == std::set<std::string>{"config"});
  CHECK(c.loaded.plan.files.size() == 1);
  CHECK(c.load_diags.size() == 1);
  CHECK(c.check_diags.size() == 0);
}

TEST_CASE("a misspelt role is one unknown-role, without role-count or not-accountable") {
  auto c = run({{"tandem.yaml", config_people(R"(people:
  - {id: alice, name: A, roles: [product_ownr]}
  - {id: bob, name: B, roles: [project_manager]}
  - {id: carol, name: C, roles: [developer]}
)")},
                {"backlog.yaml", "items:\n  - {id: A, title: T, owner: alice}\n  - {id: B, title: T, owner: alice}\n"}});
  CHECK(c.check_diags.error_count() == 1);
  CHECK(findings(c, "unknown-role") ==
        Lines{"tandem.yaml:4:34: error: role 'product_ownr' in the roles of 'alice' is not declared under 'roles' "
              "[unknown-role]\n  hint: did you mean 'product_owner'?"});
  CHECK(findings(c, "role-count") == Lines{});
  CHECK(findings(c, "not-accountable") == Lines{});
}

TEST_CASE("a misspelt role in accountable is one unknown-role, without not-accountable") {
  auto c = run({{"tandem.yaml", config_with("accountable: {backlog: [product_ownr]}\n")},
                {"backlog.yaml", "items:\n  - {id: A, title: T, owner: alice}\n"}});
  CHECK(findings(c, "not-accountable") == Lines{});
  CHECK(findings(c, "unknown-role").size() == 1);
}

TEST_CASE("an invalid done date is not also a missing one") {
  auto c = test::check_plan({{"backlog.yaml", "items:\n  - {id: A, title: T, status: done, done: 2027-02-30}\n"}});
  CHECK(formatted(c.load_diags, "invalid-date").size() == 1);
  CHECK(findings(c, "missing-done-date") == Lines{});
}

TEST_CASE("unsafe-attributes: a .gitattributes that changes what a checkout writes for a plan file") {
  Files files{{"tandem.yaml", std::string(test::k_config)},
              {"backlog.yaml", "items: []\n"},
              {"roadmap.yaml", "milestones: []\n"},
              {"risks.yaml", "risks: []\n"},
              {".gitattributes", "*.yaml merge=tandem text eol=lf diff\n"}};
  auto clean = [&](const Files& f) {
    test::FakeSource source(f);
    Diagnostics diags;
    auto loaded = load::load(test::fake_location(), source, load::Options{}, diags);
    check::attributes(loaded, source, diags);
    return formatted(diags, "unsafe-attributes");
  };
  CHECK(clean(files).empty());  // merge, text, eol and diff are fine
  files[".gitattributes"] += "backlog.yaml working-tree-encoding=SHIFT-JIS\n[attr]x filter=y\nrisks.yaml x\n";
  CHECK(clean(files) ==
        Lines{".gitattributes:2:1: error: '.gitattributes' gives the plan file backlog.yaml "
              "'working-tree-encoding=SHIFT-JIS', so a checkout writes other bytes than the ones git holds (and the "
              "audit reads) [unsafe-attributes]\n  hint: only merge, text, eol and diff attributes may apply to plan files",
              ".gitattributes:4:1: error: '.gitattributes' gives the plan file risks.yaml 'filter=y', so a checkout "
              "writes other bytes than the ones git holds (and the audit reads) [unsafe-attributes]\n  hint: only merge, "
              "text, eol and diff attributes may apply to plan files"});
}
