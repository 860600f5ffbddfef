#include "core/plan/decode.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/plan/yaml.hpp"
#include "support/fake_source.hpp"

using namespace tandem;
using tandem::test::formatted;
using Lines = std::vector<std::string>;

namespace {

/// Findings of decoding one record or file, and whether any was structural (the schema's kind).
struct Result {
  Diagnostics diags;
  bool structural = false;
  Lines lines() const { return formatted(diags); }
};

template <class Model, class Decode>
Result decode_text(std::string_view text, const std::string& file, Model& out, Decode decode) {
  Result r;
  Diagnostics parse_diags;
  auto root = yaml::parse(text, file, parse_diags);
  INFO(formatted(parse_diags));
  REQUIRE(parse_diags.size() == 0);
  REQUIRE(root);
  decode::Context ctx{r.diags, file, 3};
  decode(*root, ctx, out);
  r.structural = ctx.structural;
  return r;
}

Result item(std::string_view text, model::Item& out) {
  return decode_text(text, "backlog.yaml", out, decode::decode_item);
}
Lines item(std::string_view text) {
  model::Item out;
  return item(text, out).lines();
}
Result milestone(std::string_view text, model::Milestone& out) {
  return decode_text(text, "roadmap.yaml", out, decode::decode_milestone);
}
Lines milestone(std::string_view text) {
  model::Milestone out;
  return milestone(text, out).lines();
}
Result risk(std::string_view text, model::Risk& out) {
  return decode_text(text, "risks.yaml", out, decode::decode_risk);
}
Lines risk(std::string_view text) {
  model::Risk out;
  return risk(text, out).lines();
}
Result config(std::string_view text, model::Config& out) {
  return decode_text(text, "tandem.yaml", out, decode::decode_config);
}
Lines config(std::string_view text) {
  model::Config out;
  return config(text, out).lines();
}
/// tandem.yaml: the three required keys on lines 1-3, then `rest` from line 4.
std::string config_with(std::string_view rest) {
  return "version: 1\nproject: {name: Demo}\npeople: []\n" + std::string(rest);
}
/// tandem.yaml with one person (the `- ` on line 4) whose keys follow `id: p` on line 5.
std::string person_with(std::string_view rest) {
  return "version: 1\nproject: {name: Demo}\npeople:\n  - id: p\n" + std::string(rest);
}
Lines list_root(std::string_view text, std::string_view key, const std::string& file) {
  Diagnostics diags;
  auto root = yaml::parse(text, file, diags);
  REQUIRE(diags.size() == 0);
  REQUIRE(root);
  decode::Context ctx{diags, file, 1};
  decode::decode_list_root(*root, ctx, key);
  return formatted(diags);
}

}  // namespace

// ---- ids ---------------------------------------------------------------------------------------

TEST_CASE("ids start with a letter and hold only letters, digits, '_', '.' and '-', at most 128") {
  for (const char* s : {"A", "a1", "CHK-1", "a_b.c-d", "M1.2", "z-"}) {
    std::string text = s;
    CAPTURE(text);
    CHECK(decode::is_valid_id(s));
  }
  CHECK(decode::is_valid_id(std::string(128, 'a')));
  for (const char* s : {"", "1a", "_a", "-a", ".a", "a b", "é", "aé", "a/b", "a:b", "a\n"}) {
    std::string text = s;
    CAPTURE(text);
    CHECK_FALSE(decode::is_valid_id(s));
  }
  CHECK_FALSE(decode::is_valid_id(std::string(129, 'a')));
}

// ---- items -------------------------------------------------------------------------------------

TEST_CASE("an item with every field decodes without findings") {
  model::Item it;
  auto r = item(R"(id: CHK-1
title: Guest checkout
type: bug
status: doing
owner: alice
assignee: carol
milestone: M1
value: 8
time_criticality: 5
risk_reduction: 3
size: 5
estimate: 3
remaining: 1.5
depends_on: [CHK-0, CHK-00]
moscow: should
rice: {reach: 500, impact: 2, confidence: 0.8, effort: 3}
started: 2027-01-10
done: 2027-01-20
tags: [payments, web]
acceptance: ["Buyer can pay without an account", "Buyer can pay without an account"]
description: |
  Free text.
x-jira: {key: CHK-1000, sprint: [1, 2]}
)",
                it);
  CHECK(r.lines() == Lines{});
  CHECK_FALSE(r.structural);
  CHECK(it.file == 3);
  CHECK(it.mark == Mark{1, 1});
  CHECK(*it.id == "CHK-1");
  CHECK(it.id.mark == Mark{1, 5});
  CHECK(*it.title == "Guest checkout");
  CHECK(*it.type == model::ItemType::bug);
  CHECK(*it.status == model::Status::doing);
  CHECK(*it.owner == "alice");
  CHECK(*it.assignee == "carol");
  CHECK(*it.milestone == "M1");
  CHECK(*it.value == 8);
  CHECK(it.value.mark == Mark{8, 8});
  CHECK(*it.time_criticality == 5);
  CHECK(*it.risk_reduction == 3);
  CHECK(*it.size == 5);
  CHECK(*it.estimate == 3);
  CHECK(*it.remaining == 1.5);
  REQUIRE(it.depends_on.values.size() == 2);
  CHECK(it.depends_on.present);
  CHECK(*it.depends_on.values[1] == "CHK-00");
  CHECK(it.depends_on.values[1].mark == Mark{14, 21});
  CHECK(*it.moscow == model::Moscow::should);
  REQUIRE(it.rice.has());
  CHECK(it.rice->reach == 500);
  CHECK(it.rice->confidence == 0.8);
  CHECK(it.rice->effort == 3);
  CHECK(*it.started == *make_date(2027, 1, 10));
  CHECK(*it.done == *make_date(2027, 1, 20));
  CHECK(it.tags.values.size() == 2);
  CHECK(it.acceptance.values.size() == 2);  // acceptance criteria may repeat
  CHECK(*it.description == "Free text.\n");
  CHECK(it.undone());
}

TEST_CASE("an item's optional fields default when absent") {
  model::Item it;
  CHECK(item("id: A\ntitle: T\n", it).lines() == Lines{});
  CHECK(it.type_or_default() == model::ItemType::feature);
  CHECK(it.status_or_default() == model::Status::todo);
  CHECK_FALSE(it.value.has());
  CHECK(it.value.mark.line == 0);
  CHECK_FALSE(it.depends_on.present);
  CHECK(it.undone());
}

