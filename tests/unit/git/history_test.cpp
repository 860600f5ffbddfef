// core/git/history: the semantic diff of two versions of the plan (read from memory), and the sides of `diff`.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "core/git/history.hpp"
#include "core/base/error.hpp"
#include "core/plan/schema.hpp"
#include "core/plan/yaml.hpp"
#include "support/engine_fixture.hpp"
#include "support/git_repo.hpp"

using namespace tandem;

namespace {

const char* k_config = "version: 1\nproject: {name: T, start: 2027-01-04}\n";

/// The changes from `old_backlog` to `new_backlog`, one line each: kind id field old → new @line.
std::vector<std::string> changes(const std::string& old_backlog, const std::string& new_backlog,
                                 const std::string& new_config = k_config) {
  history::Reader reader(nullptr, "tandem.yaml", {});
  test::MemorySource before({{"tandem.yaml", k_config}, {"backlog.yaml", old_backlog}});
  test::MemorySource after({{"tandem.yaml", new_config}, {"backlog.yaml", new_backlog}});
  auto a = reader.read(before);
  auto b = reader.read(after);
  std::vector<std::string> out;
  for (const auto& c : history::diff(*a, *b))
    out.push_back(c.kind + " " + c.id + " " + c.field + " " + history::display(c.old_value) + " → " +
                  history::display(c.new_value) + " @" + c.file + ":" + std::to_string(c.line));
  return out;
}

}  // namespace

TEST_CASE("A record's fields are their canonical JSON, exactly as schema::to_json dumps them") {
  // record_of writes the JSON itself (no nlohmann value per field): the same bytes for every kind of value.
  const char* values[] = {
      "plain", "'quoted \\ back'", "\"tab\\there\"", "\"nl\\nx\"", "\"ctl\\x01\"", "\"q\\\"uote\"", "é ü 中文",
      "\"\\xff\"", "\"del\\x7f\"", "3", "-7", "0", "-0.0", "3.0", "3e0", "0.5", "1e300", "-1.25e-7", "0.1", "12345678901234567890",
      "9.3e18", "-9.3e18", ".inf", "-.inf", ".nan", "0x1F", "0o17", "true", "False", "null", "~", "", "2027-01-04",
      "[a, 1, [b, {c: d}], null]", "{b: 1, a: 2, B: 3, \"é\": x, \"\": e}", "[]", "{}", "|\n      two\n      lines\n",
      "&a {x: [1, 2]}", "{<<: {a: 1, b: 2}, b: 3}", "!!str 5", "'8'", "\"true\""};
  for (const char* v : values) {
    std::string text = std::string("- id: A\n  f: ") + v + "\n";
    if (std::string_view(v).starts_with("&a")) text += "  g: *a\n";  // an alias expands to the same value
    Diagnostics diags;
    auto root = yaml::parse(text, "t.yaml", diags);
    INFO(text);
    REQUIRE(root);
    REQUIRE(!diags.has_errors());
    for (const auto& element : root->items) {
      auto r = history::record_of(*element);
      REQUIRE(r);
      for (const auto& [k, value] : element->entries) {
        if (k->text == "id") continue;
        auto want = schema::to_json(*value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        auto field = std::find_if(r->fields.begin(), r->fields.end(), [&](const auto& f) { return f.first == k->text; });
        REQUIRE(field != r->fields.end());
        CHECK(field->second == want);
      }
    }
  }
}

TEST_CASE("diff reports a created record with its title, at its line") {
  CHECK(changes("items:\n  - {id: A, title: a}\n", "items:\n  - {id: A, title: a}\n  - id: B\n    title: b\n") ==
        std::vector<std::string>{"backlog B create (none) → b @backlog.yaml:3"});
}

TEST_CASE("diff reports a deleted record at its old line") {
  CHECK(changes("items:\n  - {id: A, title: a}\n  - {id: B, title: b}\n", "items:\n  - {id: A, title: a}\n") ==
        std::vector<std::string>{"backlog B delete b → (none) @backlog.yaml:3"});
}

TEST_CASE("diff reports changed, added and removed fields at the field's line; x- keys do not count") {
  CHECK(changes("items:\n  - id: A\n    title: a\n    value: 3\n    size: 2\n",
                "items:\n  - id: A\n    title: a\n    value: 5\n    estimate: 1\n    x-note: ignored\n") ==
        std::vector<std::string>{"backlog A estimate (none) → 1 @backlog.yaml:5",
                                 "backlog A size 2 → (none) @backlog.yaml:2",
                                 "backlog A value 3 → 5 @backlog.yaml:4"});
}

TEST_CASE("diff reports a change of order once, at the first record out of place; a move alone changes no field") {
  CHECK(changes("items:\n  - {id: A, title: a}\n  - {id: B, title: b}\n  - {id: C, title: c}\n",
                "items:\n  - {id: C, title: c}\n  - {id: A, title: a}\n  - {id: B, title: b}\n") ==
        std::vector<std::string>{"backlog C order 3 → 1 @backlog.yaml:2"});
}

TEST_CASE("diff reports config fields by their top-level key") {
  CHECK(changes("items: []\n", "items: []\n", std::string(k_config) + "priority: {model: rice}\n") ==
        std::vector<std::string>{"config  priority (none) → {model: rice} @tandem.yaml:3"});
}

TEST_CASE("diff of versions that differ only in fields: the same changes as with the records' map") {
  // diff takes a short way when both sides hold the same ids in the same files and order; a record
  // created at the end makes it take the long way, and must add nothing but its own creation.
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    history::Version a, b;
    std::size_t n = 1 + rng() % 12;
    for (std::size_t i = 0; i < n; ++i) {
      auto r = std::make_shared<history::Record>();
      r->id = "A-" + std::to_string(rng() % 6);  // duplicates now and then
      r->fields = {{"status", rng() % 3 ? "\"todo\"" : "\"done\""}, {"title", "\"t\""}, {"value", std::to_string(rng() % 3)}};
      r->lines = r->columns = {1, 2, 3};
      std::string file = rng() % 4 ? "backlog.yaml" : "more.yaml";
      a.kinds[0].push_back({r, history::FileName(file), static_cast<std::uint32_t>(2 * i + 2)});
      auto changed = r;
      if (rng() % 3 == 0) {
        auto c = std::make_shared<history::Record>(*r);
        c->fields[rng() % 3].second = rng() % 2 ? "\"doing\"" : std::to_string(rng() % 5);
        changed = c;
      }
      b.kinds[0].push_back({changed, history::FileName(file), static_cast<std::uint32_t>(2 * i + 2 + rng() % 2)});
    }
    auto shown = [](const std::vector<history::Change>& cs) {
      std::vector<std::string> out;
      for (const auto& c : cs)
        if (c.id != "NEW")
          out.push_back(c.id + " " + c.field + " " + c.old_value.value_or("-") + " " + c.new_value.value_or("-") +
                        " " + c.file + ":" + std::to_string(c.line));
      return out;
    };
    auto longer = b;
    auto sentinel = std::make_shared<history::Record>();
    sentinel->id = "NEW";
    longer.kinds[0].push_back({sentinel, history::FileName("backlog.yaml"), 99});
    CAPTURE(round);
    CHECK(shown(history::diff(a, b)) == shown(history::diff(a, longer)));
  }
}

