#include "core/plan/yaml.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "support/fake_source.hpp"

using namespace tandem;
using tandem::test::formatted;
using yaml::Type;

namespace {

struct Parsed {
  yaml::NodePtr root;
  Diagnostics diags;
};

Parsed parse(std::string_view text, const yaml::Limits& limits = {}, const yaml::ElementCallback& on_element = {}) {
  Parsed p;
  p.root = yaml::parse(text, "plan.yaml", p.diags, limits, on_element);
  return p;
}

/// The value of `k` in `k: <scalar>`, parsed without findings.
const yaml::Node& scalar(Parsed& p, std::string_view scalar_text) {
  p = parse("k: " + std::string(scalar_text) + "\n");
  REQUIRE(p.diags.size() == 0);
  REQUIRE(p.root);
  REQUIRE(p.root->get("k"));
  return *p.root->get("k");
}

}  // namespace

TEST_CASE("plain scalars are typed by the YAML 1.2 core schema") {
  Parsed p;
  SUBCASE("null") {
    for (const char* s : {"~", "null", "Null", "NULL", ""}) {
      std::string text = s;
      CAPTURE(text);
      CHECK(scalar(p, s).type == Type::null);
    }
  }
  SUBCASE("booleans") {
    for (const char* s : {"true", "True", "TRUE"}) {
      std::string text = s;
      CAPTURE(text);
      const auto& n = scalar(p, s);
      CHECK(n.type == Type::boolean);
      CHECK(n.boolean);
    }
    for (const char* s : {"false", "False", "FALSE"}) {
      std::string text = s;
      CAPTURE(text);
      const auto& n = scalar(p, s);
      CHECK(n.type == Type::boolean);
      CHECK_FALSE(n.boolean);
    }
  }
  SUBCASE("decimal, hexadecimal and octal integers") {
    struct Case {
      const char* text;
      double value;
    };
    for (auto [text, value] : {Case{"42", 42}, Case{"-7", -7}, Case{"+3", 3}, Case{"012", 12}, Case{"0", 0},
                               Case{"0x1F", 31}, Case{"0xff", 255}, Case{"0o17", 15}}) {
      CAPTURE(text);
      const auto& n = scalar(p, text);
      CHECK(n.type == Type::integer);
      CHECK(n.number == value);
      CHECK(n.text == text);
    }
  }
  SUBCASE("floats, infinities and not-a-number") {
    struct Case {
      const char* text;
      double value;
    };
    for (auto [text, value] : {Case{"1.5", 1.5}, Case{"-0.25", -0.25}, Case{".5", 0.5}, Case{"1e3", 1000},
                               Case{"2.5E-1", 0.25}, Case{"3.", 3}}) {
      CAPTURE(text);
      const auto& n = scalar(p, text);
      CHECK(n.type == Type::real);
      CHECK(n.number == value);
    }
    for (const char* s : {".inf", ".Inf", ".INF", "+.inf"}) {
      std::string text = s;
      CAPTURE(text);
      const auto& n = scalar(p, s);
      CHECK(n.type == Type::real);
      CHECK(n.number == HUGE_VAL);
    }
    CHECK(scalar(p, "-.inf").number == -HUGE_VAL);
    for (const char* s : {".nan", ".NaN", ".NAN"}) {
      std::string text = s;
      CAPTURE(text);
      const auto& n = scalar(p, s);
      CHECK(n.type == Type::real);
      CHECK(std::isnan(n.number));
    }
  }
  SUBCASE("a number too large for a double is an infinite real, kept as written") {
    const auto& n = scalar(p, "1e400");
    CHECK(n.type == Type::real);
    CHECK(std::isinf(n.number));
    CHECK(n.text == "1e400");
  }
  SUBCASE("YAML 1.1 booleans, dates and other look-alikes stay strings") {
    for (const char* s : {"yes", "no", "on", "off", "y", "n", "Yes", "ON", "2027-01-04", "0b101", "1_000", "0x",
                          "0o", "0o8", "0xZ", "-0x1F", "1e", "e3", ".", "+", "1.2.3", "nan", "inf", "12:30", "-1-"}) {
      std::string text = s;
      CAPTURE(text);
      const auto& n = scalar(p, s);
      CHECK(n.type == Type::string);
      CHECK(n.text == s);
    }
  }
  SUBCASE("quoted scalars are always strings") {
    for (const char* s : {"\"42\"", "'42'", "\"true\"", "'null'", "''", "\"1.5\"", "'~'"}) {
      std::string text = s;
      CAPTURE(text);
      CHECK(scalar(p, s).type == Type::string);
    }
    CHECK(scalar(p, "\"42\"").text == "42");
    CHECK(scalar(p, "\"a\\tb\"").text == "a\tb");
  }
  SUBCASE("block scalars are strings") {
    p = parse("k: |\n  42\n");
    REQUIRE(p.root);
    CHECK(p.root->get("k")->type == Type::string);
    CHECK(p.root->get("k")->text == "42\n");
  }
}

