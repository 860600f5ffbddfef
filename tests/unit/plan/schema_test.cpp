#include "core/plan/schema.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/plan/decode.hpp"
#include "core/plan/ownership.hpp"
#include "core/plan/yaml.hpp"
#include "support/fake_source.hpp"

using namespace tandem;
using nlohmann::json;
using schema::Kind;
using tandem::test::formatted;

namespace {

constexpr Kind k_kinds[] = {Kind::config, Kind::backlog, Kind::roadmap, Kind::risks};

yaml::NodePtr parse(std::string_view text) {
  Diagnostics diags;
  auto root = yaml::parse(text, "test.yaml", diags);
  INFO(formatted(diags));
  REQUIRE(diags.size() == 0);
  REQUIRE(root);
  return root;
}

json to_json(std::string_view text) { return schema::to_json(*parse(text)); }

/// Violations of one element (an item, milestone or risk) or of a whole tandem.yaml.
std::vector<schema::Violation> violations(Kind kind, const yaml::Node& node) {
  const auto& v = schema::Validator::with_patterns();
  return kind == Kind::config ? v.validate(kind, schema::to_json(node)) : v.validate_element(kind, schema::to_json(node));
}

/// Whether the decoder made a finding that the schema should also make, and all of its findings.
bool decoder_structural(Kind kind, const yaml::Node& node, Diagnostics& diags) {
  decode::Context ctx{diags, "test.yaml", 0};
  switch (kind) {
    case Kind::backlog: {
      model::Item it;
      decode::decode_item(node, ctx, it);
      break;
    }
    case Kind::roadmap: {
      model::Milestone m;
      decode::decode_milestone(node, ctx, m);
      break;
    }
    case Kind::risks: {
      model::Risk r;
      decode::decode_risk(node, ctx, r);
      break;
    }
    case Kind::config: {
      model::Config c;
      decode::decode_config(node, ctx, c);
      ownership::decode(node.get("ownership"), ctx);
      break;
    }
  }
  return ctx.structural;
}

struct Case {
  Kind kind;
  std::string yaml;
};

std::string config(std::string_view rest) { return "version: 1\nproject: {name: X}\npeople: []\n" + std::string(rest); }
std::string person(std::string_view keys) {
  return "version: 1\nproject: {name: X}\npeople:\n  - {id: p, " + std::string(keys) + "}\n";
}

void check_agreement(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    CAPTURE(schema::name(c.kind));
    CAPTURE(c.yaml);
    auto node = parse(c.yaml);
    Diagnostics diags;
    bool structural = decoder_structural(c.kind, *node, diags);
    auto v = violations(c.kind, *node);
    std::vector<std::string> messages;
    for (const auto& x : v) messages.push_back(x.message);
    CAPTURE(formatted(diags));
    CAPTURE(messages);
    CHECK(structural == !v.empty());
  }
}

}  // namespace

TEST_CASE("every embedded schema is draft-07 JSON, the same as the file in schemas/") {
  for (Kind k : k_kinds) {
    CAPTURE(schema::name(k));
    json doc = json::parse(schema::embedded(k));
    CHECK(doc["$schema"] == "http://json-schema.org/draft-07/schema#");
    CHECK(doc["type"] == "object");
    CHECK(doc.contains("definitions"));
    std::ifstream in(std::string(TANDEM_SOURCE_DIR) + "/schemas/" + std::string(schema::name(k)) + ".schema.json");
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == schema::embedded(k));
  }
}

TEST_CASE("schema kinds have names") {
  for (Kind k : k_kinds) CHECK(schema::kind_from_name(schema::name(k)) == k);
  CHECK(schema::name(Kind::backlog) == "backlog");
  CHECK_FALSE(schema::kind_from_name("items"));
}

TEST_CASE("the validator compiles every schema once") {
  const auto& a = schema::Validator::instance();
  const auto& b = schema::Validator::instance();
  CHECK(&a == &b);
}

