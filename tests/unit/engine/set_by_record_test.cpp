// core/engine/editing: `set` on a record kept alone (load::Options::keep_records), read back and verified
// by that record alone, and the whole-file path wherever that cannot tell.
#include <doctest/doctest.h>

#include <set>

#include "core/engine/editing.hpp"
#include "support/fake_source.hpp"

using namespace tandem;

namespace {

struct Plan {
  test::FakeSource source;
  std::set<std::string> ids;
  Diagnostics diags;
  load::Loaded loaded;
  Plan(std::string backlog, std::set<std::string> kept)
      : source({{"tandem.yaml", std::string(test::k_config)}, {"backlog.yaml", std::move(backlog)}}), ids(std::move(kept)) {
    load::Options options;
    options.keep_records = &ids;
    loaded = load::load(test::fake_location(), source, options, diags);
  }
  editing::Result set(const std::string& id, const std::string& assignment) {
    auto place = editing::locate(loaded, id);
    return editing::set_fields(loaded, source, id, {editing::parse_assignment(*place.kind, assignment)});
  }
  /// verify's refusal, or "" when the edit passes; the plan is as it was either way.
  std::string verify(const editing::Result& r) {
    std::size_t items = loaded.plan.items.size();
    std::string title = *loaded.plan.items.back().title;
    std::string out;
    try {
      editing::verify(test::fake_location(), source, {}, loaded, diags, r, Date{});
    } catch (const edit::Refused& e) {
      out = e.what();
    }
    CHECK(loaded.plan.items.size() == items);
    CHECK(*loaded.plan.items.back().title == title);
    CHECK(loaded.index.item(*loaded.plan.items.back().id) == std::optional<std::size_t>(items - 1));
    return out;
  }
};

const std::string k_backlog =
    "items:\n  - id: A\n    title: One\n  # between\n  - id: B\n    title: Two\n    depends_on: [A]\n\n"
    "  - id: C\n    title: Three\n";

}  // namespace

TEST_CASE("set on a kept record parses that record alone, with the marks and offsets of the edited file") {
  Plan p(k_backlog, {"B"});
  auto r = p.set("B", "tags=x,y");
  REQUIRE(r.files.size() == 1);
  const auto& f = r.files.front();
  CHECK(f.after == "items:\n  - id: A\n    title: One\n  # between\n  - id: B\n    title: Two\n    depends_on: [A]\n"
                   "    tags: [x, y]\n\n  - id: C\n    title: Three\n");
  CHECK_FALSE(f.after_tree);
  REQUIRE(f.record);
  CHECK(f.model_index == 1);
  CHECK(f.record->mark == Mark{5, 5});
  CHECK(f.record->get("tags")->mark == Mark{8, 11});
  CHECK(f.after.substr(f.record->get("tags")->begin, 6) == "[x, y]");
  CHECK(p.verify(r).empty());
}

TEST_CASE("an edit that gives the plan an error is refused as when the whole plan is read again") {
  Plan p(k_backlog, {"B"});
  auto r = p.set("B", "depends_on+=Z");  // the edited record's own error
  REQUIRE(r.files.front().record);
  CHECK(p.verify(r) == "the edit would give the plan errors; nothing written:\n"
                       "  backlog.yaml:7:21: error: 'Z' in 'depends_on' names no item [unknown-reference]\n"
                       "  hint: did you mean 'A'?");
  Plan cycle(k_backlog, {"A"});
  auto c = cycle.set("A", "depends_on=B");
  REQUIRE(c.files.front().record);
  CHECK(cycle.verify(c).find("dependency cycle") != std::string::npos);
}

TEST_CASE("a record that cannot be read alone is read with its whole file") {
  SUBCASE("an anchor in the edited record") {
    Plan p("items:\n  - id: A\n    title: &t One\n  - id: B\n    title: *t\n", {"A"});
    CHECK_THROWS_WITH_AS(p.set("A", "title=Changed"), doctest::Contains("backlog.yaml:5:12: alias '*t' names no anchor"),
                         edit::Refused);
  }
  SUBCASE("the last record, followed by another key") {
    Plan p("items:\n  - id: A\n    title: One\nx-notes: 1\n", {"A"});
    auto r = p.set("A", "title=Two");
    REQUIRE(r.files.size() == 1);
    CHECK_FALSE(r.files.front().record);
    CHECK(r.files.front().after == "items:\n  - id: A\n    title: Two\nx-notes: 1\n");
    CHECK(p.verify(r).empty());
  }
  SUBCASE("an id of two records is not kept") {
    Plan p("items:\n  - id: A\n    title: One\n  - id: A\n    title: Two\n", {"A"});
    CHECK(p.loaded.records.empty());
  }
}

TEST_CASE("two edits of one file are verified by the whole file") {
  Plan p(k_backlog, {"A", "C"});
  auto r = editing::set_fields(p.loaded, p.source,
                               {{"A", {editing::parse_assignment(*editing::locate(p.loaded, "A").kind, "title=Uno")}},
                                {"C", {editing::parse_assignment(*editing::locate(p.loaded, "C").kind, "title=Tres")}}});
  REQUIRE(r.files.size() == 1);
  CHECK_FALSE(r.files.front().record);
  CHECK(p.verify(r).empty());
}
