// core/git/blame: the history of one record and who set each of its current fields.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "core/base/error.hpp"
#include "core/git/blame.hpp"
#include "support/git_repo.hpp"

using namespace tandem;

namespace {

/// alice creates A-1, carol estimates it, bob re-titles A-2 only, alice raises A-1's value.
struct History {
  test::GitRepo r;
  std::string create, estimate, value;
  History() {
    r.write("tandem.yaml", test::k_history_config);
    r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 3}\n  - {id: A-2, title: Two}\n");
    create = r.commit("create");
    r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 3, estimate: 2}\n  - {id: A-2, title: Two}\n");
    estimate = r.commit("estimate", test::k_carol);
    r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 3, estimate: 2}\n  - {id: A-2, title: Deux}\n");
    r.commit("A-2", test::k_bob);
    r.write("backlog.yaml", "items:\n  - {id: A-1, title: One, value: 5, estimate: 2}\n  - {id: A-2, title: Deux}\n");
    value = r.commit("value");
  }
  load::Options options() const {
    load::Options o;
    o.start_dir = r.path();
    return o;
  }
};

}  // namespace

TEST_CASE("record_log lists the commits that changed one record, with the person and those changes") {
  History h;
  auto entries = history::record_log(h.options(), "", "A-1").entries;
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].commit.id == h.create);
  CHECK(entries[0].person == "alice");
  CHECK(entries[0].changes.size() == 1);
  CHECK(entries[0].changes[0].field == "create");
  CHECK(entries[1].person == "carol");
  CHECK(entries[1].changes[0].field == "estimate");
  CHECK(entries[2].changes[0].new_value == "5");
  CHECK(history::record_log(h.options(), "HEAD~1", "A-1").entries.size() == 2);
  CHECK_THROWS_WITH_AS(history::record_log(h.options(), "", "Z-9"),
                       "no commit changed an item, milestone or risk 'Z-9'", Error);
}

TEST_CASE("blame names who set each current field") {
  History h;
  auto lines = history::blame(h.options(), "", "A-1");
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].field == "estimate");
  CHECK(lines[0].commit.id == h.estimate);
  CHECK(lines[0].person == "carol");
  CHECK(lines[1].field == "title");
  CHECK(lines[1].commit.id == h.create);
  CHECK(lines[2].field == "value");
  CHECK(lines[2].value == "5");
  CHECK(lines[2].commit.id == h.value);
}

TEST_CASE("blame of a deleted record says so; a re-created record starts afresh") {
  History h;
  h.r.write("backlog.yaml", "items:\n  - {id: A-2, title: Deux}\n");
  h.r.commit("drop A-1");
  CHECK_THROWS_WITH_AS(history::blame(h.options(), "", "A-1"), "'A-1' was deleted", Error);
  h.r.write("backlog.yaml", "items:\n  - {id: A-2, title: Deux}\n  - {id: A-1, title: Again}\n");
  std::string again = h.r.commit("again", test::k_bob);
  auto lines = history::blame(h.options(), "", "A-1");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].field == "title");
  CHECK(lines[0].commit.id == again);
  CHECK(lines[0].person == "bob");
}

namespace {

/// A fake history of record A-1 for the units of Blame and LogReplay: commits by number, the plan of
/// each, and steps as the walk hands them (a merge's changes against the clean merge of its parents).
struct Fake {
  std::map<int, git::CommitInfo> commits;
  std::map<int, std::shared_ptr<const history::Version>> plans;
  history::Blame blame{"A-1"};
  history::LogReplay log{"A-1"};

  /// A merge's changes as the walk makes them: against the clean merge, a conflict resolved to the first
  /// parent's value being no change.
  static std::vector<history::Change> merge_changes(const history::Version& base, const history::Version& first,
                                                    const history::Version& second, const history::Version& after) {
    auto changes = history::diff(history::merge(base, {&first, &second}), after);
    auto first_fields = history::fields_of(first, "A-1").value_or(history::Fields{});
    for (auto& c : changes)
      if (c.old_value == history::k_conflict)
        for (const auto& [name, value] : first_fields)
          if (name == c.field) c.old_value = value;
    std::erase_if(changes, [](const history::Change& c) { return c.old_value == c.new_value; });
    return changes;
  }

  static git::Oid oid(int n) { return *git::Oid::from_hex(fmt::format("{:040x}", n)); }