TEST_CASE("item: wrong-type findings name the key and the type found") {
  SUBCASE("a string field holding a number, with a hint to quote it") {
    CHECK(item("id: A\ntitle: 42\n") ==
          Lines{"backlog.yaml:2:8: error: 'title' must be a string, not an integer [wrong-type]\n"
                "  hint: quote it: '42'"});
  }
  SUBCASE("a string field holding null, without a hint") {
    CHECK(item("id: A\ntitle: null\n") ==
          Lines{"backlog.yaml:2:8: error: 'title' must be a string, not empty (null) [wrong-type]"});
  }
  SUBCASE("a string field holding a list") {
    CHECK(item("id: A\ntitle: T\ndescription: [a]\n") ==
          Lines{"backlog.yaml:3:14: error: 'description' must be a string, not a list [wrong-type]"});
  }
  SUBCASE("an id holding a number") {
    CHECK(item("id: 42\ntitle: T\n") ==
          Lines{"backlog.yaml:1:5: error: 'id' must be a string, not an integer [wrong-type]\n"
                "  hint: quote it: '42'"});
  }
  SUBCASE("a quoted number where a number is expected") {
    CHECK(item("id: A\ntitle: T\nvalue: \"8\"\nsize: '2.5'\n") ==
          Lines{"backlog.yaml:3:8: error: 'value' must be a number, not a string [wrong-type]\n"
                "  hint: remove the quotes: a quoted number is a string in YAML",
                "backlog.yaml:4:7: error: 'size' must be a number, not a string [wrong-type]\n"
                "  hint: remove the quotes: a quoted number is a string in YAML"});
  }
  SUBCASE("text where a number is expected") {
    CHECK(item("id: A\ntitle: T\nestimate: big\n") ==
          Lines{"backlog.yaml:3:11: error: 'estimate' must be a number, not a string [wrong-type]"});
  }
  SUBCASE("a boolean where a number is expected") {
    CHECK(item("id: A\ntitle: T\nvalue: true\n") ==
          Lines{"backlog.yaml:3:8: error: 'value' must be a number, not a boolean [wrong-type]"});
  }
  SUBCASE("a scalar where a list is expected, with a hint") {
    CHECK(item("id: A\ntitle: T\ndepends_on: CHK-0\n") ==
          Lines{"backlog.yaml:3:13: error: 'depends_on' must be a list, not a string [wrong-type]\n"
                "  hint: write it as a list: [CHK-0]"});
  }
  SUBCASE("a mapping where a list is expected") {
    CHECK(item("id: A\ntitle: T\ntags: {a: b}\n") ==
          Lines{"backlog.yaml:3:7: error: 'tags' must be a list, not a mapping [wrong-type]"});
  }
  SUBCASE("a scalar where a mapping is expected") {
    CHECK(item("id: A\ntitle: T\nrice: 5\n") ==
          Lines{"backlog.yaml:3:7: error: 'rice' must be a mapping, not an integer [wrong-type]"});
  }
  SUBCASE("an item that is not a mapping") {
    CHECK(item("just text\n") == Lines{"backlog.yaml:1:1: error: an item must be a mapping, not a string [wrong-type]"});
  }
  SUBCASE("a list element of the wrong type") {
    CHECK(item("id: A\ntitle: T\ntags: [ok, 3]\n") ==
          Lines{"backlog.yaml:3:12: error: 'tags' must be a string, not an integer [wrong-type]\n"
                "  hint: quote it: '3'"});
  }
  SUBCASE("a date written as a number") {
    CHECK(item("id: A\ntitle: T\nstarted: 20270110\n") ==
          Lines{"backlog.yaml:3:10: error: 'started' must be a string, not an integer [wrong-type]\n"
                "  hint: quote it: '20270110'"});
  }
}

TEST_CASE("item: wrong-type findings are structural") {
  model::Item it;
  CHECK(item("id: A\ntitle: 42\n", it).structural);
}

TEST_CASE("item: the quoted-number hint is only given for quoted text") {
  // `value: nan` and `value: infinity` are plain strings in the core schema (it writes them .nan, .inf).
  CHECK(item("id: A\ntitle: T\nvalue: nan\n") ==
        Lines{"backlog.yaml:3:8: error: 'value' must be a number, not a string [wrong-type]"});
}

TEST_CASE("item: unknown keys are errors with a did-you-mean hint, x- keys are ignored") {
  SUBCASE("a typo") {
    CHECK(item("id: A\ntitle: T\nvaule: 8\n") ==
          Lines{"backlog.yaml:3:1: error: unknown key 'vaule' in an item [unknown-key]\n"
                "  hint: did you mean 'value'?"});
  }
  SUBCASE("no close key") {
    CHECK(item("id: A\ntitle: T\ncolour: red\n") ==
          Lines{"backlog.yaml:3:1: error: unknown key 'colour' in an item [unknown-key]"});
  }
  SUBCASE("a long key is shortened in the message") {
    std::string key(70, 'k');
    CHECK(item("id: A\ntitle: T\n" + key + ": 1\n") ==
          Lines{"backlog.yaml:3:1: error: unknown key '" + std::string(60, 'k') + "…' in an item [unknown-key]"});
  }
  SUBCASE("inside rice") {
    CHECK(item("id: A\ntitle: T\nrice: {reech: 5, reach: 5, impact: 1, confidence: 1, effort: 1}\n") ==
          Lines{"backlog.yaml:3:8: error: unknown key 'reech' in 'rice' [unknown-key]\n"
                "  hint: did you mean 'reach'?"});
  }
  SUBCASE("x- keys") {
    CHECK(item("id: A\ntitle: T\nx-anything: [1, {a: b}]\nx-: 1\n") == Lines{});
  }
}

TEST_CASE("item: missing required keys are reported at the item") {
  SUBCASE("no title") {
    CHECK(item("id: A\nvalue: 1\n") ==
          Lines{"backlog.yaml:1:1: error: an item has no 'title', which is required [missing-key]"});
  }
  SUBCASE("neither id nor title") {
    CHECK(item("{}\n") == Lines{"backlog.yaml:1:1: error: an item has no 'id', which is required [missing-key]",
                                "backlog.yaml:1:1: error: an item has no 'title', which is required [missing-key]"});
  }
  SUBCASE("rice lacks a part") {
    model::Item it;
    CHECK(item("id: A\ntitle: T\nrice: {reach: 5, impact: 1, confidence: 1}\n", it).lines() ==
          Lines{"backlog.yaml:3:7: error: 'rice' has no 'effort', which is required [missing-key]"});
    CHECK_FALSE(it.rice.has());
  }
}

TEST_CASE("item: keys in any order decode alike, and a missing required key is found among many") {
  const std::string in_order = "id: A\ntitle: T\ntype: bug\nstatus: doing\nvalue: 3\nsize: 2\ntags: [a, b]\n";
  const std::string shuffled = "tags: [a, b]\nsize: 2\nx-note: 1\nstatus: doing\ntitle: T\nvalue: 3\ntype: bug\nid: A\n";
  model::Item a, b;
  CHECK(item(in_order, a).lines() == Lines{});
  CHECK(item(shuffled, b).lines() == Lines{});
  CHECK(*b.id == "A");
  CHECK(*b.title == "T");
  CHECK(*b.type == model::ItemType::bug);
  CHECK(*b.status == model::Status::doing);
  CHECK(*b.value == 3);
  CHECK(*b.size == 2);
  REQUIRE(b.tags.values.size() == 2);
  CHECK(*b.tags.values[1] == "b");
  CHECK(item("description: d\nx-id: A\nvalue: 1\nid: A\ncolour: red\n") ==
        Lines{"backlog.yaml:1:1: error: an item has no 'title', which is required [missing-key]",
              "backlog.yaml:5:1: error: unknown key 'colour' in an item [unknown-key]"});
}