TEST_CASE("a plain scalar's first character decides whether it can be anything but a string") {
  // Null, booleans and numbers start with one of ~ n N t T f F . + - or a digit; the same words with
  // another first character are strings.
  struct Case {
    const char* text;
    Type type;
  };
  for (const Case& c :
       {Case{"~", Type::null}, Case{"null", Type::null}, Case{"NULL", Type::null}, Case{"true", Type::boolean},
        Case{"TRUE", Type::boolean}, Case{"false", Type::boolean}, Case{"False", Type::boolean},
        Case{".5", Type::real}, Case{".inf", Type::real}, Case{".NaN", Type::real}, Case{"+1", Type::integer},
        Case{"-1.5", Type::real}, Case{"7", Type::integer}, Case{"0x1F", Type::integer}, Case{"nul", Type::string},
        Case{"tru", Type::string}, Case{"f", Type::string}, Case{"-", Type::string}, Case{"2027-01-05", Type::string},
        Case{"ITEM-1", Type::string}, Case{"yes", Type::string}, Case{"x1", Type::string}, Case{"_1", Type::string},
        Case{"é", Type::string}, Case{"Infinity", Type::string}}) {
    std::string text = c.text;
    CAPTURE(text);
    CHECK(yaml::plain_type(text) == c.type);
  }
}

TEST_CASE("explicit standard tags set or confirm a scalar's type") {
  Parsed p;
  SUBCASE("!!str makes a number a string") {
    const auto& n = scalar(p, "!!str 42");
    CHECK(n.type == Type::string);
    CHECK(n.text == "42");
  }
  SUBCASE("the non-specific tag ! makes a string") {
    CHECK(scalar(p, "! 42").type == Type::string);
  }
  SUBCASE("!!int, !!float, !!bool and !!null accept matching values") {
    CHECK(scalar(p, "!!int 42").type == Type::integer);
    CHECK(scalar(p, "!!int 42").number == 42);
    CHECK(scalar(p, "!!float 1.5").type == Type::real);
    CHECK(scalar(p, "!!float 2").number == 2);
    CHECK(scalar(p, "!!bool true").boolean);
    CHECK(scalar(p, "!!null ~").type == Type::null);
    CHECK(scalar(p, "!!int \"7\"").type == Type::integer);
  }
  SUBCASE("a value that does not match its tag is a bad-tag error and stays a string") {
    p = parse("a: !!int abc\nb: !!bool yes\n");
    CHECK(formatted(p.diags) == std::vector<std::string>{
                                    "plan.yaml:1:4: error: 'abc' is not a valid !!int [bad-tag]",
                                    "plan.yaml:2:4: error: 'yes' is not a valid !!bool [bad-tag]",
                                });
    REQUIRE(p.root);
    CHECK(p.root->get("a")->type == Type::string);
  }
  SUBCASE("!!seq and !!map on collections are accepted") {
    p = parse("a: !!seq [1]\nb: !!map {c: d}\n");
    CHECK(p.diags.size() == 0);
  }
}

TEST_CASE("tags other than the standard ones are unsupported") {
  auto p = parse("a: !custom x\nb: !!binary aGk=\nc: !thing [1]\nd: !!set {x: null}\n");
  CHECK(formatted(p.diags) ==
        std::vector<std::string>{
            "plan.yaml:1:4: error: unsupported YAML tag '!custom'; plan files use plain YAML values [unsupported-tag]",
            "plan.yaml:2:4: error: unsupported YAML tag 'tag:yaml.org,2002:binary'; plan files use plain YAML values "
            "[unsupported-tag]",
            "plan.yaml:3:4: error: unsupported YAML tag '!thing'; plan files use plain YAML values [unsupported-tag]",
            "plan.yaml:4:4: error: unsupported YAML tag 'tag:yaml.org,2002:set'; plan files use plain YAML values "
            "[unsupported-tag]",
        });
  REQUIRE(p.root);
  CHECK(p.root->get("a")->type == Type::string);
  CHECK(p.root->get("a")->text == "x");
}