  /// Commit `n` with `parents` whose plan holds A-1 with `fields` (none: no A-1); `base` is a merge's
  /// merge base; a `cut` commit's parents are not in the clone.
  void commit(int n, std::vector<int> parents, const history::Fields& fields, int base = 0, bool cut = false) {
    git::CommitInfo& info = commits[n];
    info.oid = oid(n);
    info.id = info.oid.hex();
    info.short_id = info.id.substr(0, 10);
    for (int p : parents) info.parent_ids.push_back(oid(p));
    auto v = std::make_shared<history::Version>();
    if (!fields.empty()) {
      auto r = std::make_shared<history::Record>();
      r->id = "A-1";
      r->fields = fields;
      for (std::uint32_t i = 0; i < fields.size(); ++i) r->lines.push_back(i), r->columns.push_back(5);
      v->kinds[0].push_back({r, history::FileName("backlog.yaml"), 2});
    }
    plans[n] = v;
    history::Step step{info, {}, {}, cut ? nullptr : v, {}, cut, nullptr};
    if (!cut) {
      for (int p : parents) step.parents.push_back(plans.at(p));
      if (parents.empty()) step.changes = history::diff(history::Version{}, *v);
      else if (parents.size() == 1) step.changes = history::diff(*plans.at(parents[0]), *v);
      else step.changes = merge_changes(*plans.at(base), *plans.at(parents[0]), *plans.at(parents[1]), *v);
    }
    std::string person = "p" + std::to_string(n);
    blame.add(step, *v, person);
    log.add(step, *v, person);
  }
  /// Who gave each current field its value: "field=value@commit" (with "?" when at or before a cut).
  std::vector<std::string> blamed() const {
    std::vector<std::string> out;
    for (const auto& l : blame.lines())
      out.push_back(l.field + "=" + l.value + "@" + std::to_string(std::stoi(l.commit.id.substr(30), nullptr, 16)) +
                    (l.cut ? "?" : ""));
    return out;
  }
  /// The log's lines: "commit: field old→new, …" with " (merge)" or " (cut)".
  std::vector<std::string> logged() {
    std::vector<std::string> out;
    for (const auto& e : log.take().entries) {
      std::string line = std::to_string(std::stoi(e.commit.id.substr(30), nullptr, 16)) + ":";
      for (const auto& c : e.changes)
        line += " " + c.field + " " + c.old_value.value_or("-") + "→" + c.new_value.value_or("-");
      for (const auto& [name, value] : e.values) line += " " + name + "=" + value;
      out.push_back(line + (e.merge ? " (merge)" : "") + (e.cut ? " (cut)" : ""));
    }
    return out;
  }
};

using F = history::Fields;
using S = std::vector<std::string>;

}  // namespace

TEST_CASE("Blame: a commit that kept its parent's value passes the blame to that parent") {
  Fake h;
  h.commit(1, {}, F{{"title", "\"One\""}, {"value", "8"}});
  h.commit(2, {1}, F{{"title", "\"One\""}, {"value", "13"}});
  h.commit(3, {2}, F{{"title", "\"Uno\""}, {"value", "13"}});
  CHECK(h.blamed() == S{"title=\"Uno\"@3", "value=13@2"});
  h.commit(4, {3}, F{{"title", "\"Uno\""}});  // a field removed
  CHECK(h.blamed() == S{"title=\"Uno\"@3"});
}

TEST_CASE("Blame through a merge that kept main's value (git merge -s ours): the commit that set it") {
  Fake h;
  h.commit(1, {}, F{{"title", "\"One\""}, {"value", "8"}});
  h.commit(2, {1}, F{{"title", "\"One\""}, {"value", "13"}});  // the branch
  h.commit(3, {1}, F{{"title", "\"Uno\""}, {"value", "8"}});   // main
  h.commit(4, {3, 2}, F{{"title", "\"Uno\""}, {"value", "8"}}, 1);
  CHECK(h.blamed() == S{"title=\"Uno\"@3", "value=8@1"});
  CHECK(h.logged() == S{"1: create -→\"One\" title=\"One\" value=8", "2: value 8→13", "3: title \"One\"→\"Uno\"",
                        "4: value 13→8 (merge)"});
}