TEST_CASE("to_json keeps the YAML 1.2 core-schema types") {
  json j = to_json(R"(i: 42
neg: -7
hex: 0x10
r: 1.5
s: "42"
d: 2027-01-04
b: false
n: ~
l: [1, a]
m: {k: v}
inf: .inf
nan: .nan
big: 1e400
huge: 123456789012345678901234567890
yes: yes
)");
  CHECK(j["i"].is_number_integer());
  CHECK(j["i"] == 42);
  CHECK(j["neg"] == -7);
  CHECK(j["hex"] == 16);
  CHECK(j["r"].is_number_float());
  CHECK(to_json("w: 3.0\nx: 5e0\n") == json{{"w", 3}, {"x", 5}});
  CHECK(j["r"] == 1.5);
  CHECK(j["s"] == "42");
  CHECK(j["d"] == "2027-01-04");
  CHECK(j["b"] == false);
  CHECK(j["n"].is_null());
  CHECK(j["l"] == json::array({1, "a"}));
  CHECK(j["m"] == json{{"k", "v"}});
  // Numbers that JSON cannot hold become their text, so the schema's type check rejects them.
  CHECK(j["inf"] == ".inf");
  CHECK(j["nan"] == ".nan");
  CHECK(j["big"] == "1e400");
  CHECK(j["huge"].is_number_float());
  CHECK(j["huge"] == 123456789012345678901234567890.0);
  CHECK(j["yes"] == "yes");
}

TEST_CASE("validate_element passes a good item and flags a bad one with the path of the value") {
  const auto& v = schema::Validator::instance();
  SUBCASE("good") {
    CHECK(v.validate_element(Kind::backlog, to_json("{id: A, title: T, value: 3, depends_on: [B], x-k: 1}")).empty());
    CHECK(v.validate_element(Kind::roadmap, to_json("{id: M1, title: T, target: 2027-03-01, committed: true}")).empty());
    CHECK(v.validate_element(Kind::risks, to_json("{id: R1, title: T, probability: 2, delay: [1, 3]}")).empty());
  }
  SUBCASE("a quoted number") {
    auto out = v.validate_element(Kind::backlog, to_json("{id: A, title: T, value: \"3\"}"));
    REQUIRE_FALSE(out.empty());
    bool found = false;
    for (const auto& x : out) found = found || x.path == std::vector<std::string>{"value"};
    CHECK(found);
  }
  SUBCASE("an unknown key, a missing title, a bad enum") {
    CHECK_FALSE(v.validate_element(Kind::backlog, to_json("{id: A, title: T, vaule: 3}")).empty());
    CHECK_FALSE(v.validate_element(Kind::backlog, to_json("{id: A}")).empty());
    CHECK_FALSE(v.validate_element(Kind::backlog, to_json("{id: A, title: T, status: finished}")).empty());
    CHECK_FALSE(v.validate_element(Kind::risks, to_json("{id: R1, title: T, impact: 6}")).empty());
    CHECK_FALSE(v.validate_element(Kind::roadmap, to_json("{id: M1, title: T, committed: yes}")).empty());
  }
  SUBCASE("the element of config is a person") {
    CHECK(v.validate_element(Kind::config, to_json("{id: p, email: p@x.io, capacity: 0.5}")).empty());
    CHECK_FALSE(v.validate_element(Kind::config, to_json("{id: p, capacity: 2}")).empty());
  }
}

TEST_CASE("validate checks whole documents") {
  const auto& v = schema::Validator::instance();
  CHECK(v.validate(Kind::config, to_json(test::k_config)).empty());
  CHECK(v.validate(Kind::backlog, to_json("items: [{id: A, title: T}]\nx-meta: 1\n")).empty());
  CHECK(v.validate(Kind::roadmap, to_json("milestones: []\n")).empty());
  CHECK(v.validate(Kind::risks, to_json("risks: []\n")).empty());
  CHECK_FALSE(v.validate(Kind::config, to_json("version: 1\n")).empty());
  CHECK_FALSE(v.validate(Kind::backlog, to_json("items: 3\n")).empty());
  auto out = v.validate(Kind::backlog, to_json("items: [{id: A, title: T}, {id: B, title: 5}]\n"));
  REQUIRE_FALSE(out.empty());
  std::size_t deepest = 0;
  for (const auto& x : out) deepest = std::max(deepest, x.path.size());
  bool found = false;
  for (const auto& x : out) found = found || x.path == std::vector<std::string>{"items", "1", "title"};
  CHECK(found);
}

