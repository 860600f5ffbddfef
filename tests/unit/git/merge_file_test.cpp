// core/git/merge_file: the merge driver's three-way merge of one plan file, as text.
#include <doctest/doctest.h>

#include <string>

#include "core/git/history.hpp"
#include "core/git/merge_file.hpp"
#include "core/plan/yaml.hpp"

using namespace tandem;

namespace {

const std::string k_base =
    "# The backlog\n"
    "items:\n"
    "  - id: A\n"
    "    title: First\n"
    "    estimate: 3\n"
    "    tags: [x]\n"
    "\n"
    "  # B is important\n"
    "  - id: B\n"
    "    title: 'Second'\n"
    "    estimate: 2\n"
    "\n"
    "  - id: C\n"
    "    title: Third\n";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

/// The records of a list file as history reads them, one line each: id and fields.
std::vector<std::string> records(const std::string& text) {
  Diagnostics diags;
  auto root = yaml::parse(text, "backlog.yaml", diags);
  REQUIRE(root);
  std::vector<std::string> out;
  for (const auto& e : root->get("items")->items) {
    auto r = history::record_of(*e);
    std::string line = r->id;
    for (const auto& [name, value] : r->fields) line += " " + name + "=" + value;
    out.push_back(line);
  }
  return out;
}

}  // namespace

TEST_CASE("merge driver: additions at the end on both sides are both kept, ours first") {
  std::string ours = k_base + "  - id: D\n    title: Ours\n";
  std::string theirs = k_base + "  - id: E\n    title: Theirs\n";
  auto out = merge_file::merge(k_base, ours, theirs, "backlog.yaml");
  CHECK(out.status == merge_file::Status::clean);
  CHECK(out.text == k_base + "  - id: D\n    title: Ours\n  - id: E\n    title: Theirs\n");
}

TEST_CASE("merge driver: two fields of one record changed on two sides merge, comments and quoting kept") {
  std::string ours = replace(k_base, "    estimate: 2\n", "    estimate: 5\n");
  std::string theirs = replace(k_base, "    title: 'Second'\n", "    title: 'Second one' # renamed\n");
  auto out = merge_file::merge(k_base, ours, theirs, "backlog.yaml");
  CHECK(out.status == merge_file::Status::clean);
  CHECK(out.text == replace(ours, "    title: 'Second'\n", "    title: Second one\n"));
  CHECK(out.text.find("# B is important") != std::string::npos);
}

TEST_CASE("merge driver: one field set to two values is a conflict on that field's line only") {
  std::string ours = replace(replace(k_base, "    estimate: 3\n", "    estimate: 4\n"), "title: Third", "title: Third!");
  std::string theirs = replace(k_base, "    estimate: 3\n", "    estimate: 8\n");
  theirs = replace(theirs, "    estimate: 2\n", "    estimate: 1\n");
  auto out = merge_file::merge(k_base, ours, theirs, "backlog.yaml", 9);
  CHECK(out.status == merge_file::Status::conflict);
  CHECK(out.text.find("<<<<<<<<< ours\n    estimate: 4\n=========\n    estimate: 8\n>>>>>>>>> theirs\n") !=
        std::string::npos);
  CHECK(out.text.find("    estimate: 1\n") != std::string::npos);  // their other change merged
  CHECK(out.text.find("title: Third!") != std::string::npos);      // ours kept
  REQUIRE(out.conflicts.size() == 1);
  CHECK(out.conflicts[0] ==
        "backlog.yaml:5:1: conflict: A: estimate is 4 on our side and 8 on theirs (it was 3): keep one between the "
        "markers");
}

TEST_CASE("merge driver: a record on one line with a field in conflict is marked whole") {
  std::string base = "items:\n  - {id: A, title: a, estimate: 1}\n  - {id: B, title: b}\n";
  auto out = merge_file::merge(base, replace(base, "estimate: 1", "estimate: 2"), replace(base, "estimate: 1", "estimate: 3"),
                               "backlog.yaml");
  CHECK(out.status == merge_file::Status::conflict);
  CHECK(out.text == "items:\n<<<<<<< ours\n  - {id: A, title: a, estimate: 2}\n=======\n  - {id: A, title: a, estimate: 3}\n"
                    ">>>>>>> theirs\n  - {id: B, title: b}\n");
  REQUIRE(out.conflicts.size() == 1);
  CHECK(out.conflicts[0] == "backlog.yaml:2:1: conflict: A was changed differently on both sides (it is written on one "
                            "line): keep one between the markers");
}