TEST_CASE("a part of a text parsed with its Origin has the whole text's marks and offsets") {
  std::string whole = "items:\n  - id: A\n    title: \u00fcber\n  - id: B\n    title: Two   # c\n";
  std::size_t at = whole.find("  - id: B");
  std::string_view part = std::string_view(whole).substr(at);
  Diagnostics diags;
  auto root = yaml::parse(part, "plan.yaml", diags, {}, {}, yaml::Origin{4, at});
  REQUIRE(diags.size() == 0);
  REQUIRE(root);
  REQUIRE(root->items.size() == 1);
  const yaml::Node& b = *root->items[0];
  Diagnostics all;
  auto full = yaml::parse(whole, "plan.yaml", all);
  const yaml::Node& same = *full->get("items")->items[1];
  CHECK(b.mark == same.mark);
  CHECK(b.begin == same.begin);
  CHECK(b.end == same.end);
  CHECK(b.get("title")->mark == Mark{5, 12});
  CHECK(b.get("title")->begin == same.get("title")->begin);
  CHECK(b.get("title")->end == same.get("title")->end);
  CHECK(whole.substr(b.get("title")->begin, 3) == "Two");
  // A finding in the part is reported where it is in the whole text.
  Diagnostics bad;
  CHECK_FALSE(yaml::parse("  - id: B\n    title: [x\n", "plan.yaml", bad, {}, {}, yaml::Origin{10, 200}));
  REQUIRE(bad.size() == 1);
  CHECK(bad.items()[0].mark.line >= 10);
}

TEST_CASE("nodes carry 1-based line and column marks") {
  auto p = parse(R"(# a comment
name: Demo
list:
  - first
  - {key: value, n: 3}
nested:
    deep: [a, "b"]
)");
  REQUIRE(p.diags.size() == 0);
  REQUIRE(p.root);
  CHECK(p.root->mark == Mark{2, 1});
  CHECK(p.root->entries[0].first->mark == Mark{2, 1});
  CHECK(p.root->get("name")->mark == Mark{2, 7});
  const auto* list = p.root->get("list");
  REQUIRE(list);
  CHECK(list->mark == Mark{4, 3});
  CHECK(list->items[0]->mark == Mark{4, 5});
  CHECK(list->items[1]->mark == Mark{5, 5});
  CHECK(list->items[1]->get("n")->mark == Mark{5, 21});
  const auto* deep = p.root->get("nested")->get("deep");
  CHECK(deep->mark == Mark{7, 11});
  CHECK(deep->items[1]->mark == Mark{7, 15});
}

TEST_CASE("columns count characters, not bytes") {
  auto p = parse("title: \"été\"\nk: x\nz: [é, 1]\n");
  REQUIRE(p.root);
  CHECK(p.root->get("z")->items[1]->mark == Mark{3, 8});
}

TEST_CASE("byte offsets are right whether the text is ASCII or has one multi-byte character anywhere") {
  // The text is checked for ASCII eight bytes at a time, then byte by byte: a character beyond ASCII in
  // any position, the last few bytes included, makes offsets count bytes, not characters.
  const std::string ascii = "key: value\nlist: [a, bb, ccc]\nlast: zz\n";
  auto plain = parse(ascii);
  REQUIRE(plain.root);
  CHECK(plain.root->get("last")->begin == ascii.find("zz"));
  for (std::size_t at : {std::size_t{5}, std::size_t{7}, std::size_t{8}, std::size_t{20}, ascii.size() - 2}) {
    std::string text = ascii;
    text.replace(at, 1, "\xC3\xA9");  // one character (é) for an ASCII letter, one byte longer
    CAPTURE(at);
    auto p = parse(text);
    REQUIRE(p.root);
    CHECK(p.root->get("last")->begin == text.find("last: ") + 6);
    CHECK(p.root->get("last")->end == text.size() - 1);
  }
}