TEST_CASE("resplit cuts an edited file exactly as split does, or leaves it to split") {
  std::mt19937 rng(11);
  auto pick = [&](std::initializer_list<const char*> xs) { return std::string(xs.begin()[rng() % xs.size()]); };
  std::size_t answered = 0, reused_chunks = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string eol = rng() % 5 ? "\n" : "\r\n";
    std::string text = pick({"", "# plan\n", "\n"}) + "items:" + eol;
    for (std::size_t i = 0, n = 2 + rng() % 8; i < n; ++i) {
      text += "  - id: A-" + std::to_string(i) + eol + "    title: t" + std::to_string(rng() % 9) + eol;
      if (rng() % 3 == 0) text += pick({"    # note\n", "\n", "    tags:\n      - a\n", "    x: |\n      - not an item\n"});
    }
    std::string edited = text;
    for (int e = 0, edits = 1 + static_cast<int>(rng() % 2); e < edits; ++e) {
      std::size_t at = rng() % (edited.size() + 1), cut = std::min<std::size_t>(rng() % 12, edited.size() - at);
      edited.replace(at, cut, pick({"", "\n", "  - id: Z\n", "    k: v\n", "#c\n", "\t", " ", "x", "- ", "\r\n",
                                    "items:\n", "  -", "-\n"}));
    }
    auto old_chunks = history::split(text, "items");
    REQUIRE(old_chunks);
    std::vector<std::size_t> reused;
    auto again = history::resplit(text, *old_chunks, edited, reused);
    auto want = history::split(edited, "items");
    CAPTURE(text);
    CAPTURE(edited);
    if (!again) continue;
    ++answered;
    REQUIRE(want);  // never a cut where split would parse the whole file
    REQUIRE(again->size() == want->size());
    REQUIRE(reused.size() == want->size());
    for (std::size_t i = 0; i < want->size(); ++i) {
      CHECK((*again)[i].text.data() == (*want)[i].text.data());
      CHECK((*again)[i].text == (*want)[i].text);
      CHECK((*again)[i].line == (*want)[i].line);
      if (reused[i] != std::string::npos) {
        CHECK((*old_chunks)[reused[i]].text == (*want)[i].text);
        ++reused_chunks;
      }
    }
  }
  CHECK(answered > 500);
  CHECK(reused_chunks > 2000);
}