TEST_CASE("item: enum values outside their set are invalid-value errors with a hint") {
  SUBCASE("a typo of a status") {
    CHECK(item("id: A\ntitle: T\nstatus: dnoe\n") ==
          Lines{"backlog.yaml:3:9: error: 'dnoe' is not a valid status (one of: todo, doing, done, dropped) "
                "[invalid-value]\n  hint: did you mean 'done'?"});
  }
  SUBCASE("a word that is not close") {
    CHECK(item("id: A\ntitle: T\nstatus: finished\n") ==
          Lines{"backlog.yaml:3:9: error: 'finished' is not a valid status (one of: todo, doing, done, dropped) "
                "[invalid-value]"});
  }
  SUBCASE("case matters, the hint does not mind it") {
    CHECK(item("id: A\ntitle: T\ntype: Bug\n") ==
          Lines{"backlog.yaml:3:7: error: 'Bug' is not a valid type (one of: feature, bug, chore, spike) "
                "[invalid-value]\n  hint: did you mean 'bug'?"});
  }
  SUBCASE("a number") {
    CHECK(item("id: A\ntitle: T\nmoscow: 1\n") ==
          Lines{"backlog.yaml:3:9: error: '1' is not a valid moscow (one of: must, should, could, wont) "
                "[invalid-value]"});
  }
  SUBCASE("each value of each enum is accepted") {
    for (const char* s : {"feature", "bug", "chore", "spike"})
      CHECK(item("id: A\ntitle: T\ntype: " + std::string(s) + "\n") == Lines{});
    for (const char* s : {"todo", "doing", "done", "dropped"})
      CHECK(item("id: A\ntitle: T\nstatus: " + std::string(s) + "\n") == Lines{});
    for (const char* s : {"must", "should", "could", "wont"})
      CHECK(item("id: A\ntitle: T\nmoscow: " + std::string(s) + "\n") == Lines{});
  }
}

TEST_CASE("item: an enum given a list or nothing says what type it wants") {
  CHECK(item("id: A\ntitle: T\nstatus: [todo]\n") ==
        Lines{"backlog.yaml:3:9: error: 'status' must be a string, not a list [wrong-type]"});
  CHECK(item("id: A\ntitle: T\nstatus: null\n") ==
        Lines{"backlog.yaml:3:9: error: 'status' must be a string, not empty (null) [wrong-type]"});
}

TEST_CASE("item: empty strings are invalid values") {
  CHECK(item("id: A\ntitle: \"\"\n") == Lines{"backlog.yaml:2:8: error: 'title' must not be empty [invalid-value]"});
  CHECK(item("id: A\ntitle: T\ntags: [a, '']\n") ==
        Lines{"backlog.yaml:3:11: error: 'tags' must not be empty [invalid-value]"});
  CHECK(item("id: A\ntitle: T\ndescription: ''\n") == Lines{});
}

TEST_CASE("item: numbers outside their range are out-of-range errors") {
  SUBCASE("negative value") {
    CHECK(item("id: A\ntitle: T\nvalue: -1\n") ==
          Lines{"backlog.yaml:3:8: error: 'value' must be at least 0, not -1 [out-of-range]"});
  }
  SUBCASE("negative and zero estimate") {
    CHECK(item("id: A\ntitle: T\nestimate: -2\n") ==
          Lines{"backlog.yaml:3:11: error: 'estimate' must be greater than 0, not -2 [out-of-range]"});
    CHECK(item("id: A\ntitle: T\nestimate: 0\n") ==
          Lines{"backlog.yaml:3:11: error: 'estimate' must be greater than 0, not 0 [out-of-range]"});
    CHECK(item("id: A\ntitle: T\nsize: 0.0\n") ==
          Lines{"backlog.yaml:3:7: error: 'size' must be greater than 0, not 0.0 [out-of-range]"});
  }
  SUBCASE("zero is allowed where the minimum is inclusive") {
    CHECK(item("id: A\ntitle: T\nvalue: 0\ntime_criticality: 0\nrisk_reduction: 0\nremaining: 0\n") == Lines{});
  }
  SUBCASE("numbers too large for a double") {
    CHECK(item("id: A\ntitle: T\nvalue: 1e400\n") ==
          Lines{"backlog.yaml:3:8: error: 'value' is 1e400, which is not a finite number [out-of-range]"});
    CHECK(item("id: A\ntitle: T\nestimate: -1e400\n") ==
          Lines{"backlog.yaml:3:11: error: 'estimate' is -1e400, which is not a finite number [out-of-range]"});
  }
  SUBCASE("infinity and not-a-number") {
    CHECK(item("id: A\ntitle: T\nremaining: .inf\ntime_criticality: .nan\n") ==
          Lines{"backlog.yaml:3:12: error: 'remaining' is .inf, which is not a finite number [out-of-range]",
                "backlog.yaml:4:19: error: 'time_criticality' is .nan, which is not a finite number [out-of-range]"});
  }
  SUBCASE("rice parts") {
    CHECK(item("id: A\ntitle: T\nrice: {reach: -1, impact: 1, confidence: 1.5, effort: 0}\n") ==
          Lines{"backlog.yaml:3:15: error: 'reach' must be at least 0, not -1 [out-of-range]",
                "backlog.yaml:3:42: error: 'confidence' must be at most 1, not 1.5 [out-of-range]",
                "backlog.yaml:3:55: error: 'effort' must be greater than 0, not 0 [out-of-range]"});
  }
}

TEST_CASE("item: ids that do not match the pattern are invalid-id errors") {
  const std::string hint = "\n  hint: an id starts with a letter and has only letters, digits, '_', '.' and '-' (at most 128)";
  CHECK(item("id: 1abc\ntitle: T\n") == Lines{"backlog.yaml:1:5: error: '1abc' is not a valid id for 'id' [invalid-id]" + hint});
  CHECK(item("id: A\ntitle: T\nowner: bob smith\n") ==
        Lines{"backlog.yaml:3:8: error: 'bob smith' is not a valid id for 'owner' [invalid-id]" + hint});
  CHECK(item("id: A\ntitle: T\ndepends_on: [B, \"c d\"]\n") ==
        Lines{"backlog.yaml:3:17: error: 'c d' is not a valid id for 'depends_on' [invalid-id]" + hint});
  CHECK(item("id: A\ntitle: T\nmilestone: _M1\nassignee: '-x'\n") ==
        Lines{"backlog.yaml:3:12: error: '_M1' is not a valid id for 'milestone' [invalid-id]" + hint,
              "backlog.yaml:4:11: error: '-x' is not a valid id for 'assignee' [invalid-id]" + hint});
  CHECK(item("id: " + std::string(129, 'a') + "\ntitle: T\n") ==
        Lines{"backlog.yaml:1:5: error: '" + std::string(60, 'a') + "…' is not a valid id for 'id' [invalid-id]" + hint});
}

