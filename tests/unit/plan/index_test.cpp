#include "core/plan/index.hpp"

#include <doctest/doctest.h>

#include "core/plan/load.hpp"
#include "support/engine_fixture.hpp"

using namespace tandem;

namespace {

constexpr std::string_view k_people =
    "version: 1\nproject: {name: Test}\npeople:\n"
    "  - {id: po, name: PO, email: Po@Example.COM, roles: [product_owner]}\n"
    "  - {id: pm, name: PM, email: [pm@example.com, PM@work.example], roles: [project_manager]}\n"
    "  - {id: d1, name: Dev, email: d1@example.com, roles: [developer]}\n"
    "  - {id: d2, name: Dev 2, email: PO@example.com, roles: [developer, tester]}\n";

/// Loads the files without checks (duplicates are findings of check, not of load).
load::Loaded load_files(std::string config, std::string backlog, std::string roadmap = "milestones: []\n",
                        std::string risks = "risks: []\n") {
  test::MemorySource source({{"tandem.yaml", std::move(config)},
                             {"backlog.yaml", std::move(backlog)},
                             {"roadmap.yaml", std::move(roadmap)},
                             {"risks.yaml", std::move(risks)}});
  Diagnostics diags;
  auto loaded = load::load(load::Location{"/nonexistent", "tandem.yaml", false}, source, {}, diags);
  REQUIRE(diags.size() == 0);
  return loaded;
}

}  // namespace

TEST_CASE("load builds an index of records by id in one namespace") {
  auto l = load_files(std::string(k_people),
                      "items:\n  - {id: A, title: a, milestone: M1}\n  - {id: B, title: b, milestone: R1}\n"
                      "  - {id: C, title: c}\n",
                      "milestones:\n  - {id: M1, title: m}\n",
                      "risks:\n  - {id: R1, title: r, probability: 1, impact: 1}\n");
  const auto& ix = l.index;
  REQUIRE(ix.built());
  CHECK(*ix.find("A") == index::Record{index::Kind::item, 0});
  CHECK(*ix.find("M1") == index::Record{index::Kind::milestone, 0});
  CHECK(*ix.find("R1") == index::Record{index::Kind::risk, 0});
  CHECK(ix.find("nope") == nullptr);
  CHECK(ix.item("C") == 2u);
  CHECK_FALSE(ix.item("M1"));
  CHECK(ix.milestone("M1") == 0u);
  CHECK_FALSE(ix.milestone("A"));

  SUBCASE("the milestone of an item, only when it names a milestone") {
    CHECK(ix.milestone_of(0) == 0u);
    CHECK_FALSE(ix.milestone_of(1));  // R1 is a risk
    CHECK_FALSE(ix.milestone_of(2));  // none
    CHECK_FALSE(ix.milestone_of(99));
  }
  SUBCASE("a default-constructed index is not built") {
    index::PlanIndex empty;
    CHECK_FALSE(empty.built());
    CHECK(empty.find("A") == nullptr);
  }
}

TEST_CASE("replaced: a record replaced by one with the same id is indexed as a new index would") {
  auto l = load_files(std::string(k_people),
                      "items:\n  - {id: A, title: a, milestone: M1}\n  - {id: A-long-identifier-here, title: c}\n",
                      "milestones:\n  - {id: M1, title: m}\n  - {id: M2, title: n}\n");
  model::Item edited = l.plan.items[1];
  edited.milestone = model::Field<std::string>{"M2", Mark{}};
  std::swap(l.plan.items[1], edited);
  l.index.replaced(l.plan, index::Kind::item, 1);
  CHECK(l.index.milestone_of(1) == 1u);
  CHECK(l.index.item("A-long-identifier-here") == 1u);
  CHECK(l.index.find("A-long-identifier-here")->index == 1u);
  l.plan.items[0].milestone = model::Field<std::string>{"R9", Mark{}};
  l.index.replaced(l.plan, index::Kind::item, 0);
  CHECK_FALSE(l.index.milestone_of(0));
  std::swap(l.plan.items[1], edited);
  l.index.replaced(l.plan, index::Kind::item, 1);
  CHECK_FALSE(l.index.milestone_of(1));
  edited = model::Item{};  // the replaced record's strings are gone: the index reads the plan's
  CHECK(l.index.item("A-long-identifier-here") == 1u);
}

TEST_CASE("a duplicate id keeps the first record and is listed") {
  auto l = load_files(std::string(k_people),
                      "items:\n  - {id: A, title: first}\n  - {id: A, title: again}\n  - {id: M1, title: item}\n",
                      "milestones:\n  - {id: M1, title: m}\n  - {id: A, title: m}\n");
  const auto& ix = l.index;
  CHECK(*ix.find("A") == index::Record{index::Kind::item, 0});
  CHECK(*ix.find("M1") == index::Record{index::Kind::item, 2});
  REQUIRE(ix.duplicates().size() == 3);
  CHECK(ix.duplicates()[0].record == index::Record{index::Kind::item, 1});
  CHECK(ix.duplicates()[0].first == index::Record{index::Kind::item, 0});
  CHECK(ix.duplicates()[1].record == index::Record{index::Kind::milestone, 0});
  CHECK(ix.duplicates()[1].first == index::Record{index::Kind::item, 2});
  CHECK(ix.duplicates()[2].record == index::Record{index::Kind::milestone, 1});
}

