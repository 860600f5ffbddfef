#include "core/plan/ownership.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/plan/yaml.hpp"
#include "support/fake_source.hpp"

using namespace tandem;
using ownership::Requirement;
using ownership::Rules;
using tandem::test::formatted;
using Lines = std::vector<std::string>;
using Roles = std::vector<std::string>;

namespace {

struct Decoded {
  Rules rules;
  Diagnostics diags;
  yaml::NodePtr root;  // keeps the nodes alive
};

/// Decodes the `ownership` key of a tandem.yaml text (absent: the defaults).
Decoded decode_rules(std::string_view text) {
  Decoded d;
  Diagnostics parse_diags;
  d.root = yaml::parse(text, "tandem.yaml", parse_diags);
  REQUIRE(parse_diags.size() == 0);
  decode::Context ctx{d.diags, "tandem.yaml", 0};
  d.rules = ownership::decode(d.root ? d.root->get("ownership") : nullptr, ctx);
  return d;
}

std::string str(const Requirement& r) { return ownership::to_string(r); }

}  // namespace

TEST_CASE("requirements print as a role, a list of roles, or {all: [...]}") {
  CHECK(str({{"product_owner"}, {}, false}) == "product_owner");
  CHECK(str({{"developer", "project_manager"}, {}, false}) == "[developer, project_manager]");
  CHECK(str({{"product_owner", "project_manager"}, {}, true}) == "{all: [product_owner, project_manager]}");
  CHECK(str({{"product_owner"}, {}, true}) == "{all: [product_owner]}");
}

TEST_CASE("field_names lists every field of a kind, with the pseudo-field order") {
  const auto& backlog = ownership::field_names("backlog");
  CHECK(backlog.front() == "id");
  CHECK(backlog.back() == "order");
  CHECK(backlog.size() == 22);
  CHECK(ownership::field_names("roadmap") ==
        Roles{"id", "title", "goal", "owner", "target", "committed", "depends_on", "order"});
  CHECK(ownership::field_names("risks").size() == 12);
  CHECK(ownership::field_names("config").front() == "version");
  CHECK(ownership::field_names("tasks").empty());
}

TEST_CASE("without an ownership section the rules of SPEC section 3 apply") {
  auto d = decode_rules("version: 1\n");
  CHECK(formatted(d.diags) == Lines{});
  const Rules& r = d.rules;
  CHECK(r.kinds.empty());

  SUBCASE("backlog") {
    CHECK(str(r.create("backlog")) == "product_owner");
    CHECK(str(r.remove("backlog")) == "product_owner");
    CHECK(str(r.field("backlog", "estimate")) == "developer");
    CHECK(str(r.field("backlog", "remaining")) == "developer");
    CHECK(str(r.field("backlog", "size")) == "[developer, product_owner]");
    CHECK(str(r.field("backlog", "depends_on")) == "[developer, project_manager]");
    CHECK(str(r.field("backlog", "assignee")) == "project_manager");
    CHECK(str(r.field("backlog", "started")) == "[developer, project_manager]");
    CHECK(str(r.field("backlog", "status")) == "[developer, project_manager]");
    CHECK(str(r.field("backlog", "status", {}, Roles{"todo", "doing"})) == "[developer, project_manager]");
    // Dropping an item, and taking a dropped one back, is the product owner's.
    CHECK(str(r.field("backlog", "status", {}, Roles{"todo", "dropped"})) == "product_owner");
    CHECK(str(r.field("backlog", "status", {}, Roles{"dropped", "todo"})) == "product_owner");
    CHECK(str(r.field("backlog", "done")) == "[developer, project_manager]");
    CHECK(str(r.field("backlog", "done", {}, Roles{"dropped"})) == "[developer, project_manager]");
    for (const char* f : {"title", "description", "value", "time_criticality", "risk_reduction", "moscow", "rice",
                          "milestone", "acceptance", "type", "tags", "owner", "order"}) {
      CAPTURE(f);
      CHECK(str(r.field("backlog", f)) == "product_owner");
    }
  }
  SUBCASE("roadmap") {
    CHECK(str(r.create("roadmap")) == "product_owner");
    CHECK(str(r.remove("roadmap")) == "product_owner");
    // An uncommitted target is the PM's plan; committed before or after the change, it is joint.
    CHECK(str(r.field("roadmap", "target")) == "project_manager");
    CHECK(str(r.field("roadmap", "target", {"committed"})) == "{all: [product_owner, project_manager]}");
    CHECK(str(r.field("roadmap", "committed")) == "{all: [product_owner, project_manager]}");
    CHECK(str(r.field("roadmap", "committed", {"committed"})) == "{all: [product_owner, project_manager]}");
    CHECK(str(r.field("roadmap", "title", {"committed"})) == "product_owner");
    CHECK(str(r.field("roadmap", "depends_on")) == "project_manager");
    CHECK(str(r.field("roadmap", "owner")) == "project_manager");
    for (const char* f : {"title", "goal", "order"}) {
      CAPTURE(f);
      CHECK(str(r.field("roadmap", f)) == "product_owner");
    }
  }
  SUBCASE("risks") {
    CHECK(str(r.create("risks")) == "[project_manager, developer]");
    CHECK(str(r.remove("risks")) == "project_manager");
    CHECK(str(r.field("risks", "status")) == "[project_manager, developer]");
    CHECK(str(r.field("risks", "mitigation")) == "[project_manager, developer]");
    CHECK(str(r.field("risks", "review")) == "[project_manager, developer]");
    for (const char* f : {"title", "owner", "probability", "impact", "response", "affects", "delay", "order"}) {
      CAPTURE(f);
      CHECK(str(r.field("risks", f)) == "project_manager");
    }
  }
  SUBCASE("config") {
    CHECK(str(r.create("config")) == "{all: [product_owner, project_manager]}");
    CHECK(str(r.remove("config")) == "{all: [product_owner, project_manager]}");
    for (const char* f : {"version", "people", "roles", "ownership"}) {
      CAPTURE(f);
      CHECK(str(r.field("config", f)) == "{all: [product_owner, project_manager]}");
    }
  }
}