TEST_CASE("a byte order mark and CRLF line ends are accepted") {
  SUBCASE("byte order mark") {
    auto p = parse("\xEF\xBB\xBF" "a: 1\nb: x\n");
    CHECK(p.diags.size() == 0);
    REQUIRE(p.root);
    CHECK(p.root->get("a")->number == 1);
    CHECK(p.root->entries[0].first->mark == Mark{1, 1});
    CHECK(p.root->get("b")->mark == Mark{2, 4});
  }
  SUBCASE("CRLF") {
    auto p = parse("a: 1\r\nb: two\r\nc:\r\n  - x\r\n");
    CHECK(p.diags.size() == 0);
    REQUIRE(p.root);
    CHECK(p.root->get("b")->text == "two");
    CHECK(p.root->get("b")->mark == Mark{2, 4});
    CHECK(p.root->get("c")->items[0]->text == "x");
    CHECK(p.root->get("c")->items[0]->mark == Mark{4, 5});
  }
}

TEST_CASE("an empty file or one with only comments has no root and no findings") {
  for (const char* text : {"", "# nothing here\n", "\n\n"}) {
    CAPTURE(text);
    auto p = parse(text);
    CHECK_FALSE(p.root);
    CHECK(p.diags.size() == 0);
  }
}

TEST_CASE("a syntax error is a yaml-syntax diagnostic at its position") {
  SUBCASE("an unclosed flow sequence") {
    auto p = parse("a: [1, 2\nb: 3\n");
    CHECK_FALSE(p.root);
    REQUIRE(p.diags.size() == 1);
    CHECK(p.diags.items()[0].code == "yaml-syntax");
    CHECK(format_diagnostic(p.diags.items()[0]) ==
          "plan.yaml:2:2: error: YAML syntax error: did not find expected ',' or ']' while parsing a flow sequence "
          "(line 1, column 4) [yaml-syntax]");
  }
}

TEST_CASE("a syntax error names its usual cause, with a hint") {
  auto one = [](std::string_view text) {
    auto p = parse(text);
    CHECK_FALSE(p.root);
    REQUIRE(p.diags.size() == 1);
    return format_diagnostic(p.diags.items()[0]);
  };
  SUBCASE("a tab used for indentation") {
    CHECK(one("a:\n\t- x\n") == "plan.yaml:2:1: error: YAML syntax error: a tab in the indentation [yaml-syntax]\n"
                                 "  hint: YAML forbids tabs for indentation; indent with spaces");
  }
  SUBCASE("an unquoted ': ' in a value") {
    CHECK(one("items:\n  - id: A\n    title: Closed beta: phase 1\n") ==
          "plan.yaml:3:23: error: YAML syntax error: the value of 'title' holds ': ', which YAML reads as the start of "
          "a mapping [yaml-syntax]\n  hint: quote the value: title: \"Closed beta: phase 1\"");
    CHECK(one("- title: Say \"hi\": now # comment\n") ==
          "plan.yaml:1:18: error: YAML syntax error: the value of 'title' holds ': ', which YAML reads as the start of "
          "a mapping [yaml-syntax]\n  hint: quote the value: title: 'Say \"hi\": now'");
  }
  SUBCASE("a line indented deeper than the key above it") {
    CHECK(one("a: 1\nb: x\n  c: 2\n") ==
          "plan.yaml:3:4: error: YAML syntax error: this line is indented deeper than the key above it [yaml-syntax]\n"
          "  hint: line its key up with the keys above it (or quote the value above, if this line continues it)");
  }
  SUBCASE("a line indented less than the list or mapping it belongs to") {
    CHECK(one("items:\n  - id: A\n    title: T\n   estimate: 3\n") ==
          "plan.yaml:4:4: error: YAML syntax error: did not find expected '-' indicator (the indentation does not match "
          "line 2) "
          "[yaml-syntax]\n  hint: indent this line exactly as the lines of the list or mapping that starts at line 2");
  }
  SUBCASE("git conflict markers: an unresolved merge conflict at the first marker") {
    CHECK(one("items:\n  - id: A\n<<<<<<< HEAD\n    title: Ours\n=======\n    title: Theirs\n>>>>>>> topic\n") ==
          "plan.yaml:3:1: error: unresolved merge conflict: git's conflict marker '<<<<<<<' is not YAML "
          "[merge-conflict]\n  hint: resolve the merge conflict: keep the lines you want, delete the '<<<<<<<', "
          "'=======' and '>>>>>>>' lines, then 'git add' the file");
  }
}