TEST_CASE("resplit takes unchanged items from the old split, the first one and those between two changes too") {
  std::string text = "# plan\nitems:\n";
  for (int i = 0; i < 6; ++i) text += "  - id: A-" + std::to_string(i) + "\n    title: t\n";
  auto old_chunks = history::split(text, "items");
  REQUIRE(old_chunks);
  std::vector<std::size_t> reused;
  // The first item's title and the fifth one's changed: the others are the old ones, in place.
  std::string edited = text;
  edited.replace(edited.find("title: t"), 8, "title: first\n    value: 3");
  edited.replace(edited.find("A-4\n    title: t") + 4, 12, "    title: fifth");
  auto again = history::resplit(text, *old_chunks, edited, reused);
  REQUIRE(again);
  CHECK(reused == std::vector<std::size_t>{std::string::npos, 1, 2, 3, std::string::npos, 5});
  REQUIRE(again->size() == 6);
  CHECK((*again)[0].text == "  - id: A-0\n    title: first\n    value: 3\n");
  CHECK((*again)[3].line == 10);  // one line more above it
  CHECK((*again)[5].text == "  - id: A-5\n    title: t\n");
  CHECK((*again)[5].line == 14);
  // The first item's first line changed: it sets the indentation, so split reads it all.
  CHECK_FALSE(history::resplit(text, *old_chunks, "# plan\nitems:\n - id: A-0\n" + text.substr(text.find("    title")), reused));
  // An old last item without a final line break, now followed on its line by what looks like an
  // item: the same bytes no longer end an item there.
  std::string last = "items:\n  - id: A\n  - id: B\n    title: x";
  auto last_chunks = history::split(last, "items");
  REQUIRE(last_chunks);
  std::string longer = last + "  - id: C\n";
  auto glued = history::resplit(last, *last_chunks, longer, reused);
  auto want = history::split(longer, "items");
  REQUIRE(glued);
  REQUIRE(want);
  REQUIRE(glued->size() == want->size());
  CHECK(glued->back().text == "  - id: B\n    title: x  - id: C\n");
  CHECK(reused.back() == std::string::npos);
}

TEST_CASE("Identical versions have no changes, and display writes strings without quotes") {
  CHECK(changes("items:\n  - {id: A, title: a}\n", "items:\n  - {id: A, title: a}\n").empty());
  CHECK(history::display(std::string("\"text\"")) == "text");
  // Lists and mappings as YAML flow collections, as a plan file writes them; a string that YAML would
  // read otherwise, or that holds a flow indicator, quoted.
  CHECK(history::display(std::string("[1,2]")) == "[1, 2]");
  CHECK(history::display(std::string("[\"A-1\",\"B\"]")) == "[A-1, B]");
  CHECK(history::display(std::string("[\"a, b\",\"8\",\"x: y\"]")) == "[\"a, b\", \"8\", \"x: y\"]");
  CHECK(history::display(std::string("{\"model\":\"rice\",\"reach\":[1]}")) == "{model: rice, reach: [1]}");
  CHECK(history::display(std::string("[]")) == "[]");
  CHECK(history::display(std::string("[\"the bank's page\",\"'quoted'\",\"a #tag\",\"C#\",\"-x\"]")) ==
        "[the bank's page, \"'quoted'\", \"a #tag\", C#, -x]");
  CHECK(history::display(std::nullopt) == "(none)");
  // A change of type shows as one; a string that reads as another type keeps its quotes.
  CHECK(history::display(std::string("\"8\"")) == "\"8\"");
  CHECK(history::display(std::string("8"), std::string("\"8\"")) == "8");
  CHECK(history::display(std::string("\"eight\""), std::string("8")) == "\"eight\"");
  CHECK(history::display(std::string("\"eight\""), std::string("\"nine\"")) == "eight");
  for (const char* s : {"\"true\"", "\"no\"", "\"null\"", "\"~\"", "\"\"", "\" x\"", "\"1e3\"", "\"(none)\""})
    CHECK(history::display(std::string(s)) == s);
}