TEST_CASE("a custom ownership section overrides some rules and keeps the rest") {
  auto d = decode_rules(R"(ownership:
  backlog:
    create: developer
    fields:
      title: [product_owner, developer]
      "*": project_manager
  roadmap:
    fields:
      target: product_owner
  risks:
    "*": developer
    delete: project_manager
  config:
    "*": {all: [product_owner, project_manager, developer]}
  x-note: ignored
)");
  CHECK(formatted(d.diags) == Lines{});
  const Rules& r = d.rules;
  SUBCASE("named fields and the section's fields.*") {
    CHECK(str(r.create("backlog")) == "developer");
    CHECK(str(r.remove("backlog")) == "product_owner");  // not set: default
    CHECK(str(r.field("backlog", "title")) == "[product_owner, developer]");
    CHECK(str(r.field("backlog", "estimate")) == "project_manager");  // fields.* replaces the default's fields
    CHECK(str(r.field("backlog", "order")) == "project_manager");
  }
  SUBCASE("a section without * falls back to the defaults field by field") {
    CHECK(str(r.field("roadmap", "target")) == "product_owner");
    CHECK(str(r.field("roadmap", "committed")) == "{all: [product_owner, project_manager]}");
    CHECK(str(r.field("roadmap", "owner")) == "project_manager");
    CHECK(str(r.field("roadmap", "goal")) == "product_owner");
    CHECK(str(r.create("roadmap")) == "product_owner");
  }
  SUBCASE("the shorthand covers create, delete and every field, below explicit entries") {
    CHECK(str(r.create("risks")) == "developer");
    CHECK(str(r.remove("risks")) == "project_manager");
    CHECK(str(r.field("risks", "status")) == "developer");
    CHECK(str(r.field("risks", "impact")) == "developer");
  }
  SUBCASE("{all: [...]}") {
    CHECK(str(r.field("config", "people")) == "{all: [product_owner, project_manager, developer]}");
    CHECK(str(r.create("config")) == "{all: [product_owner, project_manager, developer]}");
    CHECK(r.field("config", "people").all);
  }
  SUBCASE("roles keep where they were written") {
    const auto& req = r.field("backlog", "title");
    REQUIRE(req.role_marks.size() == 2);
    CHECK(req.role_marks[0] == Mark{5, 15});
    CHECK(req.role_marks[1] == Mark{5, 30});
    CHECK(r.create("backlog").role_marks[0] == Mark{3, 13});
    CHECK(r.field("backlog", "estimate").role_marks[0] == Mark{6, 12});
  }
  SUBCASE("the default rules carry no marks") {
    CHECK(r.field("roadmap", "committed").role_marks.empty());
  }
}

