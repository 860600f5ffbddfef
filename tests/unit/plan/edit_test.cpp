#include "core/plan/edit.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/base/error.hpp"
#include "core/base/output.hpp"

using namespace tandem;
using edit::FieldEdit;
using edit::Value;

namespace {

const kinds::KindInfo& backlog() { return kinds::k_lists[0]; }

/// `text` after `edits` of record `id`.
std::string edited(const std::string& text, const std::string& id, const std::vector<FieldEdit>& edits) {
  edit::File file(text, backlog(), "backlog.yaml");
  auto i = file.find(id);
  REQUIRE(i != std::string::npos);
  return edit::apply(file.text, edit::edit_record(file, *file.list->items[i], edits));
}

Value str(std::string s) { return {Value::Kind::string, std::move(s), {}, {}}; }
Value num(std::string s) { return {Value::Kind::scalar, std::move(s), {}, {}}; }

}  // namespace

TEST_CASE("the parser reports byte offsets of scalars after a BOM and multi-byte characters") {
  Diagnostics diags;
  std::string text = "\xEF\xBB\xBFk: \"\xC3\xA9t\xC3\xA9\"\nn: 12\n";
  auto root = yaml::parse(text, "f.yaml", diags);
  REQUIRE(root);
  const auto* k = root->get("k");
  const auto* n = root->get("n");
  CHECK(text.substr(k->begin, k->end - k->begin) == "\"\xC3\xA9t\xC3\xA9\"");
  CHECK(text.substr(n->begin, n->end - n->begin) == "12");
  CHECK(k->style == yaml::Style::quoted);
}

TEST_CASE("a string is quoted exactly where its plain form would read back as another type") {
  CHECK(edit::emit(str("Guest checkout")) == "Guest checkout");
  CHECK(edit::emit(str("3")) == "\"3\"");
  CHECK(edit::emit(str("yes")) == "yes");  // YAML 1.2: a string
  CHECK(edit::emit(str("true")) == "\"true\"");
  CHECK(edit::emit(str("null")) == "\"null\"");
  CHECK(edit::emit(str("~")) == "\"~\"");
  CHECK(edit::emit(str("1e3")) == "\"1e3\"");
  CHECK(edit::emit(str("2027-01-04")) == "\"2027-01-04\"");
  CHECK(edit::emit(str("a: b")) != "a: b");
  CHECK(edit::emit(str("#x")) != "#x");
  CHECK(edit::emit(str("two\nlines")) == "\"two\\nlines\"");
  CHECK(edit::emit(num("13")) == "13");
  Value list{Value::Kind::list, {}, {str("A"), str("3")}, {}};
  CHECK(edit::emit(list) == "[A, \"3\"]");
}

TEST_CASE("the splicer changes only the bytes of the edit") {
  std::string text = "items:\n  # c\n  - id: A\n    title: 'T'  # keep\n    value: 8\n  - {id: B, title: x}\n";
  SUBCASE("replace a scalar") {
    CHECK(edited(text, "A", {{"value", FieldEdit::Op::set, num("13")}}) ==
          "items:\n  # c\n  - id: A\n    title: 'T'  # keep\n    value: 13\n  - {id: B, title: x}\n");
  }
  SUBCASE("insert a key in a block mapping and in a flow mapping") {
    CHECK(edited(text, "A", {{"owner", FieldEdit::Op::set, str("pat")}}) ==
          "items:\n  # c\n  - id: A\n    title: 'T'  # keep\n    value: 8\n    owner: pat\n  - {id: B, title: x}\n");
    CHECK(edited(text, "B", {{"owner", FieldEdit::Op::set, str("pat")}}) ==
          "items:\n  # c\n  - id: A\n    title: 'T'  # keep\n    value: 8\n  - {id: B, title: x, owner: pat}\n");
  }
  SUBCASE("remove a key") {
    CHECK(edited(text, "A", {{"value", FieldEdit::Op::remove, {}}}) ==
          "items:\n  # c\n  - id: A\n    title: 'T'  # keep\n  - {id: B, title: x}\n");
    CHECK(edited(text, "B", {{"title", FieldEdit::Op::remove, {}}}) ==
          "items:\n  # c\n  - id: A\n    title: 'T'  # keep\n    value: 8\n  - {id: B}\n");
  }
  SUBCASE("an empty value gets its value after the colon") {
    CHECK(edited("items:\n  - id: A\n    owner:\n    title: t\n", "A", {{"owner", FieldEdit::Op::set, str("pat")}}) ==
          "items:\n  - id: A\n    owner: pat\n    title: t\n");
  }
  SUBCASE("a file without a final line break") {
    CHECK(edited("items:\n  - id: A\n    title: t", "A", {{"owner", FieldEdit::Op::set, str("pat")}}) ==
          "items:\n  - id: A\n    title: t\n    owner: pat\n");
  }
  SUBCASE("removing an element that is not there is refused") {
    CHECK_THROWS_AS(edited(text, "A", {{"depends_on", FieldEdit::Op::subtract, str("X")}}), edit::Refused);
  }
}