TEST_CASE("A side is the plan at a revision or in the working tree, and diff compares two") {
  test::GitRepo r;
  r.write("tandem.yaml", k_config);
  r.write("backlog.yaml", "items:\n  - {id: A, title: a}\n");
  r.commit("plan");
  r.write("backlog.yaml", "items:\n  - {id: A, title: b}\n");
  git::Repository repo(r.path());
  history::Reader reader(&repo, "tandem.yaml", {});
  auto head = history::side(repo, r.path(), std::string("HEAD"));
  auto work = history::side(repo, r.path(), std::nullopt);
  CHECK(head.label == "HEAD");
  CHECK(head.commit->hex() == r.git("rev-parse HEAD"));
  CHECK(work.label == "working tree");
  CHECK_FALSE(work.commit);
  auto changes = history::diff(*history::version(reader, head), *history::version(reader, work));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].field == "title");
  CHECK(history::display(changes[0].new_value) == "b");
  CHECK_THROWS_AS(history::side(repo, r.path(), std::string("nope")), Error);
}

TEST_CASE("The reader's caches stay under their byte limit, whatever the history") {
  test::GitRepo r;
  r.write("tandem.yaml", k_config);
  std::string title(200'000, 'x');
  std::vector<std::string> commits;
  for (int i = 0; i < 12; ++i) {
    title[0] = static_cast<char>('a' + i);  // one character of a long title changes in each commit
    r.write("backlog.yaml", "items:\n  - id: A\n    title: " + title + "\n  - {id: B, title: b}\n");
    commits.push_back(r.commit("c" + std::to_string(i)));
  }
  git::Repository repo(r.path());
  const std::size_t limit = 1'000'000;
  history::Reader reader(&repo, "tandem.yaml", {}, limit);
  std::size_t most = 0;
  for (const auto& c : commits) {
    auto v = reader.at(*git::Oid::from_hex(c));
    REQUIRE(v->kinds[0].size() == 2);
    CHECK(v->kinds[0][0].record->fields[0].second.size() == title.size() + 2);
    most = std::max(most, reader.cached_bytes());
  }
  CHECK(most <= limit);
  CHECK(most > limit / 2);  // it does cache
}

TEST_CASE("A reader given another's records parses none of them again, and reads the same versions") {
  test::GitRepo r;
  r.write("tandem.yaml", k_config);
  r.write("backlog.yaml", "items:\n  - id: A\n    title: a\n  - id: B\n    title: b\n  - id: C\n    title: c\n");
  auto first = *git::Oid::from_hex(r.commit("plan"));
  r.write("backlog.yaml", "items:\n  - id: A\n    title: a\n  - id: B\n    title: b2\n  - id: C\n    title: c\n");
  auto second = *git::Oid::from_hex(r.commit("edit"));
  git::Repository repo(r.path());
  history::Reader own(&repo, "tandem.yaml", {});
  auto a1 = own.at(first);
  auto a2 = own.at(second);
  history::Reader walk(&repo, "tandem.yaml", {});
  walk.share_records(own);
  auto b1 = walk.at(first);
  auto b2 = walk.at(second);
  REQUIRE(b1->kinds[0].size() == 3);
  REQUIRE(b2->kinds[0].size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(b1->kinds[0][i].record == a1->kinds[0][i].record);  // the very records: not parsed again
    CHECK(b2->kinds[0][i].record == a2->kinds[0][i].record);
    CHECK(b2->kinds[0][i].line == a2->kinds[0][i].line);
  }
  CHECK(history::diff(*b1, *b2).size() == 1);
}

TEST_CASE("A reader takes the files another put on their shelf instead of reading their blobs; the shelf keeps the newest") {
  test::GitRepo r;
  r.write("tandem.yaml", k_config);
  std::vector<git::Oid> commits;
  for (int i = 0; i < 4; ++i) {
    r.write("backlog.yaml", "items:\n  - id: A\n    title: a" + std::to_string(i) + "\n  - id: B\n    title: b\n");
    commits.push_back(*git::Oid::from_hex(r.commit("c" + std::to_string(i))));
  }
  git::Repository repo(r.path());
  history::Reader::Shelf shelf(3 * (2 * sizeof(history::Placed) + 20));  // room for three versions' lists
  history::Reader walk(&repo, "tandem.yaml", {});
  walk.use_shelf(&shelf);
  std::vector<std::shared_ptr<const history::Version>> read;
  for (const auto& c : commits) read.push_back(walk.at(c));
  // The backlog's blobs are gone from the repository: only the shelf can give them now.
  for (const auto& c : commits) {
    std::string blob = r.git("rev-parse " + c.hex() + ":backlog.yaml");
    std::filesystem::remove(r.path() + "/.git/objects/" + blob.substr(0, 2) + "/" + blob.substr(2, 38));
  }
  git::Repository again(r.path());
  history::Reader audit(&again, "tandem.yaml", {});
  audit.use_shelf(&shelf);
  for (std::size_t i = 1; i < commits.size(); ++i) {  // the last three
    auto got = audit.at(commits[i]);
    CHECK(got->problems.empty());
    REQUIRE(got->kinds[0].size() == 2);
    CHECK(got->kinds[0][0].record == read[i]->kinds[0][0].record);  // the very records: not parsed again
    CHECK(got->kinds[0][1].line == read[i]->kinds[0][1].line);
    CHECK(history::diff(*read[i], *got).empty());
  }
  auto oldest = audit.at(commits[0]);  // dropped from the shelf: read from git, which has lost it
  REQUIRE(oldest->problems.size() == 1);
  CHECK(oldest->problems[0].file == "backlog.yaml");
}

TEST_CASE("A version read again after the caches were cleared holds the same records, placed alike") {
  test::GitRepo r;
  r.write("tandem.yaml", k_config);
  std::vector<git::Oid> commits;
  for (int i = 0; i < 6; ++i) {
    std::string backlog = "items:\n";
    for (int j = 0; j < 40; ++j)
      backlog += "  - id: I" + std::to_string(j) + "\n    title: t" + std::to_string(j == i ? 100 + i : j) + "\n";
    r.write("backlog.yaml", backlog);
    r.write("risks.yaml", "risks:\n  - {id: R1, title: r, probability: 0.5, impact: 3}\n");
    commits.push_back(*git::Oid::from_hex(r.commit("c" + std::to_string(i))));
  }
  git::Repository repo(r.path());
  history::Reader big(&repo, "tandem.yaml", {});
  history::Reader tiny(&repo, "tandem.yaml", {}, 4'000);  // clears its caches every version or two
  for (const auto& c : commits) {
    for (int pass = 0; pass < 2; ++pass) {  // the second read comes from the cache, or is rebuilt
      auto want = big.at(c);
      auto got = tiny.at(c);
      for (std::size_t k = 0; k < history::k_kinds.size(); ++k) {
        REQUIRE(got->kinds[k].size() == want->kinds[k].size());
        for (std::size_t i = 0; i < got->kinds[k].size(); ++i) {
          CHECK(got->kinds[k][i].record->fields == want->kinds[k][i].record->fields);
          CHECK(got->kinds[k][i].file == want->kinds[k][i].file);
          CHECK(got->kinds[k][i].line == want->kinds[k][i].line);
        }
      }
      CHECK(history::diff(*want, *got).empty());
    }
  }
  CHECK(tiny.cached_bytes() <= 4'000);
}

TEST_CASE("A link or an unreadable file in a version is a problem, and its records stand as they last stood") {
  test::GitRepo r;
  r.write("tandem.yaml", std::string(k_config) + "files:\n  backlog: [backlog.yaml, archive/*.yaml]\n");
  r.write("backlog.yaml", "items:\n  - {id: A, title: a}\n");
  r.write("notes/s.yaml", "items:\n  - {id: EVIL, title: e}\n");
  std::string base = r.commit("plan");
  std::filesystem::create_directories(std::filesystem::path(r.path()) / "archive");
  std::filesystem::create_symlink("../notes/s.yaml", std::filesystem::path(r.path()) / "archive/s.yaml");
  std::string linked = r.commit("link");
  git::Repository repo(r.path());
  history::Reader reader(&repo, "tandem.yaml", {});
  auto before = reader.at(*git::Oid::from_hex(base));
  auto after = reader.at(*git::Oid::from_hex(linked));
  CHECK(before->problems.empty());
  REQUIRE(after->problems.size() == 1);
  CHECK(after->problems[0].file == "archive/s.yaml");
  CHECK(after->problems[0].message == "unsafe-path: 'archive/s.yaml' is a symbolic link, which tandem never follows");
  CHECK(history::diff(*before, *after).empty());
  auto without = history::without(*after, {"backlog.yaml"});
  CHECK(without.kinds[0].empty());
}