TEST_CASE("a conditional key FIELD if FLAG takes precedence over FIELD when the flag is set") {
  auto d = decode_rules(R"(ownership:
  roadmap:
    fields:
      goal: project_manager
      goal if committed: {all: [product_owner, project_manager]}
      target: product_owner
)");
  CHECK(formatted(d.diags) == Lines{});
  const Rules& r = d.rules;
  CHECK(str(r.field("roadmap", "goal")) == "project_manager");
  CHECK(str(r.field("roadmap", "goal", {"committed"})) == "{all: [product_owner, project_manager]}");
  // The section's own plain `target` rule replaces the default's condition on it.
  CHECK(str(r.field("roadmap", "target", {"committed"})) == "product_owner");
  std::vector<std::string> names;
  auto effective = r.effective();
  for (const auto& [f, req] : effective.at("roadmap").fields) names.push_back(f + "=" + str(req));
  CHECK(names == Roles{"goal=project_manager", "goal if committed={all: [product_owner, project_manager]}",
                       "target=product_owner", "committed={all: [product_owner, project_manager]}",
                       "depends_on=project_manager", "owner=project_manager"});
}

TEST_CASE("a value key FIELD=VALUE takes precedence over FIELD if FLAG and FIELD when VALUE is old or new") {
  auto d = decode_rules(R"(ownership:
  roadmap:
    fields:
      target: project_manager
      target if committed: {all: [product_owner, project_manager]}
      target=2027-06-01: product_owner
      committed=true: product_owner
  backlog:
    fields:
      estimate=3.0: [developer, product_owner]
      status=done: developer
)");
  CHECK(formatted(d.diags) == Lines{});
  const Rules& r = d.rules;
  CHECK(str(r.field("roadmap", "target", {}, Roles{"2027-03-01", "2027-04-01"})) == "project_manager");
  CHECK(str(r.field("roadmap", "target", {"committed"}, Roles{"2027-03-01"})) == "{all: [product_owner, project_manager]}");
  CHECK(str(r.field("roadmap", "target", {"committed"}, Roles{"2027-03-01", "2027-06-01"})) == "product_owner");
  CHECK(str(r.field("roadmap", "committed", {"committed"}, Roles{"false", "true"})) == "product_owner");
  // Numbers compare as numbers: the key is kept in the shortest form.
  CHECK(str(r.field("backlog", "estimate", {}, Roles{"3"})) == "[developer, product_owner]");
  CHECK(str(r.field("backlog", "estimate", {}, Roles{"2"})) == "developer");
  CHECK(str(r.field("backlog", "status", {}, Roles{"doing", "done"})) == "developer");
  // The section names no plain `status`: the default's value rule on it stays in force.
  CHECK(str(r.field("backlog", "status", {}, Roles{"done", "dropped"})) == "developer");
  CHECK(str(r.field("backlog", "status", {}, Roles{"todo", "dropped"})) == "product_owner");
  std::vector<std::string> names;
  auto eff = r.effective();
  for (const auto& [f, req] : eff.at("backlog").fields) names.push_back(f);
  CHECK(names == Roles{"estimate=3", "status=done", "estimate", "remaining", "size", "depends_on", "assignee",
                       "started", "status", "status=dropped", "done"});
}

TEST_CASE("a section that names a field plainly replaces the default's value rule on it") {
  auto d = decode_rules(R"(ownership:
  backlog:
    fields:
      status: developer
)");
  CHECK(str(d.rules.field("backlog", "status", {}, Roles{"todo", "dropped"})) == "developer");
  std::vector<std::string> names;
  auto eff = d.rules.effective();
  for (const auto& [f, req] : eff.at("backlog").fields) names.push_back(f);
  CHECK(std::find(names.begin(), names.end(), "status=dropped") == names.end());
}

TEST_CASE("value_texts reads history's canonical JSON as value rules compare it") {
  CHECK(ownership::value_texts("\"dropped\"", "3") == Roles{"dropped", "3"});
  CHECK(ownership::value_texts(std::nullopt, "2.5") == Roles{"2.5"});
  CHECK(ownership::value_texts("true", "[\"a\"]") == Roles{"true"});
  CHECK(ownership::value_texts("3.0", std::nullopt) == Roles{"3"});
}