TEST_CASE("item: dates that are not real days are invalid-date errors") {
  SUBCASE("a day that does not exist") {
    model::Item it;
    auto r = item("id: A\ntitle: T\nstarted: 2027-02-30\n", it);
    CHECK(r.lines() == Lines{"backlog.yaml:3:10: error: '2027-02-30' is not a valid date for 'started' "
                             "[invalid-date]\n  hint: that day does not exist"});
    CHECK_FALSE(r.structural);  // the schema's pattern accepts it: only tandem knows
    CHECK_FALSE(it.started.has());
  }
  SUBCASE("not a leap year") {
    CHECK(item("id: A\ntitle: T\ndone: 2027-02-29\n") ==
          Lines{"backlog.yaml:3:7: error: '2027-02-29' is not a valid date for 'done' [invalid-date]\n"
                "  hint: that day does not exist"});
    CHECK(item("id: A\ntitle: T\ndone: 2028-02-29\n") == Lines{});
  }
  SUBCASE("badly formed") {
    model::Item it;
    auto r = item("id: A\ntitle: T\ndone: 2027-1-5\n", it);
    CHECK(r.lines() == Lines{"backlog.yaml:3:7: error: '2027-1-5' is not a valid date for 'done' [invalid-date]\n"
                             "  hint: write dates as YYYY-MM-DD"});
    CHECK(r.structural);
    CHECK(item("id: A\ntitle: T\ndone: 5 Jan 2027\n") ==
          Lines{"backlog.yaml:3:7: error: '5 Jan 2027' is not a valid date for 'done' [invalid-date]\n"
                "  hint: write dates as YYYY-MM-DD"});
  }
}

TEST_CASE("item: repeated values in id lists and tags are duplicate-value errors") {
  model::Item it;
  auto r = item("id: A\ntitle: T\ndepends_on: [B, C, B]\ntags:\n  - x\n  - x\n", it);
  CHECK(r.lines() ==
        Lines{"backlog.yaml:3:20: error: 'B' is listed twice in 'depends_on' (first at line 3) [duplicate-value]",
              "backlog.yaml:6:5: error: 'x' is listed twice in 'tags' (first at line 5) [duplicate-value]"});
  CHECK(it.depends_on.values.size() == 2);
  CHECK(it.tags.values.size() == 1);
}

// ---- milestones --------------------------------------------------------------------------------

TEST_CASE("a milestone with every field decodes without findings") {
  model::Milestone m;
  auto r = milestone(R"(id: M1
title: Public beta
goal: Customers can buy without an account
owner: bob
target: 2027-03-01
committed: true
depends_on: [M0]
x-note: kept and ignored
)",
                     m);
  CHECK(r.lines() == Lines{});
  CHECK(m.file == 3);
  CHECK(*m.id == "M1");
  CHECK(*m.goal == "Customers can buy without an account");
  CHECK(*m.owner == "bob");
  CHECK(*m.target == *make_date(2027, 3, 1));
  CHECK(m.target.mark == Mark{5, 9});
  CHECK(*m.committed);
  REQUIRE(m.depends_on.values.size() == 1);
  CHECK(*m.depends_on.values[0] == "M0");
}

TEST_CASE("milestone: each field kind reports its errors") {
  SUBCASE("missing title") {
    CHECK(milestone("id: M1\n") ==
          Lines{"roadmap.yaml:1:1: error: a milestone has no 'title', which is required [missing-key]"});
  }
  SUBCASE("unknown key with a hint") {
    CHECK(milestone("id: M1\ntitle: T\ntagret: 2027-03-01\n") ==
          Lines{"roadmap.yaml:3:1: error: unknown key 'tagret' in a milestone [unknown-key]\n"
                "  hint: did you mean 'target'?"});
  }
  SUBCASE("committed is not a boolean: YAML 1.1's yes is a string, and the hint says so") {
    CHECK(milestone("id: M1\ntitle: T\ncommitted: yes\n") ==
          Lines{"roadmap.yaml:3:12: error: 'committed' must be true or false, not a string [wrong-type]\n"
                "  hint: YAML 1.2 reads 'yes' as a string; write true"});
    CHECK(milestone("id: M1\ntitle: T\ncommitted: Off\n") ==
          Lines{"roadmap.yaml:3:12: error: 'committed' must be true or false, not a string [wrong-type]\n"
                "  hint: YAML 1.2 reads 'Off' as a string; write false"});
    CHECK(milestone("id: M1\ntitle: T\ncommitted: maybe\n") ==
          Lines{"roadmap.yaml:3:12: error: 'committed' must be true or false, not a string [wrong-type]"});
  }
  SUBCASE("a bad target date") {
    CHECK(milestone("id: M1\ntitle: T\ntarget: 2027-04-31\n") ==
          Lines{"roadmap.yaml:3:9: error: '2027-04-31' is not a valid date for 'target' [invalid-date]\n"
                "  hint: that day does not exist"});
  }
  SUBCASE("invalid and repeated dependencies") {
    CHECK(milestone("id: M1\ntitle: T\ndepends_on: [M0, M0, 0M]\n") ==
          Lines{"roadmap.yaml:3:18: error: 'M0' is listed twice in 'depends_on' (first at line 3) [duplicate-value]",
                "roadmap.yaml:3:22: error: '0M' is not a valid id for 'depends_on' [invalid-id]\n"
                "  hint: an id starts with a letter and has only letters, digits, '_', '.' and '-' (at most 128)"});
  }
  SUBCASE("owner of the wrong type") {
    CHECK(milestone("id: M1\ntitle: T\nowner: [bob]\n") ==
          Lines{"roadmap.yaml:3:8: error: 'owner' must be a string, not a list [wrong-type]"});
  }
  SUBCASE("not a mapping") {
    CHECK(milestone("[M1]\n") ==
          Lines{"roadmap.yaml:1:1: error: a milestone must be a mapping, not a list [wrong-type]"});
  }
}

// ---- risks -------------------------------------------------------------------------------------

TEST_CASE("a risk with every field decodes without findings") {
  model::Risk rk;
  auto r = risk(R"(id: R1
title: Payment provider changes its API
owner: bob
status: occurred
probability: 3
impact: 4
response: mitigate
mitigation: Pin the API version
review: 2027-02-01
affects: [CHK-4, M1]
delay: [2, 10]
)",
                rk);
  CHECK(r.lines() == Lines{});
  CHECK(*rk.status == model::RiskStatus::occurred);
  CHECK(*rk.probability == 3);
  CHECK(*rk.impact == 4);
  CHECK(*rk.response == model::Response::mitigate);
  CHECK(*rk.review == *make_date(2027, 2, 1));
  CHECK(rk.affects.values.size() == 2);
  REQUIRE(rk.delay.has());
  CHECK((*rk.delay)[0] == 2);
  CHECK((*rk.delay)[1] == 10);
  CHECK(rk.delay.mark == Mark{11, 8});
}

TEST_CASE("risk: status defaults to open, and a delay may be one day") {
  model::Risk rk;
  CHECK(risk("id: R1\ntitle: T\ndelay: [3, 3]\n", rk).lines() == Lines{});
  CHECK(rk.status_or_default() == model::RiskStatus::open);
  CHECK((*rk.delay)[1] == 3);
}