TEST_CASE("duplicate keys are errors that keep the first value") {
  auto p = parse(R"(a: 1
b:
  x: 1
  x: 2
a: 3
)");
  CHECK(formatted(p.diags) == std::vector<std::string>{
                                  "plan.yaml:4:3: error: duplicate key 'x' (first at line 3); YAML forbids duplicate "
                                  "keys [duplicate-key]\n  hint: remove one of them: tandem will not guess which one "
                                  "you meant",
                                  "plan.yaml:5:1: error: duplicate key 'a' (first at line 1); YAML forbids duplicate "
                                  "keys [duplicate-key]\n  hint: remove one of them: tandem will not guess which one "
                                  "you meant",
                              });
  REQUIRE(p.root);
  CHECK(p.root->entries.size() == 2);
  CHECK(p.root->get("a")->number == 1);
  CHECK(p.root->get("b")->entries.size() == 1);
  CHECK(p.root->get("b")->get("x")->number == 1);
}

TEST_CASE("duplicate keys are found in mappings of every size, whatever keys look alike") {
  // Up to 32 keys a mapping scans its keys (skipping the scan for a key unlike all of them), beyond that it
  // looks them up in a hash map: both find every duplicate, and keys that share a length and their first
  // and last characters are not taken for one another.
  for (int keys : {2, 20, 32, 33, 40}) {
    std::string text;
    for (int i = 0; i < keys; ++i) text += "k" + std::to_string(100 + i) + "z: " + std::to_string(i) + "\n";
    text += "k" + std::to_string(100 + keys / 2) + "z: again\nk999z: new\n";
    CAPTURE(keys);
    auto p = parse(text);
    REQUIRE(p.diags.size() == 1);
    CHECK(p.diags.items()[0].code == "duplicate-key");
    CHECK(p.diags.items()[0].mark.line == static_cast<std::uint32_t>(keys + 1));
    CHECK(p.diags.items()[0].message.find("(first at line " + std::to_string(keys / 2 + 1) + ")") != std::string::npos);
    REQUIRE(p.root);
    CHECK(p.root->entries.size() == static_cast<std::size_t>(keys + 1));
    CHECK(p.root->get("k999z")->text == "new");
  }
}

TEST_CASE("keys that differ only in quoting are the same key") {
  auto p = parse("a: 1\n\"a\": 2\n");
  REQUIRE(p.diags.size() == 1);
  CHECK(p.diags.items()[0].code == "duplicate-key");
}

TEST_CASE("a list or mapping as a key is a complex-key error") {
  auto p = parse("? [a, b]\n: 1\nc: 2\n");
  CHECK(formatted(p.diags) ==
        std::vector<std::string>{
            "plan.yaml:1:3: error: a key must be a plain value, not a list or mapping [complex-key]"});
  REQUIRE(p.root);
  CHECK(p.root->entries.size() == 1);
  CHECK(p.root->get("c")->number == 2);
}

TEST_CASE("a file holds one document") {
  SUBCASE("one explicit document is fine") {
    auto p = parse("---\na: 1\n...\n");
    CHECK(p.diags.size() == 0);
    CHECK(p.root);
  }
  SUBCASE("a second document is an error") {
    auto p = parse("a: 1\n---\nb: 2\n");
    CHECK_FALSE(p.root);
    CHECK(formatted(p.diags) ==
          std::vector<std::string>{"plan.yaml:2:1: error: a plan file holds one YAML document; found a second '---' "
                                   "[multiple-documents]"});
  }
}

TEST_CASE("aliases share the anchored node") {
  auto p = parse("a: &x {k: v, n: [1, 2]}\nb: *x\nc: &s text\nd: *s\n");
  REQUIRE(p.diags.size() == 0);
  REQUIRE(p.root);
  CHECK(p.root->get("a") == p.root->get("b"));
  CHECK(p.root->get("c") == p.root->get("d"));
  CHECK(p.root->get("d")->text == "text");
  // {k: v, n: [1, 2]} is 1 mapping + 2 keys + v + list + 2 items = 7 nodes.
  CHECK(p.root->get("a")->expanded == 7);
  // the root counts every node with aliases expanded: itself, 4 keys, 7 + 7 + 1 + 1.
  CHECK(p.root->expanded == 21);
}