TEST_CASE("ownership: a value rule names a value the field can hold") {
  auto d = decode_rules(R"(ownership:
  backlog:
    fields:
      status=droped: product_owner
      estimate=lots: developer
      tags=x: developer
      status=: developer
      done=2027-02-30: developer
      order=1: developer
  roadmap:
    fields:
      committed=yes: product_owner
)");
  CHECK(formatted(d.diags) ==
        Lines{"tandem.yaml:4:7: error: 'status=droped': status is one of todo, doing, done, dropped "
              "[invalid-value]\n  hint: did you mean 'dropped'?",
              "tandem.yaml:5:7: error: 'estimate=lots': estimate is a number (digits, with a decimal point where needed) [invalid-value]",
              "tandem.yaml:6:7: error: 'tags=x': a value rule needs a field with one value (tags of backlog is not "
              "one) [unknown-key]",
              "tandem.yaml:7:7: error: 'status=': a value rule names the value after '=' (e.g. status=dropped) "
              "[invalid-value]",
              "tandem.yaml:8:7: error: 'done=2027-02-30': done is a date, YYYY-MM-DD [invalid-value]",
              "tandem.yaml:9:7: error: 'order=1': a value rule needs a field with one value (order of backlog is not "
              "one) [unknown-key]",
              "tandem.yaml:12:7: error: 'committed=yes': committed is true or false [invalid-value]"});
}

TEST_CASE("ownership: a condition must be a boolean field of the kind") {
  auto d = decode_rules(R"(ownership:
  roadmap:
    fields:
      target if comitted: project_manager
      tittle if committed: project_manager
  backlog:
    fields:
      title if committed: product_owner
)");
  CHECK(formatted(d.diags) ==
        Lines{"tandem.yaml:4:7: error: 'target if comitted': the condition must be a boolean field of roadmap "
              "(committed) [unknown-key]\n  hint: did you mean 'committed'?",
              "tandem.yaml:5:7: error: 'tittle' is not a field of roadmap (fields: id, title, goal, owner, target, "
              "committed, depends_on, order) [unknown-key]\n  hint: did you mean 'title'?",
              "tandem.yaml:8:7: error: 'title if committed': backlog has no boolean field to be a condition "
              "[unknown-key]"});
}

TEST_CASE("effective() lists every rule in force after defaults") {
  SUBCASE("defaults") {
    auto eff = decode_rules("version: 1\n").rules.effective();
    REQUIRE(eff.size() == 4);
    const auto& b = eff.at("backlog");
    std::vector<std::string> names;
    for (const auto& [f, req] : b.fields) names.push_back(f);
    CHECK(names == Roles{"estimate", "remaining", "size", "depends_on", "assignee", "started", "status",
                         "status=dropped", "done"});
    CHECK(str(*b.create) == "product_owner");
    CHECK(str(*b.remove) == "product_owner");
    CHECK(str(*b.any_field) == "product_owner");
    CHECK_FALSE(b.shorthand);
    CHECK(str(*eff.at("risks").create) == "[project_manager, developer]");
    CHECK(eff.at("config").fields.empty());
    CHECK(str(*eff.at("config").any_field) == "{all: [product_owner, project_manager]}");
  }
  SUBCASE("a custom section") {
    auto d = decode_rules(R"(ownership:
  backlog:
    fields: {title: developer, "*": project_manager}
  roadmap:
    fields: {goal: project_manager, target: product_owner}
  risks: {"*": developer}
)");
    auto eff = d.rules.effective();
    auto names = [&](const std::string& kind) {
      std::vector<std::string> out;
      for (const auto& [f, req] : eff.at(kind).fields) out.push_back(f + "=" + str(req));
      return out;
    };
    CHECK(names("backlog") == Roles{"title=developer"});
    CHECK(str(*eff.at("backlog").any_field) == "project_manager");
    CHECK(str(*eff.at("backlog").create) == "product_owner");
    CHECK(names("roadmap") == Roles{"goal=project_manager", "target=product_owner",
                                   "committed={all: [product_owner, project_manager]}", "depends_on=project_manager",
                                   "owner=project_manager"});
    CHECK(str(*eff.at("roadmap").any_field) == "product_owner");
    CHECK(names("risks") == Roles{});
    CHECK(str(*eff.at("risks").any_field) == "developer");
    CHECK(str(*eff.at("risks").create) == "developer");
    CHECK(str(*eff.at("risks").remove) == "developer");
  }
}