TEST_CASE("merge driver: lists merge element by element, ours' order first") {
  std::string ours = replace(k_base, "tags: [x]", "tags: [y, x]");
  std::string theirs = replace(k_base, "tags: [x]", "tags: [z]");
  auto out = merge_file::merge(k_base, ours, theirs, "backlog.yaml");
  CHECK(out.status == merge_file::Status::clean);
  CHECK(out.text.find("tags: [y, z]") != std::string::npos);
}

TEST_CASE("merge driver: a reorder on one side and additions on the other combine") {
  // Ours moves C to the top; theirs adds D after A.
  std::string ours = "# The backlog\nitems:\n  - id: C\n    title: Third\n\n  - id: A\n    title: First\n    estimate: 3\n"
                     "    tags: [x]\n\n  # B is important\n  - id: B\n    title: 'Second'\n    estimate: 2\n";
  std::string theirs = replace(k_base, "\n  # B is", "  - id: D\n    title: New\n\n  # B is");
  auto out = merge_file::merge(k_base, ours, theirs, "backlog.yaml");
  CHECK(out.status == merge_file::Status::clean);
  auto ids = records(out.text);
  REQUIRE(ids.size() == 4);
  CHECK(ids[0].starts_with("C "));
  CHECK(ids[1].starts_with("A "));
  CHECK(ids[2].starts_with("D "));
  CHECK(ids[3].starts_with("B "));
}

TEST_CASE("merge driver: modify/delete and the same id added twice are record conflicts") {
  SUBCASE("changed here, deleted there") {
    std::string ours = replace(k_base, "title: Third", "title: Third!");
    std::string theirs = replace(k_base, "\n  - id: C\n    title: Third\n", "\n");
    auto out = merge_file::merge(k_base, ours, theirs, "backlog.yaml");
    CHECK(out.status == merge_file::Status::conflict);
    CHECK(out.text.find("<<<<<<< ours\n  - id: C\n    title: Third!\n=======\n>>>>>>> theirs\n") != std::string::npos);
    REQUIRE(out.conflicts.size() == 1);
    CHECK(out.conflicts[0].find("C was changed on our side and deleted on theirs") != std::string::npos);
  }
  SUBCASE("the same id added on both sides") {
    auto out = merge_file::merge(k_base, k_base + "  - id: D\n    title: Ours\n", k_base + "  - id: D\n    title: Theirs\n",
                                 "backlog.yaml");
    CHECK(out.status == merge_file::Status::conflict);
    REQUIRE(out.conflicts.size() == 1);
    CHECK(out.conflicts[0].find("tandem renumber D NEW") != std::string::npos);
  }
  SUBCASE("deleted on one side, unchanged on the other: deleted") {
    std::string theirs = replace(k_base, "\n  - id: C\n    title: Third\n", "\n");
    auto out = merge_file::merge(k_base, k_base, theirs, "backlog.yaml");
    CHECK(out.status == merge_file::Status::clean);
    CHECK(records(out.text).size() == 2);
  }
}

TEST_CASE("merge driver: an empty base is an add/add merge; an unparsable side is left to git") {
  auto out = merge_file::merge("", "items:\n  - {id: A, title: a}\n", "items:\n  - {id: A, title: a}\n", "b.yaml");
  CHECK(out.status == merge_file::Status::clean);
  auto bad = merge_file::merge(k_base, k_base, "items:\n  - id: [\n", "backlog.yaml");
  CHECK(bad.status == merge_file::Status::unparsable);
  REQUIRE(bad.warnings.size() == 1);
  CHECK(bad.warnings[0].starts_with("backlog.yaml:3:1: their version does not parse"));
  CHECK(bad.warnings[0].find("their version does not parse") != std::string::npos);
}

TEST_CASE("merge driver: the clean result is history::merge's clean merge") {
  std::string ours = replace(k_base + "  - id: D\n    title: Ours\n    depends_on: [A]\n", "estimate: 2", "estimate: 6");
  std::string theirs = replace(replace(k_base, "title: Third", "title: Third\n    estimate: 1"), "tags: [x]", "tags: [x, w]");
  auto out = merge_file::merge(k_base, ours, theirs, "backlog.yaml");
  REQUIRE(out.status == merge_file::Status::clean);
  auto version = [](const std::string& text) {
    history::Version v;
    Diagnostics diags;
    auto root = yaml::parse(text, "backlog.yaml", diags);
    for (const auto& e : root->get("items")->items) v.kinds[0].push_back({history::record_of(*e), history::FileName("backlog.yaml"), 1});
    return v;
  };
  auto b = version(k_base), o = version(ours), t = version(theirs), m = version(out.text);
  CHECK(history::diff(history::merge(b, {&o, &t}), m).empty());
}