TEST_CASE("several edits of one list field make one splice: the list they give, written once") {
  using Op = FieldEdit::Op;
  SUBCASE("a flow list: an element swapped for another, every element removed") {
    std::string text = "items:\n  - id: Z\n    depends_on: [W-2]  # why\n    tags: [p, q]\n";
    CHECK(edited(text, "Z", {{"depends_on", Op::subtract, str("W-2")}, {"depends_on", Op::add, str("W-3")}}) ==
          "items:\n  - id: Z\n    depends_on: [W-3]  # why\n    tags: [p, q]\n");
    CHECK(edited(text, "Z", {{"tags", Op::subtract, str("p")}, {"tags", Op::subtract, str("q")}}) ==
          "items:\n  - id: Z\n    depends_on: [W-2]  # why\n    tags: []\n");
    CHECK(edited(text, "Z", {{"tags", Op::add, str("r")}, {"tags", Op::subtract, str("p")}}) ==
          "items:\n  - id: Z\n    depends_on: [W-2]  # why\n    tags: [q, r]\n");
  }
  SUBCASE("a block list of one element: swapped, emptied, grown") {
    std::string text = "items:\n  - id: Y\n    depends_on:\n      - W-2\n    title: y\n";
    CHECK(edited(text, "Y", {{"depends_on", Op::subtract, str("W-2")}, {"depends_on", Op::add, str("W-3")}}) ==
          "items:\n  - id: Y\n    depends_on:\n      - W-3\n    title: y\n");
    CHECK(edited(text, "Y", {{"depends_on", Op::add, str("W-3")}, {"depends_on", Op::subtract, str("W-2")},
                             {"depends_on", Op::subtract, str("W-3")}}) ==
          "items:\n  - id: Y\n    depends_on: []\n    title: y\n");
    // Additions alone append one after the other: the list's other lines (a comment) stay as they are.
    CHECK(edited("items:\n  - id: Y\n    depends_on:\n      - W-2  # first\n    title: y\n", "Y",
                 {{"depends_on", Op::add, str("W-3")}, {"depends_on", Op::add, str("W-4")}}) ==
          "items:\n  - id: Y\n    depends_on:\n      - W-2  # first\n      - W-3\n      - W-4\n    title: y\n");
  }
  SUBCASE("a field the record lacks, and an element that is not there") {
    std::string text = "items:\n  - id: Y\n    title: y\n";
    CHECK(edited(text, "Y", {{"tags", Op::add, str("a")}, {"tags", Op::add, str("b")}}) ==
          "items:\n  - id: Y\n    title: y\n    tags: [a, b]\n");
    CHECK_THROWS_AS(edited(text, "Y", {{"tags", Op::add, str("a")}, {"tags", Op::subtract, str("b")}}), edit::Refused);
  }
}

TEST_CASE("a record's span takes the comment lines right above it") {
  edit::File file("items:\n  # about A\n  - id: A\n    title: t\n\n  - id: B\n    title: u\n", backlog(), "b.yaml");
  auto [b, e] = edit::record_span(file, 0);
  CHECK(file.text.substr(b, e - b) == "  # about A\n  - id: A\n    title: t\n");
}

TEST_CASE("the unified diff shows the changed lines with context") {
  CHECK(edit::unified_diff("a\nb\nc\n", "a\nB\nc\n", "f") == "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  CHECK(edit::unified_diff("a\n", "a\n", "f").empty());
}

TEST_CASE("a plan file is replaced keeping its mode, and not when it changed on disk") {
  auto dir = std::filesystem::temp_directory_path() / ("tandem-edit-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "backlog.yaml").string();
  std::ofstream(path) << "old\n";
  ::chmod(path.c_str(), 0640);
  replace_plan_file(path, "new\n", "old\n");
  struct stat st{};
  ::stat(path.c_str(), &st);
  CHECK((st.st_mode & 0777) == 0640);
  CHECK_THROWS_WITH_AS(replace_plan_file(path, "newer\n", "old\n"),
                       doctest::Contains("changed on disk while tandem was editing it; nothing written"), Error);
  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(content == "new\n");
  std::filesystem::remove_all(dir);
}

TEST_CASE("merge keys add the entries a mapping does not have: explicit keys win, then the earlier mapping") {
  Diagnostics diags;
  auto root = yaml::parse("a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  <<: [*a, *b]\n  x: 9\nd:\n  <<: *b\n", "f.yaml", diags);
  REQUIRE(root);
  CHECK_FALSE(diags.has_errors());
  const auto* c = root->get("c");
  CHECK(c->get("x")->number == 9);
  CHECK(c->get("y")->number == 2);
  CHECK(c->get("z")->number == 4);
  CHECK(c->merged == 2);
  CHECK(c->get("<<") == nullptr);
  CHECK(root->get("d")->get("z")->number == 4);
  SUBCASE("a merge of a scalar is an error") {
    Diagnostics d2;
    CHECK_FALSE(yaml::parse("a: &a 3\nc:\n  <<: *a\n", "f.yaml", d2));
    REQUIRE(d2.size() == 1);
    CHECK(d2.items()[0].code == "bad-merge");
  }
  SUBCASE("a quoted '<<' is an ordinary key") {
    Diagnostics d3;
    auto r = yaml::parse("c:\n  '<<': 1\n", "f.yaml", d3);
    CHECK(r->get("c")->get("<<") != nullptr);
  }
}