TEST_CASE("risk: probability and impact are whole numbers from 1 to 5") {
  CHECK(risk("id: R1\ntitle: T\nprobability: 0\nimpact: 6\n") ==
        Lines{"risks.yaml:3:14: error: 'probability' must be at least 1, not 0 [out-of-range]",
              "risks.yaml:4:9: error: 'impact' must be at most 5, not 6 [out-of-range]"});
  CHECK(risk("id: R1\ntitle: T\nprobability: 2.5\n") ==
        Lines{"risks.yaml:3:14: error: 'probability' must be a whole number, not 2.5 [wrong-type]"});
  CHECK(risk("id: R1\ntitle: T\nimpact: \"4\"\n") ==
        Lines{"risks.yaml:3:9: error: 'impact' must be a number, not a string [wrong-type]\n"
              "  hint: remove the quotes: a quoted number is a string in YAML"});
  CHECK(risk("id: R1\ntitle: T\nimpact: 1e400\n") ==
        Lines{"risks.yaml:3:9: error: 'impact' is 1e400, which is not a finite number [out-of-range]"});
  for (int v = 1; v <= 5; ++v)
    CHECK(risk("id: R1\ntitle: T\nprobability: " + std::to_string(v) + "\nimpact: " + std::to_string(v) + "\n") ==
          Lines{});
}

TEST_CASE("risk: status and response are enums") {
  CHECK(risk("id: R1\ntitle: T\nstatus: resolved\nresponse: mitigat\n") ==
        Lines{"risks.yaml:3:9: error: 'resolved' is not a valid status (one of: open, closed, occurred) "
              "[invalid-value]",
              "risks.yaml:4:11: error: 'mitigat' is not a valid response (one of: avoid, mitigate, transfer, accept, "
              "escalate) [invalid-value]\n  hint: did you mean 'mitigate'?"});
}

TEST_CASE("risk: delay is a [min, max] pair of whole workdays") {
  SUBCASE("max below min is an invalid range, not a schema matter") {
    model::Risk rk;
    auto r = risk("id: R1\ntitle: T\ndelay: [10, 2]\n", rk);
    CHECK(r.lines() == Lines{"risks.yaml:3:8: error: 'delay' is [min, max]: 10 is more than 2 [invalid-range]"});
    CHECK_FALSE(r.structural);
    CHECK_FALSE(rk.delay.has());
  }
  SUBCASE("three numbers") {
    CHECK(risk("id: R1\ntitle: T\ndelay: [1, 2, 3]\n") ==
          Lines{"risks.yaml:3:8: error: 'delay' must be a list of two whole numbers: [min, max] workdays "
                "[wrong-type]"});
  }
  SUBCASE("a fraction and a negative number") {
    CHECK(risk("id: R1\ntitle: T\ndelay: [1.5, -2]\n") ==
          Lines{"risks.yaml:3:9: error: 'delay' must be a whole number, not 1.5 [wrong-type]",
                "risks.yaml:3:14: error: 'delay' must be at least 0, not -2 [out-of-range]"});
  }
  SUBCASE("a scalar") {
    CHECK(risk("id: R1\ntitle: T\ndelay: 5\n") ==
          Lines{"risks.yaml:3:8: error: 'delay' must be a list, not an integer [wrong-type]\n"
                "  hint: write it as a list: [5]"});
  }
}

TEST_CASE("risk: affects, review, owner and unknown keys") {
  CHECK(risk("id: R1\ntitle: T\naffects: [A, A]\nreview: 2027-02-30\nowner: 7\nmitigaton: x\n") ==
        Lines{"risks.yaml:3:14: error: 'A' is listed twice in 'affects' (first at line 3) [duplicate-value]",
              "risks.yaml:4:9: error: '2027-02-30' is not a valid date for 'review' [invalid-date]\n"
              "  hint: that day does not exist",
              "risks.yaml:5:8: error: 'owner' must be a string, not an integer [wrong-type]\n  hint: quote it: '7'",
              "risks.yaml:6:1: error: unknown key 'mitigaton' in a risk [unknown-key]\n"
              "  hint: did you mean 'mitigation'?"});
  CHECK(risk("title: T\n") == Lines{"risks.yaml:1:1: error: a risk has no 'id', which is required [missing-key]"});
}

// ---- list files --------------------------------------------------------------------------------

TEST_CASE("the root of a list file is a mapping with its one list") {
  SUBCASE("fine") {
    CHECK(list_root("items: []\nx-meta: {owner: me}\n", "items", "backlog.yaml") == Lines{});
  }
  SUBCASE("not a list") {
    CHECK(list_root("items: 3\n", "items", "backlog.yaml") ==
          Lines{"backlog.yaml:1:8: error: 'items' must be a list, not an integer [wrong-type]"});
  }
  SUBCASE("empty") {
    CHECK(list_root("milestones: ~\n", "milestones", "roadmap.yaml") ==
          Lines{"roadmap.yaml:1:13: error: 'milestones' is empty; write 'milestones: []' for none [wrong-type]"});
  }
  SUBCASE("a typo of the list key") {
    CHECK(list_root("risk: []\n", "risks", "risks.yaml") ==
          Lines{"risks.yaml:1:1: error: unknown key 'risk' in the top level of risks.yaml [unknown-key]\n"
                "  hint: did you mean 'risks'?",
                "risks.yaml:1:1: error: the top level of risks.yaml has no 'risks', which is required [missing-key]"});
  }
  SUBCASE("a list at the top") {
    CHECK(list_root("- id: A\n", "items", "backlog.yaml") ==
          Lines{"backlog.yaml:1:1: error: the top level of backlog.yaml must be a mapping, not a list [wrong-type]"});
  }
}

// ---- tandem.yaml -------------------------------------------------------------------------------

