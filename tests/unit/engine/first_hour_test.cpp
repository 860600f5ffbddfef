// Issue 28's command-line points whose logic is in core: the filters' unknown values and headings,
// and several status changes as one edit.
#include <doctest/doctest.h>

#include "core/engine/editing.hpp"
#include "core/engine/filter.hpp"
#include "support/fake_source.hpp"

using namespace tandem;

namespace {

const std::string k_backlog =
    "items:\n"
    "  - {id: A-1, title: One, tags: [payments, ui]}\n"
    "  - id: A-2\n"
    "    title: Two\n"
    "  - {id: A-3, title: Three, tags: [api]}\n";

struct Plan {
  test::FakeSource source;
  Diagnostics diags;
  load::Loaded loaded;
  Plan()
      : source({{"tandem.yaml", std::string(test::k_config)},
                {"backlog.yaml", k_backlog},
                {"roadmap.yaml", "milestones:\n  - {id: M1, title: Beta}\n"}}) {
    load::Options options;
    options.keep_trees = true;
    loaded = load::load(test::fake_location(), source, options, diags);
  }
};

}  // namespace

TEST_CASE("a filter's unknown tag, person or milestone is a problem with a did-you-mean") {
  Plan p;
  REQUIRE_FALSE(p.diags.has_errors());
  filter::Filter f;
  f.tags = {"payment", "api", "zzz"};
  f.people = {"carl"};
  f.milestones = {"M2"};
  CHECK(filter::problems(f, p.loaded.plan, p.loaded.index) ==
        std::vector<std::string>{"unknown milestone 'M2' (--milestone)",
                                 "unknown person 'carl' (--person); did you mean 'carol'?",
                                 "unknown tag 'payment' (--tag: no item has it); did you mean 'payments'?",
                                 "unknown tag 'zzz' (--tag: no item has it)"});
  filter::Filter known;
  known.tags = {"ui"};
  known.people = {"bob"};
  CHECK(filter::problems(known, p.loaded.plan, p.loaded.index).empty());
}

TEST_CASE("describe writes the filter as the command line gave it, for headings") {
  filter::Filter f;
  CHECK(filter::describe(f) == "");
  f.milestones = {"M1"};
  f.tags = {"ui", "api"};
  f.statuses = {"todo"};
  CHECK(filter::describe(f) == "--milestone M1 --tag ui --tag api --status todo");
}

TEST_CASE("set_fields on several records is one edit: each reads what the one before wrote") {
  Plan p;
  const auto& kind = *editing::locate(p.loaded, "A-1").kind;
  auto done = [&] {
    return std::vector<edit::FieldEdit>{editing::parse_assignment(kind, "status=done"),
                                        editing::parse_assignment(kind, "done=2027-01-04")};
  };
  auto r = editing::set_fields(p.loaded, p.source, {{"A-1", done()}, {"A-2", done()}, {"A-3", done()}});
  REQUIRE(r.files.size() == 1);
  CHECK(r.files[0].path == "backlog.yaml");
  CHECK(r.files[0].before == k_backlog);
  CHECK(r.files[0].after ==
        "items:\n"
        "  - {id: A-1, title: One, tags: [payments, ui], status: done, done: 2027-01-04}\n"
        "  - id: A-2\n"
        "    title: Two\n"
        "    status: done\n"
        "    done: 2027-01-04\n"
        "  - {id: A-3, title: Three, tags: [api], status: done, done: 2027-01-04}\n");
  CHECK(r.changes.size() == 6);
  CHECK_THROWS(editing::set_fields(p.loaded, p.source, {{"A-1", done()}, {"A-9", done()}}));
}