TEST_CASE("a block collection ends where its last child is written, an alias included") {
  std::string text = "items:\n  - id: A\n    tags: &t [x]\n  - id: B\n    tags: *t\nnext: 1\n";
  auto p = parse(text);
  REQUIRE(p.diags.size() == 0);
  const auto& b = *p.root->get("items")->items[1];
  CHECK(text.substr(b.begin, b.end - b.begin) == "id: B\n    tags: *t");  // not the anchor's end, before it
  CHECK(p.root->get("items")->end == b.end);
}

TEST_CASE("an alias to an undefined anchor is an error") {
  auto p = parse("a: 1\nb: *nowhere\n");
  CHECK_FALSE(p.root);
  CHECK(formatted(p.diags) ==
        std::vector<std::string>{"plan.yaml:2:4: error: alias '*nowhere' names no anchor defined before it [unknown-alias]"});
}

TEST_CASE("an alias bomb is stopped by the alias node limit") {
  const std::string bomb = R"(a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
)";
  SUBCASE("the default limit") {
    auto p = parse(bomb);
    CHECK_FALSE(p.root);
    REQUIRE(p.diags.size() == 1);
    CHECK(p.diags.items()[0].code == "alias-limit");
    CHECK(p.diags.items()[0].message ==
          "aliases expand to more than 1000000 nodes; tandem refuses alias bombs");
    CHECK(p.diags.items()[0].hint == "use fewer aliases, or raise the limit with --max-alias-nodes");
  }
  SUBCASE("a small limit stops at the alias that crosses it") {
    // a = 11 nodes; each *a adds 11: the 10th alias brings the count to 110 > 100.
    yaml::Limits limits;
    limits.max_alias_nodes = 100;
    auto p = parse(bomb, limits);
    CHECK_FALSE(p.root);
    CHECK(formatted(p.diags) ==
          std::vector<std::string>{
              "plan.yaml:2:44: error: aliases expand to more than 100 nodes; tandem refuses alias bombs "
              "[alias-limit]\n  hint: use fewer aliases, or raise the limit with --max-alias-nodes"});
  }
  SUBCASE("a file under the limit parses") {
    yaml::Limits limits;
    limits.max_alias_nodes = 110;
    auto p = parse("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n", limits);
    CHECK(p.diags.size() == 0);
    REQUIRE(p.root);
    CHECK(p.root->get("b")->items.size() == 10);
  }
}

TEST_CASE("nesting deeper than the depth limit is a too-deep error") {
  SUBCASE("100000 opening brackets do not overflow the stack") {
    auto p = parse(std::string(100000, '['));
    CHECK_FALSE(p.root);
    CHECK(formatted(p.diags) ==
          std::vector<std::string>{"plan.yaml:1:65: error: lists and mappings are nested more than 64 levels deep "
                                   "[too-deep]\n  hint: plan files need only a few levels; raise the limit with "
                                   "--max-depth"});
  }
  SUBCASE("deep block mappings") {
    std::string text;
    for (int i = 0; i < 100; ++i) text += std::string(static_cast<std::size_t>(i) * 2, ' ') + "k:\n";
    auto p = parse(text);
    CHECK_FALSE(p.root);
    REQUIRE(p.diags.size() == 1);
    CHECK(p.diags.items()[0].code == "too-deep");
    CHECK(p.diags.items()[0].mark == Mark{65, 129});
  }
  SUBCASE("a custom limit") {
    yaml::Limits limits;
    limits.max_depth = 3;
    CHECK(parse("a: {b: [1]}\n", limits).diags.size() == 0);
    auto p = parse("a: {b: {c: [1]}}\n", limits);
    CHECK(formatted(p.diags) ==
          std::vector<std::string>{"plan.yaml:1:12: error: lists and mappings are nested more than 3 levels deep "
                                   "[too-deep]\n  hint: plan files need only a few levels; raise the limit with "
                                   "--max-depth"});
  }
}