TEST_CASE("people are found by id and by email, case-insensitively") {
  auto l = load_files(std::string(k_people), "items: []\n");
  const auto& people = l.index.people();
  CHECK(people.person("pm") == 1u);
  CHECK_FALSE(people.person("PM"));
  CHECK(people.by_email("po@example.com") == 0u);
  CHECK(people.by_email("PO@EXAMPLE.COM") == 0u);  // the first person keeps a shared email
  CHECK(people.by_email("pm@WORK.example") == 1u);
  CHECK_FALSE(people.by_email("nobody@example.com"));
  REQUIRE(people.duplicate_emails().size() == 1);
  CHECK(people.duplicate_emails()[0].person == 3);
  CHECK(people.duplicate_emails()[0].first == 0);
  CHECK(people.roles(3) == std::vector<std::string_view>{"developer", "tester"});
}

TEST_CASE("the pool and role settings default as SPEC 1.1 says") {
  SUBCASE("defaults") {
    auto l = load_files(std::string(k_people), "items: []\n");
    const auto& people = l.index.people();
    CHECK(people.pool() == std::vector<std::size_t>{2, 3});
    CHECK(people.settings().pool == std::vector<std::string>{"developer"});
    CHECK(people.settings().accountable.at("roadmap") == std::vector<std::string>{"product_owner", "project_manager"});
    CHECK(people.settings().separate == std::vector<std::vector<std::string>>{{"product_owner", "project_manager"}});
  }
  SUBCASE("as written") {
    auto l = load_files(std::string(k_people) + "pool: [tester, project_manager]\nseparate: []\n"
                                                "accountable: {backlog: [developer]}\n",
                        "items: []\n");
    const auto& people = l.index.people();
    CHECK(people.pool() == std::vector<std::size_t>{1, 3});
    CHECK(people.settings().accountable.at("backlog") == std::vector<std::string>{"developer"});
    CHECK(people.settings().accountable.at("risks") == std::vector<std::string>{"project_manager", "developer"});
    CHECK(people.settings().separate.empty());
  }
}

TEST_CASE("duplicate person ids keep the first person") {
  auto l = load_files("version: 1\nproject: {name: Test}\npeople:\n"
                      "  - {id: a, name: A, roles: [developer]}\n  - {id: a, name: B, roles: [developer]}\n",
                      "items: []\n");
  CHECK(l.index.people().person("a") == 0u);
  CHECK(l.index.people().duplicate_ids() == std::vector<std::pair<std::size_t, std::size_t>>{{1, 0}});
}

TEST_CASE("the id table finds every record of a large plan, and no other id") {
  // Built in memory: 3,000 items, every 500th an id written again, plus an empty id; then milestones.
  model::Plan plan;
  for (int i = 0; i < 3000; ++i) plan.items.emplace_back().id.value = "I" + std::to_string(i % 500 == 499 ? i - 1 : i);
  plan.items.emplace_back().id.value = "";
  plan.items.emplace_back();  // no id
  for (int i = 0; i < 40; ++i) plan.milestones.emplace_back().id.value = "M" + std::to_string(i);
  plan.milestones.emplace_back().id.value = "I7";  // an item's id
  index::PlanIndex built(plan);
  index::PlanIndex ix = std::move(built);  // moving keeps what find returns valid
  for (int i = 0; i < 3000; ++i) {
    if (i % 500 == 499) continue;
    const index::Record* r = ix.find("I" + std::to_string(i));
    REQUIRE(r);
    CHECK(*r == index::Record{index::Kind::item, static_cast<std::size_t>(i)});
  }
  CHECK(*ix.find("") == index::Record{index::Kind::item, 3000});
  CHECK(*ix.find("M39") == index::Record{index::Kind::milestone, 39});
  CHECK(*ix.find("I7") == index::Record{index::Kind::item, 7});
  for (std::string missing : {"I499", "I3000", "M40", "i1", "I01", "M"}) CHECK(ix.find(missing) == nullptr);
  REQUIRE(ix.duplicates().size() == 7);
  CHECK(ix.duplicates()[0].record == index::Record{index::Kind::item, 499});
  CHECK(ix.duplicates()[0].first == index::Record{index::Kind::item, 498});
  CHECK(ix.duplicates()[5].record == index::Record{index::Kind::item, 2999});
  CHECK(ix.duplicates()[6].record == index::Record{index::Kind::milestone, 40});
  CHECK(ix.duplicates()[6].first == index::Record{index::Kind::item, 7});
}
