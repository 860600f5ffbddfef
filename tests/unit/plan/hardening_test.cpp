// Regression tests of hardening fixes (issue 6): inputs that once gave a wrong verdict silently, and
// the --max-items limit.
#include <doctest/doctest.h>

#include "support/fake_source.hpp"

using namespace tandem;

TEST_CASE("an alias of a top-level list is an error, not an empty list that hides its items") {
  // The elements of top-level lists are streamed and not kept; `items: *all` used to read as an
  // empty backlog, so check passed and the unknown reference in B went unreported.
  auto c = test::check_plan({{"backlog.yaml", "x-all: &all\n  - {id: A, title: a}\n  - {id: B, title: b, depends_on: [ZZZ]}\n"
                                              "items: *all\n"}});
  CHECK(test::formatted(c.load_diags, "unsupported-alias") ==
        std::vector<std::string>{"backlog.yaml:4:8: error: alias '*all' repeats a top-level list, which tandem does "
                                 "not keep [unsupported-alias]\n  hint: write the list out where it is used"});
}

TEST_CASE("an alias of a top-level list inside an item is an error too") {
  // `depends_on: *ids` used to read as `depends_on: []`.
  auto c = test::check_plan({{"backlog.yaml", "x-ids: &ids [NOPE]\nitems:\n  - {id: A, title: a, depends_on: *ids}\n"}});
  CHECK(test::formatted(c.load_diags, "unsupported-alias").size() == 1);
}

TEST_CASE("aliases of a top-level list where nothing reads them stay harmless") {
  auto c = test::check_plan({{"backlog.yaml", "x-all: &all [1, 2]\nx-more: [*all, *all]\nx-map: {k: *all}\nitems: []\n"}});
  CHECK(test::formatted(c.load_diags).empty());
}

TEST_CASE("aliases of nested lists and mappings still work") {
  auto c = test::check_plan({{"backlog.yaml", "items:\n  - {id: A, title: a, tags: &t [x, y]}\n  - {id: B, title: b, tags: *t}\n"}});
  CHECK(test::formatted(c.load_diags).empty());
  REQUIRE(c.loaded.plan.items.size() == 2);
}

TEST_CASE("--max-items: one error at the first record over the limit, naming the limit and the flag") {
  test::FakeSource source({{"tandem.yaml", std::string(test::k_config)},
                           {"backlog.yaml", "items:\n  - {id: A, title: a}\n  - {id: B, title: b}\n"},
                           {"roadmap.yaml", "milestones:\n  - {id: M, title: m}\n  - {id: N, title: n}\n"}});
  load::Options options;
  options.max_items = 2;
  Diagnostics diags;
  auto loaded = load::load(test::fake_location(), source, options, diags);
  CHECK(test::formatted(diags) ==
        std::vector<std::string>{"roadmap.yaml:2:5: error: the plan has more than 2 items, milestones and risks (the "
                                 "--max-items limit); the rest is not read [too-many-items]\n  hint: split the plan, "
                                 "or raise the limit with --max-items"});
  CHECK(loaded.plan.items.size() == 2);
  CHECK(loaded.plan.milestones.empty());
  options.max_items = 4;
  Diagnostics fine;
  load::load(test::fake_location(), source, options, fine);
  CHECK_FALSE(fine.has_errors());
}