TEST_CASE("text that is not UTF-8 or holds control characters is an invalid-encoding error") {
  SUBCASE("an invalid UTF-8 byte") {
    auto p = parse("a: b\nc: \xff\n");
    CHECK_FALSE(p.root);
    CHECK(formatted(p.diags) ==
          std::vector<std::string>{"plan.yaml:2:4: error: not valid UTF-8 text: invalid leading UTF-8 octet (byte 8) "
                                   "[invalid-encoding]\n  hint: plan files must be UTF-8 text without control "
                                   "characters"});
  }
  SUBCASE("a truncated multi-byte sequence") {
    auto p = parse("title: caf\xc3");
    CHECK_FALSE(p.root);
    REQUIRE(p.diags.size() == 1);
    CHECK(p.diags.items()[0].code == "invalid-encoding");
    CHECK(p.diags.items()[0].mark == Mark{1, 11});
  }
  SUBCASE("a control character") {
    auto p = parse("a: 1\nb: x\x01y\n");
    CHECK_FALSE(p.root);
    CHECK(formatted(p.diags) ==
          std::vector<std::string>{"plan.yaml:2:5: error: not valid UTF-8 text: control characters are not allowed "
                                   "(byte 9) [invalid-encoding]\n  hint: plan files must be UTF-8 text without "
                                   "control characters"});
  }
  SUBCASE("a NUL byte") {
    auto p = parse(std::string_view("a: \0\n", 5));
    CHECK_FALSE(p.root);
    REQUIRE(p.diags.size() == 1);
    CHECK(p.diags.items()[0].code == "invalid-encoding");
    CHECK(p.diags.items()[0].mark == Mark{1, 4});
  }
  SUBCASE("multi-byte characters before the problem count as one column each") {
    auto p = parse("a: ééé\xff\n");
    REQUIRE(p.diags.size() == 1);
    CHECK(p.diags.items()[0].mark == Mark{1, 7});
  }
}

TEST_CASE("elements of the root's lists are streamed to the callback, in order, and not kept") {
  struct Seen {
    std::string key;
    std::size_t index;
    std::string first;
  };
  std::vector<Seen> seen;
  auto on_element = [&](std::string_view key, std::size_t index, const yaml::NodePtr& element) {
    REQUIRE(element);
    std::string first;
    if (element->type == Type::mapping && !element->entries.empty()) first = element->entries[0].second->text;
    else if (element->type == Type::sequence) first = std::to_string(element->items.size()) + " items";
    else first = element->text;
    seen.push_back({std::string(key), index, first});
  };
  auto p = parse(R"(items:
  - id: A
    tags: [x, y]
  - id: B
  - id: C
note: not a list
other:
  - [1, 2, 3]
  - plain
)",
                 {}, on_element);
  CHECK(p.diags.size() == 0);
  REQUIRE(p.root);
  REQUIRE(seen.size() == 5);
  CHECK(seen[0].key == "items");
  CHECK(seen[0].index == 0);
  CHECK(seen[0].first == "A");
  CHECK(seen[1].index == 1);
  CHECK(seen[1].first == "B");
  CHECK(seen[2].index == 2);
  CHECK(seen[2].first == "C");
  CHECK(seen[3].key == "other");
  CHECK(seen[3].index == 0);
  CHECK(seen[3].first == "3 items");  // lists inside an element are kept whole
  CHECK(seen[4].key == "other");
  CHECK(seen[4].index == 1);
  CHECK(seen[4].first == "plain");

  const auto* items = p.root->get("items");
  REQUIRE(items);
  CHECK(items->type == Type::sequence);
  CHECK(items->items.empty());
  CHECK(items->streamed == 3);
  CHECK(p.root->get("other")->streamed == 2);
  CHECK(p.root->get("note")->text == "not a list");
}

TEST_CASE("streamed elements keep their nested lists and marks") {
  std::vector<yaml::NodePtr> elements;
  auto p = parse("items:\n  - id: A\n    depends_on: [B, C]\n",
                 {}, [&](std::string_view, std::size_t, const yaml::NodePtr& e) { elements.push_back(e); });
  REQUIRE(elements.size() == 1);
  const auto* deps = elements[0]->get("depends_on");
  REQUIRE(deps);
  CHECK(deps->items.size() == 2);
  CHECK(deps->items[1]->mark == Mark{3, 21});
  CHECK(elements[0]->mark == Mark{2, 5});
}