TEST_CASE("merge driver: their new record's alias to an anchor ours lacks is written out by value") {
  std::string base = "items:\n  - id: A\n    title: a\n";
  std::string theirs = "items:\n  - id: A\n    title: a\n    tags: &common [x, y]\n  - id: B\n    title: b\n"
                       "    tags: *common\n";
  // Ours moved A after its new C; A's tags come from theirs (written by value, without the anchor), and
  // B is theirs alone: its alias would name an anchor the result lacks, so it is written by value too.
  auto out = merge_file::merge(base, "items:\n  - id: C\n    title: c\n  - id: A\n    title: a\n", theirs, "b.yaml");
  CHECK(out.status == merge_file::Status::clean);
  CHECK(out.text.find("tags: [x, y]") != std::string::npos);
  CHECK(out.text.find("*common") == std::string::npos);
  CHECK(records(out.text).size() == 3);
}

TEST_CASE("merge driver: tandem.yaml merges key by key") {
  std::string base = "version: 1\nproject:\n  name: P\npeople: []\n";
  auto out = merge_file::merge(base, "version: 1\nproject:\n  name: Q\npeople: []\n",
                               "version: 1\nproject:\n  name: P\npeople: []\nforecast: {runs: 10}\n", "tandem.yaml");
  CHECK(out.status == merge_file::Status::clean);
  CHECK(out.text == "version: 1\nproject:\n  name: Q\npeople: []\nforecast: {runs: 10}\n");
}

TEST_CASE("merge driver: their lines take our line ending") {
  auto crlf = [](std::string text) {
    for (std::size_t at = 0; (at = text.find('\n', at)) != std::string::npos; at += 2) text.insert(at, "\r");
    return text;
  };
  std::string theirs = replace(k_base, "    estimate: 2\n", "    estimate: 2\n    status: doing\n") +
                       "  # new\n  - id: E\n    title: Theirs\n";
  SUBCASE("ours CRLF, theirs LF") {
    std::string ours = crlf(replace(k_base, "estimate: 3", "estimate: 4"));
    auto out = merge_file::merge(crlf(k_base), ours, theirs, "backlog.yaml");
    REQUIRE(out.status == merge_file::Status::clean);
    CHECK(out.text == crlf(replace(replace(k_base, "estimate: 3", "estimate: 4"), "    estimate: 2\n",
                                   "    estimate: 2\n    status: doing\n") +
                           "  # new\n  - id: E\n    title: Theirs\n"));
  }
  SUBCASE("ours LF, theirs CRLF") {
    auto out = merge_file::merge(k_base, replace(k_base, "estimate: 3", "estimate: 4"), crlf(theirs), "backlog.yaml");
    REQUIRE(out.status == merge_file::Status::clean);
    CHECK(out.text.find('\r') == std::string::npos);
  }
}

TEST_CASE("merge driver: keys their side added follow ours in their order") {
  std::string ours = replace(k_base, "    title: Third\n", "    title: Third\n    value: 5\n");
  std::string theirs = replace(k_base, "    title: Third\n", "    title: Third\n    status: doing\n    estimate: 1\n");
  auto out = merge_file::merge(k_base, ours, theirs, "backlog.yaml");
  REQUIRE(out.status == merge_file::Status::clean);
  CHECK(out.text == replace(k_base, "    title: Third\n", "    title: Third\n    value: 5\n    status: doing\n    estimate: 1\n"));
}

TEST_CASE("merge driver: a file without a final line break keeps it so") {
  std::string base = k_base.substr(0, k_base.size() - 1);
  std::string ours = replace(base, "estimate: 3", "estimate: 4");
  std::string theirs = base + "\n  - id: E\n    title: Theirs\n";
  auto out = merge_file::merge(base, ours, theirs, "backlog.yaml");
  REQUIRE(out.status == merge_file::Status::clean);
  CHECK(out.text == ours + "\n  - id: E\n    title: Theirs");
  SUBCASE("unless the last record's block text would lose its line break") {
    auto kept = merge_file::merge(base, ours, base + "\n  - id: E\n    title: T\n    description: |\n      T.\n",
                                  "backlog.yaml");
    REQUIRE(kept.status == merge_file::Status::clean);
    CHECK(kept.text.ends_with("      T.\n"));
  }
}

TEST_CASE("merge driver: our last record's block text without a final line break is not changed silently") {
  std::string block = k_base + "    description: |\n      Text.\n";
  std::string ours = block.substr(0, block.size() - 1);  // the description is "Text." now
  auto out = merge_file::merge(block, ours, block + "  - id: E\n    title: T\n", "backlog.yaml");
  CHECK(out.status == merge_file::Status::unparsable);  // git's line merge takes it
}