TEST_CASE("a tandem.yaml with every field decodes without findings") {
  model::Config c;
  auto r = config(R"(version: 1
project:
  name: Webshop checkout
  start: 2027-01-04
files:
  backlog: [backlog.yaml, backlog/*.yaml]
  roadmap: roadmap.yaml
  risks: risks.yaml
calendar:
  workdays: [mon, tue, wed, thu, sat]
  holidays: [2027-04-05, 2027-05-01]
  sprint: {start: 2027-01-04, length: 10}
estimates: points
velocity: 30
people:
  - id: alice
    name: Alice Martin
    email: [alice@example.com, a.martin@example.com]
    roles: [product_owner]
  - id: carol
    name: Carol Diaz
    email: carol@example.com
    roles: [developer]
    capacity: 0.8
    off: [{from: 2027-02-01, to: 2027-02-05}, {from: 2027-03-01, to: 2027-03-01}]
roles:
  product_owner: {min: 1, max: 1}
  developer: {min: 1}
  x-comment: ignored
separate: [[product_owner, developer]]
accountable:
  backlog: [product_owner]
  roadmap: [product_owner, developer]
  risks: [developer]
pool: [developer]
priority:
  model: rice
forecast:
  runs: 500
  window: 60
  seed: 42
ownership:
  risks: {"*": developer}
x-team: {slack: "#checkout"}
)",
                  c);
  CHECK(r.lines() == Lines{});
  CHECK(*c.version == 1);
  CHECK(*c.project_name == "Webshop checkout");
  CHECK(*c.project_start == *make_date(2027, 1, 4));
  REQUIRE(c.files["backlog"].size() == 2);
  CHECK(*c.files["backlog"][1] == "backlog/*.yaml");
  CHECK(c.files["backlog"][1].mark == Mark{6, 27});
  CHECK(*c.files["roadmap"][0] == "roadmap.yaml");
  CHECK(c.workdays == std::array<bool, 7>{true, true, true, true, false, true, false});
  CHECK(c.holidays.size() == 2);
  CHECK(*c.sprint_start == *make_date(2027, 1, 4));
  CHECK(*c.sprint_length == 10);
  CHECK(*c.estimates == model::Estimates::points);
  CHECK(*c.velocity == 30);
  REQUIRE(c.people.size() == 2);
  CHECK(c.people[0].emails.values.size() == 2);
  CHECK(c.people[0].capacity_or_default() == 1.0);
  CHECK(*c.people[1].capacity == 0.8);
  CHECK(c.people[1].emails.values.size() == 1);
  REQUIRE(c.people[1].off.size() == 2);
  CHECK(c.people[1].off[0].from == *make_date(2027, 2, 1));
  CHECK(c.people[1].off[0].to == *make_date(2027, 2, 5));
  CHECK(c.roles_given);
  REQUIRE(c.roles.size() == 2);
  CHECK(c.roles[0].first == "product_owner");
  CHECK(c.roles[0].second.max == 1);
  CHECK_FALSE(c.roles[1].second.max);
  REQUIRE(c.separate.size() == 1);
  CHECK(c.separate[0].values.size() == 2);
  CHECK(c.accountable["roadmap"].values.size() == 2);
  CHECK(c.pool.values.size() == 1);
  CHECK(*c.priority_model == model::PriorityModel::rice);
  CHECK(*c.forecast_runs == 500);
  CHECK(*c.forecast_window == 60);
  CHECK(*c.forecast_seed == 42);
  CHECK(c.ownership_mark == Mark{43, 3});
}

TEST_CASE("config: only version, project.name and people are required") {
  model::Config c;
  CHECK(config("version: 1\nproject: {name: X}\npeople: []\n", c).lines() == Lines{});
  CHECK_FALSE(c.roles_given);
  CHECK(c.workdays == std::array<bool, 7>{true, true, true, true, true, false, false});
  CHECK(c.files.empty());
  CHECK(c.ownership_mark.line == 0);
  CHECK(config("x-only: 1\n") ==
        Lines{"tandem.yaml:1:1: error: tandem.yaml has no 'version', which is required [missing-key]",
              "tandem.yaml:1:1: error: tandem.yaml has no 'project', which is required [missing-key]",
              "tandem.yaml:1:1: error: tandem.yaml has no 'people', which is required [missing-key]"});
  CHECK(config("version: 1\nproject: {start: 2027-01-04}\npeople: []\n") ==
        Lines{"tandem.yaml:2:10: error: 'project' has no 'name', which is required [missing-key]"});
}

TEST_CASE("config: the top level is a mapping, and unknown keys get a hint") {
  CHECK(config("- version: 1\n") ==
        Lines{"tandem.yaml:1:1: error: tandem.yaml must be a mapping, not a list [wrong-type]"});
  CHECK(config(config_with("peeple: []\n")) ==
        Lines{"tandem.yaml:4:1: error: unknown key 'peeple' in tandem.yaml [unknown-key]\n"
              "  hint: did you mean 'people'?"});
  CHECK(config("version: 1\nproject: {name: X, strat: 2027-01-04}\npeople: []\n") ==
        Lines{"tandem.yaml:2:20: error: unknown key 'strat' in 'project' [unknown-key]\n"
              "  hint: did you mean 'start'?"});
}

TEST_CASE("config: version 1 is the only version") {
  CHECK(config("version: 2\nproject: {name: X}\npeople: []\n") ==
        Lines{"tandem.yaml:1:10: error: version 2 is not supported; this tandem reads version 1 [invalid-value]"});
  CHECK(config("version: \"1\"\nproject: {name: X}\npeople: []\n") ==
        Lines{"tandem.yaml:1:10: error: 'version' must be a number, not a string [wrong-type]\n"
              "  hint: remove the quotes: a quoted number is a string in YAML"});
  // 1.0 is the whole number 1, as JSON Schema counts it.
  CHECK(config("version: 1.0\nproject: {name: X}\npeople: []\n") == Lines{});
  CHECK(config("version: 1.5\nproject: {name: X}\npeople: []\n") ==
        Lines{"tandem.yaml:1:10: error: 'version' must be a whole number, not 1.5 [wrong-type]"});
  CHECK(config("version: 1\nproject: Demo\npeople: []\n") ==
        Lines{"tandem.yaml:2:10: error: 'project' must be a mapping, not a string [wrong-type]"});
  CHECK(config("version: 1\nproject: {name: X, start: 2027-13-01}\npeople: []\n") ==
        Lines{"tandem.yaml:2:27: error: '2027-13-01' is not a valid date for 'start' [invalid-date]\n"
              "  hint: that day does not exist"});
}

TEST_CASE("config: files are a path or a non-empty list of paths") {
  CHECK(config(config_with("files: {backlog: 42}\n")) ==
        Lines{"tandem.yaml:4:18: error: 'backlog' must be a path or a list of paths, not an integer [wrong-type]"});
  CHECK(config(config_with("files: {roadmap: []}\n")) ==
        Lines{"tandem.yaml:4:18: error: 'roadmap' must list at least 1 value [invalid-value]"});
  CHECK(config(config_with("files: {risks: ''}\n")) ==
        Lines{"tandem.yaml:4:16: error: 'risks' must not be empty [invalid-value]"});
  CHECK(config(config_with("files: {backlgo: a.yaml}\n")) ==
        Lines{"tandem.yaml:4:9: error: unknown key 'backlgo' in 'files' [unknown-key]\n"
              "  hint: did you mean 'backlog'?"});
  CHECK(config(config_with("files: [backlog.yaml]\n")) ==
        Lines{"tandem.yaml:4:8: error: 'files' must be a mapping, not a list [wrong-type]"});
}

TEST_CASE("config: the calendar's workdays, holidays and sprint") {
  SUBCASE("a repeated workday") {
    CHECK(config(config_with("calendar: {workdays: [mon, tue, mon]}\n")) ==
          Lines{"tandem.yaml:4:33: error: 'mon' is listed twice in workdays [duplicate-value]"});
  }
  SUBCASE("a word that is not a weekday") {
    CHECK(config(config_with("calendar: {workdays: [monday, mno]}\n")) ==
          Lines{"tandem.yaml:4:23: error: 'monday' is not a valid weekday (one of: mon, tue, wed, thu, fri, sat, sun) "
                "[invalid-value]",
                "tandem.yaml:4:31: error: 'mno' is not a valid weekday (one of: mon, tue, wed, thu, fri, sat, sun) "
                "[invalid-value]\n  hint: did you mean 'mon'?"});
  }
  SUBCASE("no workdays at all") {
    CHECK(config(config_with("calendar: {workdays: []}\n")) ==
          Lines{"tandem.yaml:4:22: error: 'workdays' must list at least 1 value [invalid-value]"});
  }
  SUBCASE("holidays") {
    CHECK(config(config_with("calendar:\n  holidays: [2027-04-05, 2027-04-05, 2027-02-29, 2027/01/01]\n")) ==
          Lines{"tandem.yaml:5:26: error: '2027-04-05' is listed twice in holidays [duplicate-value]",
                "tandem.yaml:5:38: error: '2027-02-29' is not a valid date for 'holidays' [invalid-date]\n"
                "  hint: that day does not exist",
                "tandem.yaml:5:50: error: '2027/01/01' is not a valid date for 'holidays' [invalid-date]\n"
                "  hint: write dates as YYYY-MM-DD"});
  }
  SUBCASE("sprint") {
    CHECK(config(config_with("calendar:\n  sprint: {start: 2027-01-04}\n")) ==
          Lines{"tandem.yaml:5:11: error: 'sprint' has no 'length', which is required [missing-key]"});
    CHECK(config(config_with("calendar:\n  sprint: {start: 2027-01-04, length: 0}\n")) ==
          Lines{"tandem.yaml:5:39: error: 'length' must be at least 1, not 0 [out-of-range]"});
    CHECK(config(config_with("calendar:\n  sprint: {start: 2027-01-04, length: 1001}\n")) ==
          Lines{"tandem.yaml:5:39: error: 'length' must be at most 1000, not 1001 [out-of-range]"});
  }
  SUBCASE("an unknown calendar key") {
    CHECK(config(config_with("calendar: {holiday: []}\n")) ==
          Lines{"tandem.yaml:4:12: error: unknown key 'holiday' in 'calendar' [unknown-key]\n"
                "  hint: did you mean 'holidays'?"});
  }
}

TEST_CASE("config: estimates, velocity, priority model and forecast settings") {
  CHECK(config(config_with("estimates: hours\n")) ==
        Lines{"tandem.yaml:4:12: error: 'hours' is not a valid estimates (one of: days, points) [invalid-value]"});
  CHECK(config(config_with("velocity: 0\n")) ==
        Lines{"tandem.yaml:4:11: error: 'velocity' must be greater than 0, not 0 [out-of-range]"});
  CHECK(config(config_with("priority: {model: wsjff}\n")) ==
        Lines{"tandem.yaml:4:19: error: 'wsjff' is not a valid model (one of: wsjf, rice, value, moscow, manual) "
              "[invalid-value]\n  hint: did you mean 'wsjf'?"});
  CHECK(config(config_with("forecast: {runs: 0, window: 1.5, seed: -1}\n")) ==
        Lines{"tandem.yaml:4:18: error: 'runs' must be at least 1, not 0 [out-of-range]",
              "tandem.yaml:4:29: error: 'window' must be a whole number, not 1.5 [wrong-type]",
              "tandem.yaml:4:40: error: 'seed' must be at least 0, not -1 [out-of-range]"});
  CHECK(config(config_with("forecast: {runs: 10000001}\n")) ==
        Lines{"tandem.yaml:4:18: error: 'runs' must be at most 10000000, not 10000001 [out-of-range]"});
  CHECK(config(config_with("forecast: {runs: 10000000, window: 1000000, seed: 9007199254740992}\n")) == Lines{});
}

TEST_CASE("config: people and their fields") {
  SUBCASE("people is a list") {
    CHECK(config("version: 1\nproject: {name: X}\npeople: {alice: {}}\n") ==
          Lines{"tandem.yaml:3:9: error: 'people' must be a list, not a mapping [wrong-type]"});
  }
  SUBCASE("a person needs an id") {
    CHECK(config("version: 1\nproject: {name: X}\npeople:\n  - name: Alice\n") ==
          Lines{"tandem.yaml:4:5: error: a person has no 'id', which is required [missing-key]"});
  }
  SUBCASE("a person that is not a mapping") {
    CHECK(config("version: 1\nproject: {name: X}\npeople: [alice]\n") ==
          Lines{"tandem.yaml:3:10: error: a person must be a mapping, not a string [wrong-type]"});
  }
  SUBCASE("an unknown key") {
    CHECK(config(person_with("    emial: p@example.com\n")) ==
          Lines{"tandem.yaml:5:5: error: unknown key 'emial' in a person [unknown-key]\n"
                "  hint: did you mean 'email'?"});
  }
  SUBCASE("email addresses") {
    CHECK(config(person_with("    email: bob\n")) ==
          Lines{"tandem.yaml:5:12: error: 'bob' is not an email address [invalid-value]"});
    CHECK(config(person_with("    email: [a@x.io, 'b c@x.io', a@b@c, '@x.io', 'x@']\n")) ==
          Lines{"tandem.yaml:5:21: error: 'b c@x.io' is not an email address [invalid-value]",
                "tandem.yaml:5:33: error: 'a@b@c' is not an email address [invalid-value]",
                "tandem.yaml:5:40: error: '@x.io' is not an email address [invalid-value]",
                "tandem.yaml:5:49: error: 'x@' is not an email address [invalid-value]"});
    CHECK(config(person_with("    email: [a@x.io, a@x.io]\n")) ==
          Lines{"tandem.yaml:5:21: error: 'a@x.io' is listed twice in 'email' (first at line 5) [duplicate-value]"});
    CHECK(config(person_with("    email: []\n")) ==
          Lines{"tandem.yaml:5:12: error: 'email' must list at least 1 value [invalid-value]"});
    CHECK(config(person_with("    email: 42\n")) ==
          Lines{"tandem.yaml:5:12: error: 'email' must be a string or a list of strings, not an integer [wrong-type]"});
  }
  SUBCASE("capacity is a share of a day, 0 to 1") {
    CHECK(config(person_with("    capacity: 1.2\n")) ==
          Lines{"tandem.yaml:5:15: error: 'capacity' must be at most 1, not 1.2 [out-of-range]"});
    CHECK(config(person_with("    capacity: -0.1\n")) ==
          Lines{"tandem.yaml:5:15: error: 'capacity' must be at least 0, not -0.1 [out-of-range]"});
    CHECK(config(person_with("    capacity: \"0.5\"\n")) ==
          Lines{"tandem.yaml:5:15: error: 'capacity' must be a number, not a string [wrong-type]\n"
                "  hint: remove the quotes: a quoted number is a string in YAML"});
    CHECK(config(person_with("    capacity: 0\n")) == Lines{});
    CHECK(config(person_with("    capacity: 1\n")) == Lines{});
  }
  SUBCASE("off ranges") {
    model::Config c;
    auto r = config(person_with("    off: [{from: 2027-02-05, to: 2027-02-01}]\n"), c);
    CHECK(r.lines() == Lines{"tandem.yaml:5:11: error: 'off' range ends (2027-02-01) before it starts (2027-02-05) "
                             "[invalid-range]"});
    CHECK_FALSE(r.structural);
    CHECK(c.people[0].off.empty());
    CHECK(config(person_with("    off: [{from: 2027-02-05}]\n")) ==
          Lines{"tandem.yaml:5:11: error: an 'off' range has no 'to', which is required [missing-key]"});
    CHECK(config(person_with("    off: [{from: 2027-02-05, to: 2027-02-30}]\n")) ==
          Lines{"tandem.yaml:5:34: error: '2027-02-30' is not a valid date for 'to' [invalid-date]\n"
                "  hint: that day does not exist"});
    CHECK(config(person_with("    off: {from: 2027-02-05, to: 2027-02-06}\n")) ==
          Lines{"tandem.yaml:5:10: error: 'off' must be a list, not a mapping [wrong-type]"});
  }
  SUBCASE("roles") {
    CHECK(config(person_with("    roles: [developer, developer]\n")) ==
          Lines{"tandem.yaml:5:24: error: 'developer' is listed twice in 'roles' (first at line 5) [duplicate-value]"});
    CHECK(config(person_with("    roles: developer\n")) ==
          Lines{"tandem.yaml:5:12: error: 'roles' must be a list, not a string [wrong-type]\n"
                "  hint: write it as a list: [developer]"});
  }
  SUBCASE("names and ids") {
    CHECK(config(person_with("    name: ''\n")) ==
          Lines{"tandem.yaml:5:11: error: 'name' must not be empty [invalid-value]"});
    CHECK(config("version: 1\nproject: {name: X}\npeople:\n  - id: al ice\n") ==
          Lines{"tandem.yaml:4:9: error: 'al ice' is not a valid id for 'id' [invalid-id]\n"
                "  hint: an id starts with a letter and has only letters, digits, '_', '.' and '-' (at most 128)"});
  }
}

TEST_CASE("config: roles, separate, accountable and pool") {
  SUBCASE("a role name that is not an id") {
    CHECK(config(config_with("roles: {\"1x\": {min: 1}}\n")) ==
          Lines{"tandem.yaml:4:9: error: '1x' is not a valid role name [invalid-id]\n"
                "  hint: a role name starts with a letter and has only letters, digits, '_', '.' and '-'"});
  }
  SUBCASE("counts") {
    CHECK(config(config_with("roles: {developer: {min: -1, max: 1.5}}\n")) ==
          Lines{"tandem.yaml:4:26: error: 'min' must be at least 0, not -1 [out-of-range]",
                "tandem.yaml:4:35: error: 'max' must be a whole number, not 1.5 [wrong-type]"});
    CHECK(config(config_with("roles: {developer: {mni: 1}}\n")) ==
          Lines{"tandem.yaml:4:21: error: unknown key 'mni' in role 'developer' [unknown-key]\n"
                "  hint: did you mean 'min'?"});
    CHECK(config(config_with("roles: {developer: 3}\n")) ==
          Lines{"tandem.yaml:4:20: error: role 'developer' must be a mapping, not an integer [wrong-type]"});
    CHECK(config(config_with("roles: [developer]\n")) ==
          Lines{"tandem.yaml:4:8: error: 'roles' must be a mapping, not a list [wrong-type]"});
  }
  SUBCASE("a role with no limits is declared") {
    model::Config c;
    CHECK(config(config_with("roles: {tester: {}}\n"), c).lines() == Lines{});
    REQUIRE(c.roles.size() == 1);
    CHECK(c.roles[0].first == "tester");
    CHECK(c.roles[0].second.mark == Mark{4, 9});
  }
  SUBCASE("separate groups need two roles") {
    CHECK(config(config_with("separate: [[product_owner]]\n")) ==
          Lines{"tandem.yaml:4:12: error: 'separate' must list at least 2 values [invalid-value]"});
    CHECK(config(config_with("separate: product_owner\n")) ==
          Lines{"tandem.yaml:4:11: error: 'separate' must be a list, not a string [wrong-type]\n"
                "  hint: write it as a list: [product_owner]"});
    CHECK(config(config_with("separate: [[a, a]]\n")) ==
          Lines{"tandem.yaml:4:16: error: 'a' is listed twice in 'separate' (first at line 4) [duplicate-value]"});
  }
  SUBCASE("accountable names a file kind") {
    CHECK(config(config_with("accountable: {backlog: [product_owner], tasks: [developer]}\n")) ==
          Lines{"tandem.yaml:4:41: error: unknown key 'tasks' in 'accountable' [unknown-key]"});
    CHECK(config(config_with("accountable: {risks: developer}\n")) ==
          Lines{"tandem.yaml:4:22: error: 'risks' must be a list, not a string [wrong-type]\n"
                "  hint: write it as a list: [developer]"});
  }
  SUBCASE("pool is a list of roles") {
    CHECK(config(config_with("pool: developer\n")) ==
          Lines{"tandem.yaml:4:7: error: 'pool' must be a list, not a string [wrong-type]\n"
                "  hint: write it as a list: [developer]"});
  }
}

TEST_CASE("signing keys: SSH public key lines and OpenPGP fingerprints; anything else is an error") {
  model::Config c;
  auto r = config(person_with("    signing_keys:\n"
                              "      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1 alice@laptop\n"
                              "      - 0123 4567 89ab CDEF 0123 4567 89AB CDEF 0123 4567\n"),
                  c);
  CHECK(r.lines() == Lines{});
  REQUIRE(c.people.size() == 1);
  REQUIRE(c.people[0].signing_keys.values.size() == 2);
  CHECK(*c.people[0].signing_keys.values[0] == "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1 alice@laptop");
  CHECK(*c.people[0].signing_keys.values[1] == "0123456789ABCDEF0123456789ABCDEF01234567");
  const std::string hint =
      "\n  hint: write an SSH public key line (the contents of ~/.ssh/id_ed25519.pub: ssh-ed25519 AAAA… comment) "
      "or an OpenPGP fingerprint (40 hex digits, gpg --fingerprint)";
  CHECK(config(person_with("    signing_keys: [ssh-ed25519 not*base64, abc, ssh-dss AAAA]\n")) ==
        Lines{"tandem.yaml:5:20: error: 'ssh-ed25519 not*base64' is not a signing key [invalid-value]" + hint,
              "tandem.yaml:5:44: error: 'abc' is not a signing key [invalid-value]" + hint,
              "tandem.yaml:5:49: error: 'ssh-dss AAAA' is not a signing key [invalid-value]" + hint});
}

TEST_CASE("trust: signatures off or required, and a keyring path") {
  model::Config c;
  CHECK(config(config_with("trust: {signatures: required, keyring: keys/team.asc}\n"), c).lines() == Lines{});
  CHECK(*c.trust_signatures == model::Signatures::required);
  CHECK(*c.trust_keyring == "keys/team.asc");
  auto typo = config(config_with("trust: {signatures: requird}\n"));
  REQUIRE(typo.size() == 1);
  CHECK(typo[0] == "tandem.yaml:4:21: error: 'requird' is not a valid signatures (one of: off, required) "
                   "[invalid-value]\n  hint: did you mean 'required'?");
  CHECK(config(config_with("trust: {signature: off}\n")).size() == 1);
}

TEST_CASE("a whole number too large for its field is out-of-range, not cast") {
  // The fuzzer's input: 111111111111 fits the schema's range of `version` but not an int.
  CHECK(config("version: 111111111111\nproject: {name: Demo}\npeople: []\n") ==
        Lines{"tandem.yaml:1:10: error: 'version' must be at most 2147483647, not 111111111111 [out-of-range]"});
}