TEST_CASE("a streamed element's memory is used again only when nothing kept it and it holds no anchor") {
  // Every other element is kept; the ones let go are overwritten by the next. A kept element, an
  // anchor defined in a let-go element and the alias that repeats it must all still read as written.
  std::string text = "items:\n";
  std::vector<std::string> titles;
  auto add = [&](int n) {
    for (int i = 0; i < n; ++i) {
      titles.push_back(fmt::format("title number {} of a long list", titles.size()));
      text += fmt::format("  - {{id: I{}, title: '{}'}}\n", titles.size(), titles.back());
    }
  };
  add(401);
  titles.emplace_back();
  text += "  - &shared {id: S, tags: [a, b, c]}\n";  // index 401: let go, but holds an anchor
  add(400);
  text += "  - {id: T, copy: *shared}\n";
  std::vector<std::pair<std::size_t, yaml::NodePtr>> kept;
  std::vector<std::string> copied;
  auto p = parse(text, {}, [&](std::string_view, std::size_t index, const yaml::NodePtr& e) {
    if (index % 2 == 0) kept.emplace_back(index, e);
    if (const auto* copy = e->get("copy"))
      for (const auto* tag : copy->get("tags")->items) copied.emplace_back(tag->text);
  });
  CHECK(p.diags.size() == 0);
  REQUIRE(kept.size() == 402);
  for (const auto& [index, e] : kept) {
    if (index == titles.size()) {
      CHECK(e->get("id")->text == "T");
      continue;
    }
    REQUIRE(e->get("title"));
    CHECK(e->get("title")->text == titles[index]);
  }
  CHECK(copied == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("without a callback, or when the root is a list, nothing is streamed") {
  int calls = 0;
  auto count = [&](std::string_view, std::size_t, const yaml::NodePtr&) { ++calls; };
  SUBCASE("no callback") {
    auto p = parse("items: [a, b]\n");
    REQUIRE(p.root);
    CHECK(p.root->get("items")->items.size() == 2);
    CHECK(p.root->get("items")->streamed == 0);
  }
  SUBCASE("root list") {
    auto p = parse("- a\n- [b, c]\n", {}, count);
    REQUIRE(p.root);
    CHECK(calls == 0);
    CHECK(p.root->items.size() == 2);
  }
  SUBCASE("lists below the root's values") {
    auto p = parse("a:\n  b: [1, 2]\n", {}, count);
    REQUIRE(p.root);
    CHECK(calls == 0);
    CHECK(p.root->get("a")->get("b")->items.size() == 2);
  }
}

TEST_CASE("node helpers describe types and find keys") {
  auto p = parse("s: x\ni: 1\nr: 1.5\nb: true\nn: ~\nl: []\nm: {}\n");
  REQUIRE(p.root);
  CHECK(yaml::describe(*p.root->get("s")) == "a string");
  CHECK(yaml::describe(*p.root->get("i")) == "an integer");
  CHECK(yaml::describe(*p.root->get("r")) == "a number");
  CHECK(yaml::describe(*p.root->get("b")) == "a boolean");
  CHECK(yaml::describe(*p.root->get("n")) == "empty (null)");
  CHECK(yaml::describe(*p.root->get("l")) == "a list");
  CHECK(yaml::describe(*p.root->get("m")) == "a mapping");
  CHECK(p.root->get("missing") == nullptr);
  CHECK(p.root->get("i")->is_number());
  CHECK(p.root->get("r")->is_number());
  CHECK_FALSE(p.root->get("s")->is_number());
  CHECK(p.root->get("n")->is_scalar());
  CHECK_FALSE(p.root->get("l")->is_scalar());
}

TEST_CASE("numbers are read with std::from_chars: signs, exponents, overflow and underflow") {
  Parsed p;
  CHECK(scalar(p, "+1.5e+2").number == 150);
  CHECK(scalar(p, "-.5").number == -0.5);
  CHECK(scalar(p, "5.").number == 5);
  CHECK(std::isinf(scalar(p, "1e999").number));
  CHECK(scalar(p, "-1e999").number < 0);
  CHECK(scalar(p, "1e-999").number == 0);
  CHECK(scalar(p, "0x1F").number == 31);
}