TEST_CASE("Blame through a clean merge passes to the branch commit that made the change") {
  Fake h;
  h.commit(1, {}, F{{"title", "\"One\""}, {"value", "8"}});
  h.commit(2, {1}, F{{"title", "\"One\""}, {"value", "13"}});
  h.commit(3, {1}, F{{"title", "\"Uno\""}, {"value", "8"}});
  h.commit(4, {3, 2}, F{{"title", "\"Uno\""}, {"value", "13"}}, 1);
  CHECK(h.blamed() == S{"title=\"Uno\"@3", "value=13@2"});
  // A clean merge made nothing of its own, and the log already ends on each value.
  CHECK(h.logged().size() == 3);
}

TEST_CASE("Blame of a conflict resolved by hand: to a third value the merge gave it, else the side it kept") {
  for (auto [resolved, who] : {std::pair{"21", 4}, std::pair{"5", 3}, std::pair{"13", 2}}) {
    CAPTURE(resolved);
    Fake h;
    h.commit(1, {}, F{{"title", "\"One\""}, {"value", "8"}});
    h.commit(2, {1}, F{{"title", "\"One\""}, {"value", "13"}});
    h.commit(3, {1}, F{{"title", "\"One\""}, {"value", "5"}});
    h.commit(4, {3, 2}, F{{"title", "\"One\""}, {"value", resolved}}, 1);
    CHECK(h.blamed() == S{"title=\"One\"@1", fmt::format("value={}@{}", resolved, who)});
    auto log = h.logged();
    // The log's last word on value is the file's; a merge that kept the first parent's value made nothing.
    CHECK(log.back() == (std::string(resolved) == "5" ? "3: value 8→5" : fmt::format("4: value 5→{} (merge)", resolved)));
  }
}

TEST_CASE("Blame prefers the first parent that holds the value, in parent order") {
  Fake h;
  h.commit(1, {}, F{{"title", "\"One\""}, {"value", "8"}});
  h.commit(2, {1}, F{{"title", "\"One\""}, {"value", "13"}});
  h.commit(3, {1}, F{{"title", "\"One\""}, {"value", "13"}});
  h.commit(4, {3, 2}, F{{"title", "\"One\""}, {"value", "13"}}, 1);
  CHECK(h.blamed() == S{"title=\"One\"@1", "value=13@3"});
  h.commit(5, {2, 3}, F{{"title", "\"One\""}, {"value", "13"}}, 1);
  CHECK(h.blamed() == S{"title=\"One\"@1", "value=13@2"});
}

TEST_CASE("Blame of a record deleted and created again starts at the commit that created it again") {
  Fake h;
  h.commit(1, {}, F{{"title", "\"One\""}, {"value", "8"}});
  h.commit(2, {1}, F{});
  CHECK(h.blamed().empty());
  h.commit(3, {2}, F{{"title", "\"One\""}, {"value", "8"}});
  CHECK(h.blamed() == S{"title=\"One\"@3", "value=8@3"});
}

TEST_CASE("Blame in a shallow clone: a value that reaches the cut is at or before the cut commit") {
  Fake h;
  h.commit(1, {0}, F{{"title", "\"One\""}, {"value", "8"}}, 0, true);
  h.commit(2, {1}, F{{"title", "\"One\""}, {"value", "13"}});
  CHECK(h.blamed() == S{"title=\"One\"@1?", "value=13@2"});
  CHECK(h.logged() == S{"1: title=\"One\" value=8 (cut)", "2: value 8→13"});
}

TEST_CASE("LogReplay: a merge adds each field whose value differs from the last value shown") {
  // A side branch's commit listed after main's, then a merge that kept main's value: the merge's own
  // changes (against the clean merge) say nothing, yet the log last showed the branch's value.
  Fake h;
  h.commit(1, {}, F{{"title", "\"One\""}, {"value", "8"}});
  h.commit(2, {1}, F{{"title", "\"One\""}, {"value", "5"}});   // main
  h.commit(3, {1}, F{{"title", "\"One\""}, {"value", "13"}});  // the branch, listed after
  h.commits[4].oid = Fake::oid(4);
  h.commits[4].id = h.commits[4].oid.hex();
  h.commits[4].parent_ids = {Fake::oid(2), Fake::oid(3)};
  history::Step step{h.commits[4], {}, {}, h.plans[2], {h.plans[2], h.plans[3]}, false, nullptr};
  h.blame.add(step, *h.plans[2], "p4");
  h.log.add(step, *h.plans[2], "p4");
  CHECK(h.blamed() == S{"title=\"One\"@1", "value=5@2"});
  CHECK(h.logged() == S{"1: create -→\"One\" title=\"One\" value=8", "2: value 8→5", "3: value 8→13",
                        "4: value 13→5 (merge)"});
}