TEST_CASE("node_at follows keys and indexes, stopping at the deepest node found") {
  auto root = parse("items:\n  - id: A\n  - id: B\n    tags: [x, y]\n");
  CHECK(schema::node_at(*root, {"items", "1", "tags", "1"}).text == "y");
  CHECK(schema::node_at(*root, {"items", "1", "tags", "1"}).mark == Mark{4, 15});
  CHECK(schema::node_at(*root, {"items", "0", "id"}).text == "A");
  CHECK(&schema::node_at(*root, {}) == root.get());
  CHECK(&schema::node_at(*root, {"items", "7"}) == root->get("items"));
  CHECK(&schema::node_at(*root, {"items", "x"}) == root->get("items"));
  CHECK(schema::node_at(*root, {"items", "0", "nope"}).mark == Mark{2, 5});
}

TEST_CASE("the decoder and the schemas agree on what is structurally wrong") {
  check_agreement({
      // items
      {Kind::backlog, "{id: A, title: T}"},
      {Kind::backlog, "{id: A, title: T, type: bug, status: done, owner: p, assignee: q, milestone: M, value: 0, "
                      "time_criticality: 1.5, risk_reduction: 2, size: 1, estimate: 0.5, remaining: 0, depends_on: [B], "
                      "moscow: must, rice: {reach: 1, impact: 1, confidence: 1, effort: 1}, started: 2027-01-01, "
                      "done: 2027-01-02, tags: [a], acceptance: [x, x], description: '', x-y: 1}"},
      {Kind::backlog, "{id: A, title: 42}"},
      {Kind::backlog, "{id: A, title: ''}"},
      {Kind::backlog, "{id: A}"},
      {Kind::backlog, "{id: 1A, title: T}"},
      {Kind::backlog, "{id: A, title: T, vaule: 1}"},
      {Kind::backlog, "{id: A, title: T, value: '8'}"},
      {Kind::backlog, "{id: A, title: T, value: -1}"},
      {Kind::backlog, "{id: A, title: T, value: 1e400}"},
      {Kind::backlog, "{id: A, title: T, value: .nan}"},
      {Kind::backlog, "{id: A, title: T, estimate: 0}"},
      {Kind::backlog, "{id: A, title: T, status: dnoe}"},
      {Kind::backlog, "{id: A, title: T, depends_on: [B, B]}"},
      {Kind::backlog, "{id: A, title: T, depends_on: B}"},
      {Kind::backlog, "{id: A, title: T, tags: [a, a]}"},
      {Kind::backlog, "{id: A, title: T, tags: ['']}"},
      {Kind::backlog, "{id: A, title: T, rice: {reach: 1, impact: 1, confidence: 2, effort: 1}}"},
      {Kind::backlog, "{id: A, title: T, rice: {reach: 1, impact: 1, confidence: 1}}"},
      {Kind::backlog, "{id: A, title: T, started: 2027-02-30}"},
      {Kind::backlog, "{id: A, title: T, started: 2027-2-3}"},
      {Kind::backlog, "{id: A, title: T, started: 20270203}"},
      {Kind::backlog, "[a]"},
      // milestones
      {Kind::roadmap, "{id: M1, title: T, goal: G, owner: p, target: 2027-03-01, committed: false, depends_on: [M0]}"},
      {Kind::roadmap, "{id: M1, title: T, committed: yes}"},
      {Kind::roadmap, "{id: M1, title: T, target: 2027-04-31}"},
      {Kind::roadmap, "{id: M1, title: T, tagret: 2027-04-01}"},
      // risks
      {Kind::risks, "{id: R1, title: T, status: closed, probability: 5, impact: 1, response: accept, review: "
                    "2027-01-01, affects: [A], delay: [0, 3], mitigation: m}"},
      {Kind::risks, "{id: R1, title: T, probability: 2.5}"},
      {Kind::risks, "{id: R1, title: T, probability: 0}"},
      {Kind::risks, "{id: R1, title: T, impact: '3'}"},
      {Kind::risks, "{id: R1, title: T, delay: [1, 2, 3]}"},
      {Kind::risks, "{id: R1, title: T, delay: [5, 1]}"},
      {Kind::risks, "{id: R1, title: T, delay: [-1, 1]}"},
      {Kind::risks, "{id: R1, title: T, response: maybe}"},
      // tandem.yaml
      {Kind::config, config("")},
      {Kind::config, std::string(test::k_config)},
      {Kind::config, "version: 1\nproject: {name: X}\n"},
      {Kind::config, config("peeple: []\n").replace(0, 10, "version: 2")},
      {Kind::config, config("files: {backlog: [a.yaml, 'b/*.yaml'], roadmap: r.yaml}\n")},
      {Kind::config, config("files: {backlog: []}\n")},
      {Kind::config, config("files: {backlog: ''}\n")},
      {Kind::config, config("calendar: {workdays: [mon, mon]}\n")},
      {Kind::config, config("calendar: {workdays: [monday]}\n")},
      {Kind::config, config("calendar: {holidays: [2027-01-01, 2027-01-01]}\n")},
      {Kind::config, config("calendar: {sprint: {start: 2027-01-04}}\n")},
      {Kind::config, config("calendar: {sprint: {start: 2027-01-04, length: 0}}\n")},
      {Kind::config, config("estimates: hours\n")},
      {Kind::config, config("velocity: 0\n")},
      {Kind::config, config("roles: {developer: {min: 1, max: 2}, x-note: 1}\n")},
      {Kind::config, config("roles: {developer: {min: -1}}\n")},
      {Kind::config, config("roles: {'1x': {}}\n")},
      {Kind::config, config("separate: [[a]]\n")},
      {Kind::config, config("separate: [[a, a]]\n")},
      {Kind::config, config("accountable: {tasks: [a]}\n")},
      {Kind::config, config("pool: developer\n")},
      {Kind::config, config("priority: {model: best}\n")},
      {Kind::config, config("forecast: {runs: 0}\n")},
      {Kind::config, config("forecast: {runs: 100, window: 30, seed: 0}\n")},
      {Kind::config, person("email: [a@x.io, b@x.io], capacity: 0.5, roles: [developer]")},
      {Kind::config, person("email: 'a b@x.io'")},
      {Kind::config, person("email: [a@x.io, a@x.io]")},
      {Kind::config, person("capacity: 1.2")},
      {Kind::config, person("off: [{from: 2027-01-05, to: 2027-01-01}]")},
      {Kind::config, person("off: [{from: 2027-01-05}]")},
      {Kind::config, person("name: ''")},
      {Kind::config, config("ownership: {backlog: {create: developer, fields: {title: [a, b], '*': {all: [a]}}}}\n")},
      {Kind::config, config("ownership: {risks: {'*': project_manager}}\n")},
      {Kind::config, config("ownership: {backlog: {create: []}}\n")},
      {Kind::config, config("ownership: {backlog: {fields: {titel: a}}}\n")},
      {Kind::config, config("ownership: {tasks: {}}\n")},
      {Kind::config, config("ownership: {backlog: {create: [developer, developer]}}\n")},
      {Kind::config, config("ownership: {backlog: {fields: {id: developer}}}\n")},
      {Kind::config, config("ownership: {backlog: {fields: {x-note: 1}}, x-other: 2}\n")},
      {Kind::backlog, "{id: A, title: T, done: 2027-13-01}"},
      {Kind::backlog, "{id: A, title: T, done: 2027-01-00}"},
      {Kind::backlog, "{id: A, title: T, done: 2027-01-32}"},
  });
}

TEST_CASE("the decoder and the schemas agree on the largest numbers allowed") {
  check_agreement({
      {Kind::config, config("calendar: {sprint: {start: 2027-01-04, length: 1001}}\n")},
      {Kind::config, config("forecast: {window: 1000001}\n")},
      {Kind::config, config("forecast: {seed: 10000000000000000}\n")},
      {Kind::config, config("roles: {developer: {max: 1000000001}}\n")},
      {Kind::risks, "{id: R1, title: T, delay: [0, 1000001]}"},
  });
}
