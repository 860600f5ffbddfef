// core/engine/editing: renumber, the id change with every reference to it.
#include <doctest/doctest.h>

#include "core/engine/editing.hpp"
#include "support/fake_source.hpp"

using namespace tandem;

namespace {

struct Plan {
  test::FakeSource source;
  Diagnostics diags;
  load::Loaded loaded;
  explicit Plan(std::string backlog, std::string risks = "risks: []\n") : source({{"tandem.yaml", std::string(test::k_config)},
                                                                     {"backlog.yaml", std::move(backlog)},
                                                                     {"risks.yaml", std::move(risks)}}) {
    load::Options options;
    options.keep_trees = true;
    loaded = load::load(test::fake_location(), source, options, diags);
  }
  editing::Result renumber(std::string from, std::string to, std::size_t nth = 0, std::string file = "") {
    return editing::renumber(loaded, source, {std::move(from), std::move(to), std::move(file), nth});
  }
};

std::string after(const editing::Result& r, const std::string& path) {
  for (const auto& f : r.files)
    if (f.path == path) return f.after;
  return "(unchanged)";
}

}  // namespace

TEST_CASE("renumber renames the id and the references, each in its own quoting, as delete, create and field changes") {
  Plan p("items:\n  - id: A-1  # one\n    title: One\n  - {id: A-2, title: Two, depends_on: [\"A-1\"]}\n",
         "risks:\n  - id: R1\n    title: Risk\n    affects:\n      - 'A-1'\n      - A-2\n");
  auto r = p.renumber("A-1", "B-1");
  CHECK(after(r, "backlog.yaml") ==
        "items:\n  - id: B-1  # one\n    title: One\n  - {id: A-2, title: Two, depends_on: [\"B-1\"]}\n");
  CHECK(after(r, "risks.yaml") == "risks:\n  - id: R1\n    title: Risk\n    affects:\n      - 'B-1'\n      - A-2\n");
  std::vector<std::string> changes;
  for (const auto& c : r.changes) changes.push_back(c.kind + " " + c.id + " " + c.field + " " + c.after.dump());
  CHECK(changes == std::vector<std::string>{"backlog A-1 delete null", "backlog B-1 create {\"id\":\"B-1\",\"title\":\"One\"}",
                                            "backlog A-2 depends_on [\"B-1\"]", "risks R1 affects [\"B-1\",\"A-2\"]"});
}

TEST_CASE("with a duplicated id renumber renames the last record, or the n-th, and leaves the references") {
  std::string backlog = "items:\n  - {id: A-1, title: Ours}\n  - {id: A-2, title: Two, depends_on: [A-1]}\n"
                        "  - {id: A-1, title: Theirs}\n";
  Plan p(backlog);
  auto last = p.renumber("A-1", "A-3");
  CHECK(after(last, "backlog.yaml") == "items:\n  - {id: A-1, title: Ours}\n  - {id: A-2, title: Two, depends_on: [A-1]}\n"
                                       "  - {id: A-3, title: Theirs}\n");
  CHECK(last.summary.back() == "2 records had the id A-1: the references to it stay as they are (A-2 depends_on); "
                               "point those meant for the renamed record at A-3 with tandem set");
  auto first = p.renumber("A-1", "A-3", 1);
  CHECK(after(first, "backlog.yaml") == "items:\n  - {id: A-3, title: Ours}\n  - {id: A-2, title: Two, depends_on: [A-1]}\n"
                                        "  - {id: A-1, title: Theirs}\n");
  CHECK_THROWS_WITH_AS(p.renumber("A-1", "A-3", 3), "--nth 3: 2 records have the id 'A-1'", edit::Refused);
  CHECK_THROWS_WITH_AS(p.renumber("A-1", "A-3", 0, "risks.yaml"), "no record in risks.yaml has the id 'A-1'",
                       edit::Refused);
}

TEST_CASE("renumber refuses a taken or invalid new id and an unknown old one") {
  Plan p("items:\n  - {id: A-1, title: One}\n  - id: A-2\n    title: Two\n");
  CHECK_THROWS_WITH_AS(p.renumber("A-1", "A-2"), "the id 'A-2' is taken (backlog.yaml:3:5)", edit::Refused);
  CHECK_THROWS_WITH_AS(p.renumber("A-1", "2x"), "'2x' is not a valid id (a letter, then letters, digits, '_', '.' or '-')",
                       edit::Refused);
  CHECK_THROWS_WITH_AS(p.renumber("A-7", "A-8"), "no item, milestone or risk has the id 'A-7'", edit::Refused);
  CHECK_THROWS_WITH_AS(p.renumber("A-1", "A-1"), "A-1 already has that id", edit::Refused);
}