TEST_CASE("ownership: unknown kinds, keys and fields are errors with hints") {
  SUBCASE("an unknown field") {
    auto d = decode_rules("ownership:\n  backlog:\n    fields:\n      titel: developer\n");
    CHECK(formatted(d.diags) ==
          Lines{"tandem.yaml:4:7: error: 'titel' is not a field of backlog (fields: id, title, type, status, owner, "
                "assignee, milestone, value, time_criticality, risk_reduction, size, estimate, remaining, depends_on, "
                "moscow, rice, started, done, tags, acceptance, description, order) [unknown-key]\n"
                "  hint: did you mean 'title'?"});
    CHECK(d.rules.kinds.at("backlog").fields.empty());
  }
  SUBCASE("a field of another kind") {
    auto d = decode_rules("ownership:\n  roadmap:\n    fields: {estimate: developer}\n");
    CHECK(formatted(d.diags) ==
          Lines{"tandem.yaml:3:14: error: 'estimate' is not a field of roadmap (fields: id, title, goal, owner, "
                "target, committed, depends_on, order) [unknown-key]"});
  }
  SUBCASE("an unknown kind") {
    auto d = decode_rules("ownership:\n  backlogs: {create: developer}\n");
    CHECK(formatted(d.diags) == Lines{"tandem.yaml:2:3: error: unknown key 'backlogs' in 'ownership' [unknown-key]\n"
                                      "  hint: did you mean 'backlog'?"});
  }
  SUBCASE("an unknown key in a kind's section") {
    auto d = decode_rules("ownership:\n  backlog: {creat: developer, x-ok: 1}\n");
    CHECK(formatted(d.diags) ==
          Lines{"tandem.yaml:2:13: error: unknown key 'creat' in 'ownership.backlog' [unknown-key]\n"
                "  hint: did you mean 'create'?"});
  }
}

TEST_CASE("ownership: a role repeated in a requirement is a duplicate-value error") {
  auto d = decode_rules("ownership:\n  backlog: {create: [developer, developer, product_owner]}\n");
  CHECK(formatted(d.diags) ==
        Lines{"tandem.yaml:2:33: error: role 'developer' is listed twice in a requirement [duplicate-value]"});
  CHECK(str(d.rules.create("backlog")) == "[developer, product_owner]");
}

TEST_CASE("ownership: an id takes no rule of its own, except in tandem.yaml") {
  auto d = decode_rules("ownership:\n  backlog:\n    fields: {id: developer}\n  config:\n    fields: {version: developer}\n");
  CHECK(formatted(d.diags) ==
        Lines{"tandem.yaml:3:14: error: 'id' takes no rule of its own: changing an id deletes a record and creates "
              "another [unknown-key]\n  hint: use 'create' and 'delete'"});
  CHECK(str(d.rules.field("config", "version")) == "developer");
}

TEST_CASE("ownership: requirements of the wrong shape are wrong-type errors") {
  const std::string shape =
      "a requirement is a role, a list of roles (any one), or {all: [roles]} (every one) [wrong-type]";
  SUBCASE("not a mapping") {
    CHECK(formatted(decode_rules("ownership: 5\n").diags) ==
          Lines{"tandem.yaml:1:12: error: 'ownership' must be a mapping, not an integer [wrong-type]"});
    CHECK(formatted(decode_rules("ownership:\n  backlog: [developer]\n").diags) ==
          Lines{"tandem.yaml:2:12: error: 'ownership.backlog' must be a mapping, not a list [wrong-type]"});
    CHECK(formatted(decode_rules("ownership:\n  backlog: {fields: [title]}\n").diags) ==
          Lines{"tandem.yaml:2:21: error: 'fields' must be a mapping of field name to requirement [wrong-type]"});
  }
  SUBCASE("a number, an invalid role name, or another mapping") {
    auto d = decode_rules(
        "ownership:\n  backlog:\n    create: 5\n    delete: product owner\n    fields: {title: {any: [developer]}}\n");
    CHECK(formatted(d.diags) == Lines{"tandem.yaml:3:13: error: " + shape, "tandem.yaml:4:13: error: " + shape,
                                      "tandem.yaml:5:21: error: " + shape});
    CHECK(str(d.rules.create("backlog")) == "product_owner");  // the default stays in force
  }
  SUBCASE("empty lists") {
    CHECK(formatted(decode_rules("ownership:\n  backlog: {create: []}\n").diags) ==
          Lines{"tandem.yaml:2:21: error: a requirement names at least one role [wrong-type]"});
    CHECK(formatted(decode_rules("ownership:\n  backlog: {create: {all: []}}\n").diags) ==
          Lines{"tandem.yaml:2:21: error: a requirement names at least one role [wrong-type]"});
  }
  SUBCASE("a bad role inside a list") {
    auto d = decode_rules("ownership:\n  backlog: {create: [developer, 5]}\n");
    CHECK(formatted(d.diags) ==
          Lines{"tandem.yaml:2:33: error: a role in a requirement must be a role name [wrong-type]"});
    CHECK(str(d.rules.create("backlog")) == "developer");
  }
}

TEST_CASE("ownership: x- keys are ignored inside fields too") {
  auto d = decode_rules("ownership:\n  backlog:\n    fields: {x-note: anything, title: developer}\n");
  CHECK(formatted(d.diags) == Lines{});
}
