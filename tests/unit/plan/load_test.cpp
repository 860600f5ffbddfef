#include "core/plan/load.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "support/fake_source.hpp"

using namespace tandem;
using tandem::test::FakeSource;
using tandem::test::formatted;
using Lines = std::vector<std::string>;
using Files = std::map<std::string, std::string>;
namespace fs = std::filesystem;

namespace {

/// A fresh directory under the system's temporary directory, removed with everything in it.
class TempDir {
public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "tandem-load-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    m_path = fs::canonical(pattern);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return m_path; }
  /// Writes a file (creating its directories) and returns its path.
  fs::path write(const std::string& relative, const std::string& text = "version: 1\n") const {
    fs::path p = m_path / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p;
  }
  fs::path mkdir(const std::string& relative) const {
    fs::create_directories(m_path / relative);
    return m_path / relative;
  }

private:
  fs::path m_path;
};

load::Options from(const fs::path& dir) {
  load::Options o;
  o.start_dir = dir.string();
  return o;
}

struct Result {
  load::Loaded loaded;
  Diagnostics diags;
};

/// Loads files from a fake repository whose tandem.yaml is at `config_path`.
Result load_files(Files files, std::string config_path = "tandem.yaml", load::Options options = {},
                  bool config_only = false, FakeSource* source_out = nullptr) {
  if (!files.count(config_path)) files[config_path] = std::string(test::k_config);
  FakeSource source(std::move(files));
  Result r;
  r.loaded = load::load(test::fake_location(config_path), source, options, r.diags, config_only);
  if (source_out) *source_out = source;
  return r;
}

std::string config_with(std::string_view rest) { return std::string(test::k_config) + std::string(rest); }

}  // namespace

// ---- locate ------------------------------------------------------------------------------------

TEST_CASE("locate: tandem.yaml is searched upward from the start directory") {
  TempDir tmp;
  tmp.mkdir("repo/.git");
  tmp.write("repo/tandem.yaml");
  fs::path deep = tmp.mkdir("repo/src/deeper");
  SUBCASE("from a subdirectory") {
    auto where = load::locate(from(deep));
    CHECK(where.root == (tmp.path() / "repo").string());
    CHECK(where.config_path == "tandem.yaml");
    CHECK(where.in_git);
  }
  SUBCASE("from the directory itself") {
    auto where = load::locate(from(tmp.path() / "repo"));
    CHECK(where.config_path == "tandem.yaml");
  }
  SUBCASE("the nearest tandem.yaml wins; the root stays the repository") {
    tmp.write("repo/src/tandem.yaml");
    auto where = load::locate(from(deep));
    CHECK(where.root == (tmp.path() / "repo").string());
    CHECK(where.config_path == "src/tandem.yaml");
    CHECK(where.in_git);
  }
  SUBCASE("a relative start directory with '..' is normalised") {
    auto where = load::locate(from(deep / ".." / "deeper"));
    CHECK(where.config_path == "tandem.yaml");
  }
}

TEST_CASE("locate: a .git file (a worktree) also marks the repository") {
  TempDir tmp;
  tmp.write("wt/.git", "gitdir: /elsewhere\n");
  tmp.write("wt/plan/tandem.yaml");
  auto where = load::locate(from(tmp.path() / "wt" / "plan"));
  CHECK(where.in_git);
  CHECK(where.root == (tmp.path() / "wt").string());
  CHECK(where.config_path == "plan/tandem.yaml");
}

TEST_CASE("locate: outside a git repository the root is the config's directory") {
  TempDir tmp;
  tmp.write("plain/tandem.yaml");
  auto where = load::locate(from(tmp.path() / "plain"));
  CHECK_FALSE(where.in_git);
  CHECK(where.root == (tmp.path() / "plain").string());
  CHECK(where.config_path == "tandem.yaml");
}

TEST_CASE("locate: --config names the file directly") {
  TempDir tmp;
  tmp.mkdir("repo/.git");
  fs::path config = tmp.write("repo/plans/team.yaml");
  load::Options o;
  o.config_file = config.string();
  auto where = load::locate(o);
  CHECK(where.root == (tmp.path() / "repo").string());
  CHECK(where.config_path == "plans/team.yaml");
  CHECK(where.in_git);
}

TEST_CASE("locate: errors are thrown as tandem::Error") {
  TempDir tmp;
  SUBCASE("no tandem.yaml up to the file system's root") {
    fs::path empty = tmp.mkdir("empty/sub");
    CHECK_THROWS_WITH_AS(load::locate(from(empty)),
                         ("no tandem.yaml in " + empty.string() +
                          " or any parent directory (run 'tandem init' to create one)")
                             .c_str(),
                         Error);
  }
  SUBCASE("a start directory that does not exist") {
    std::string missing = (tmp.path() / "nope").string();
    CHECK_THROWS_WITH_AS(load::locate(from(missing)), (missing + ": no such directory").c_str(), Error);
  }
  SUBCASE("a start directory that is a file") {
    fs::path file = tmp.write("file.txt");
    CHECK_THROWS_AS(load::locate(from(file)), Error);
  }
  SUBCASE("a --config file that does not exist") {
    load::Options o;
    o.config_file = (tmp.path() / "missing.yaml").string();
    CHECK_THROWS_WITH_AS(load::locate(o), (o.config_file + ": no such file").c_str(), Error);
  }
  SUBCASE("a --config that is a directory") {
    load::Options o;
    o.config_file = tmp.mkdir("dir").string();
    CHECK_THROWS_AS(load::locate(o), Error);
  }
}

// ---- load: files -------------------------------------------------------------------------------

TEST_CASE("load: the default files are read when they exist, and skipped silently when not") {
  FakeSource source;
  auto r = load_files({{"backlog.yaml", "items:\n  - {id: A, title: T}\n  - {id: B, title: U}\n"},
                       {"risks.yaml", "risks:\n  - {id: R1, title: R}\n"}},
                      "tandem.yaml", {}, false, &source);
  CHECK(formatted(r.diags) == Lines{});
  const auto& plan = r.loaded.plan;
  CHECK(plan.root == "/repo");
  CHECK(plan.config_dir == "");
  CHECK(plan.files == Lines{"tandem.yaml", "backlog.yaml", "risks.yaml"});
  REQUIRE(plan.items.size() == 2);
  CHECK(*plan.items[1].id == "B");
  CHECK(plan.items[1].file == 1);
  CHECK(plan.items[1].mark == Mark{3, 5});
  REQUIRE(plan.risks.size() == 1);
  CHECK(plan.risks[0].file == 2);
  CHECK(plan.milestones.empty());
  CHECK(source.reads == Lines{"tandem.yaml", "backlog.yaml", "roadmap.yaml", "risks.yaml"});
  CHECK(plan.config.people.size() == 3);
  CHECK(plan.config.people_mark.line != 0);  // the people list was read (Config::root is gone)
}

TEST_CASE("load: paths are relative to the directory of tandem.yaml") {
  auto r = load_files({{"plan/backlog.yaml", "items: [{id: A, title: T}]\n"},
                       {"plan/tandem.yaml", config_with("files: {roadmap: ../roadmap.yaml}\n")},
                       {"roadmap.yaml", "milestones: [{id: M1, title: M}]\n"}},
                      "plan/tandem.yaml");
  CHECK(formatted(r.diags) == Lines{});
  CHECK(r.loaded.plan.config_dir == "plan");
  CHECK(r.loaded.plan.files == Lines{"plan/tandem.yaml", "plan/backlog.yaml", "roadmap.yaml"});
  CHECK(r.loaded.plan.milestones.size() == 1);
}

TEST_CASE("load: a list of paths and globs, each file read once, in order") {
  auto r = load_files({{"tandem.yaml", config_with("files:\n  backlog: [core.yaml, 'teams/*.yaml', teams/b.yaml]\n")},
                       {"core.yaml", "items: [{id: C0, title: T}]\n"},
                       {"teams/b.yaml", "items: [{id: B0, title: T}]\n"},
                       {"teams/a.yaml", "items: [{id: A0, title: T}, {id: A1, title: T}]\n"},
                       {"teams/sub/c.yaml", "items: [{id: X, title: T}]\n"},
                       {"teams/notes.txt", "not yaml: ["}});
  CHECK(formatted(r.diags) == Lines{});
  CHECK(r.loaded.plan.files == Lines{"tandem.yaml", "core.yaml", "teams/a.yaml", "teams/b.yaml"});
  std::vector<std::string> ids;
  for (const auto& it : r.loaded.plan.items) ids.push_back(*it.id + "@" + std::to_string(it.file));
  CHECK(ids == Lines{"C0@1", "A0@2", "A1@2", "B0@3"});
}

TEST_CASE("load: a glob that matches nothing is a warning") {
  auto r = load_files({{"tandem.yaml", config_with("files: {risks: 'risks/*.yaml'}\n")}});
  CHECK(formatted(r.diags) == Lines{"tandem.yaml:7:16: warning: 'risks/*.yaml' matches no file [no-match]"});
  CHECK_FALSE(r.diags.has_errors());
}

TEST_CASE("load: unsafe-path for absolute paths and paths that leave the repository") {
  const std::string hint = "\n  hint: plan files must be inside the repository; use a relative path without '..'";
  SUBCASE("absolute") {
    FakeSource source;
    auto r = load_files({{"tandem.yaml", config_with("files: {backlog: /etc/passwd}\n")}, {"/etc/passwd", "x"}},
                        "tandem.yaml", {}, false, &source);
    CHECK(formatted(r.diags) ==
          Lines{"tandem.yaml:7:18: error: '/etc/passwd' is an absolute path [unsafe-path]" + hint});
    CHECK(std::find(source.reads.begin(), source.reads.end(), "/etc/passwd") == source.reads.end());
  }
  SUBCASE("escaping with ..") {
    auto r = load_files({{"tandem.yaml", config_with("files:\n  backlog: ../outside.yaml\n  roadmap: [a/../../x.yaml]\n")}});
    CHECK(formatted(r.diags) ==
          Lines{"tandem.yaml:8:12: error: '../outside.yaml' leads outside the repository [unsafe-path]" + hint,
                "tandem.yaml:9:13: error: 'a/../../x.yaml' leads outside the repository [unsafe-path]" + hint});
  }
  SUBCASE("escaping from a config in a subdirectory") {
    auto r = load_files({{"plan/tandem.yaml", config_with("files: {backlog: ../../b.yaml}\n")}}, "plan/tandem.yaml");
    CHECK(formatted(r.diags) ==
          Lines{"plan/tandem.yaml:7:18: error: '../../b.yaml' leads outside the repository [unsafe-path]" + hint});
  }
  SUBCASE("a glob that escapes") {
    auto r = load_files({{"tandem.yaml", config_with("files: {backlog: '../*.yaml'}\n")}});
    CHECK(formatted(r.diags) ==
          Lines{"tandem.yaml:7:18: error: '../*.yaml' leads outside the repository [unsafe-path]" + hint});
  }
  SUBCASE("through a symbolic link") {
    FakeSource source;
    source.files() = {{"tandem.yaml", config_with("files: {backlog: [ok.yaml, link.yaml]}\n")},
                      {"ok.yaml", "items: []\n"},
                      {"link.yaml", "items: []\n"}};
    source.files().erase("link.yaml");
    source.links = {"link.yaml"};
    Diagnostics diags;
    auto loaded = load::load(test::fake_location(), source, {}, diags);
    CHECK(formatted(diags) ==
          Lines{"tandem.yaml:7:28: error: 'link.yaml' is a symbolic link [unsafe-path]\n  hint: " +
                std::string(k_link_hint)});
    CHECK(loaded.plan.files == Lines{"tandem.yaml", "ok.yaml"});
  }
  SUBCASE("'..' that stays inside is fine") {
    auto r = load_files({{"tandem.yaml", config_with("files: {backlog: sub/../backlog.yaml}\n")},
                         {"backlog.yaml", "items: []\n"}});
    CHECK(formatted(r.diags) == Lines{});
    CHECK(r.loaded.plan.files == Lines{"tandem.yaml", "backlog.yaml"});
  }
}

TEST_CASE("load: a file named in files must exist") {
  auto r = load_files({{"tandem.yaml", config_with("files:\n  backlog: [a.yaml, missing.yaml]\n")},
                       {"a.yaml", "items: []\n"}});
  CHECK(formatted(r.diags) == Lines{"tandem.yaml:8:21: error: 'missing.yaml' does not exist [missing-file]"});
  auto sub = load_files({{"p/tandem.yaml", config_with("files: {roadmap: road.yaml}\n")}}, "p/tandem.yaml");
  CHECK(formatted(sub.diags) == Lines{"p/tandem.yaml:7:18: error: 'p/road.yaml' does not exist [missing-file]"});
}

TEST_CASE("load: empty plan files are errors") {
  SUBCASE("a list file") {
    for (const char* text : {"", "# only a comment\n"}) {
      CAPTURE(text);
      auto r = load_files({{"backlog.yaml", text}, {"roadmap.yaml", ""}});
      CHECK(formatted(r.diags) ==
            Lines{"backlog.yaml:1:1: error: the backlog file is empty [empty-file]\n  hint: write 'items: []' for none",
                  "roadmap.yaml:1:1: error: the roadmap file is empty [empty-file]\n"
                  "  hint: write 'milestones: []' for none"});
    }
  }
  SUBCASE("tandem.yaml") {
    auto r = load_files({{"tandem.yaml", "\n"}});
    CHECK(formatted(r.diags) == Lines{"tandem.yaml:1:1: error: tandem.yaml is empty [empty-file]\n"
                                      "  hint: run 'tandem init' in an empty directory to see a starter plan"});
    CHECK_FALSE(r.loaded.rules.defaults.empty());
  }
  SUBCASE("a syntax error is not also an empty file") {
    auto r = load_files({{"backlog.yaml", "items: [\n"}});
    REQUIRE(r.diags.size() == 1);
    CHECK(r.diags.items()[0].code == "yaml-syntax");
  }
}

TEST_CASE("load: failures to read are thrown") {
  SUBCASE("no tandem.yaml in the source") {
    FakeSource source;
    Diagnostics diags;
    CHECK_THROWS_WITH_AS(load::load(test::fake_location(), source, {}, diags), "cannot read tandem.yaml", Error);
  }
  SUBCASE("a file over the size limit") {
    load::Options o;
    o.max_file_size = 64;
    CHECK_THROWS_AS(load_files({{"backlog.yaml", "items:\n" + std::string(100, '#') + "\n"}}, "tandem.yaml", o),
                    Error);
  }
}

TEST_CASE("load: config_only reads tandem.yaml alone") {
  FakeSource source;
  auto r = load_files({{"backlog.yaml", "items: [{id: A, title: T}]\n"}}, "tandem.yaml", {}, true, &source);
  CHECK(source.reads == Lines{"tandem.yaml"});
  CHECK(r.loaded.plan.items.empty());
  CHECK(r.loaded.plan.files == Lines{"tandem.yaml"});
}

TEST_CASE("load: ownership rules come from tandem.yaml, over the defaults") {
  auto plain = load_files({});
  CHECK(plain.loaded.rules.kinds.empty());
  CHECK(ownership::to_string(plain.loaded.rules.field("backlog", "estimate")) == "developer");
  auto custom = load_files({{"tandem.yaml", config_with("ownership:\n  backlog: {fields: {estimate: project_manager}}\n")}});
  CHECK(formatted(custom.diags) == Lines{});
  CHECK(ownership::to_string(custom.loaded.rules.field("backlog", "estimate")) == "project_manager");
  CHECK(custom.loaded.plan.config.ownership_mark == Mark{8, 3});
}

TEST_CASE("load: findings of every file are collected, with the right file names") {
  auto r = load_files({{"tandem.yaml", config_with("velocity: fast\n")},
                       {"backlog.yaml", "items:\n  - {id: A, title: T, vaule: 1}\nextra: 1\n"},
                       {"roadmap.yaml", "milestones:\n  - {id: M1}\n"},
                       {"risks.yaml", "risks:\n  - {id: R1, title: R, probability: 9}\n"}});
  CHECK(formatted(r.diags) ==
        Lines{"backlog.yaml:2:23: error: unknown key 'vaule' in an item [unknown-key]\n  hint: did you mean 'value'?",
              "backlog.yaml:3:1: error: unknown key 'extra' in the top level of backlog.yaml [unknown-key]",
              "risks.yaml:2:37: error: 'probability' must be at most 5, not 9 [out-of-range]",
              "roadmap.yaml:2:5: error: a milestone has no 'title', which is required [missing-key]",
              "tandem.yaml:7:11: error: 'velocity' must be a number, not a string [wrong-type]"});
}

TEST_CASE("load: elements of an unknown top-level list are not decoded") {
  auto r = load_files({{"backlog.yaml", "items: []\ntasks:\n  - {id: A, title: T}\n"}});
  CHECK(formatted(r.diags) ==
        Lines{"backlog.yaml:2:1: error: unknown key 'tasks' in the top level of backlog.yaml [unknown-key]"});
  CHECK(r.loaded.plan.items.empty());
}

TEST_CASE("load: the YAML limits of the options apply to every file") {
  load::Options o;
  o.limits.max_depth = 4;
  auto r = load_files({{"backlog.yaml", "items:\n  - {id: A, title: T, rice: {reach: [1]}}\n"}}, "tandem.yaml", o);
  CHECK(formatted(r.diags) ==
        Lines{"backlog.yaml:2:37: error: lists and mappings are nested more than 4 levels deep [too-deep]\n"
              "  hint: plan files need only a few levels; raise the limit with --max-depth"});
}

TEST_CASE("load: the decoder explains what the schema rejects, with no second finding") {
  SUBCASE("a day that does not exist") {
    auto r = load_files({{"backlog.yaml", "items:\n  - {id: A, title: T, done: 2027-02-30}\n"}});
    CHECK(formatted(r.diags) == Lines{"backlog.yaml:2:29: error: '2027-02-30' is not a valid date for 'done' "
                                      "[invalid-date]\n  hint: that day does not exist"});
  }
  SUBCASE("a reversed delay") {
    auto r = load_files({{"risks.yaml", "risks:\n  - {id: R1, title: R, delay: [5, 1]}\n"}});
    CHECK(formatted(r.diags) ==
          Lines{"risks.yaml:2:31: error: 'delay' is [min, max]: 5 is more than 1 [invalid-range]"});
  }
}

TEST_CASE("load: a date with month 13 or day 00 is one invalid-date finding") {
  // The schema's date pattern rejects these too: the decoder's finding must be the only one.
  for (const char* date : {"2027-13-01", "2027-00-10", "2027-01-00", "2027-01-39"}) {
    CAPTURE(date);
    auto r = load_files({{"backlog.yaml", "items:\n  - {id: A, title: T, done: " + std::string(date) + "}\n"}});
    REQUIRE(r.diags.size() == 1);
    CHECK(r.diags.items()[0].code == "invalid-date");
  }
}

TEST_CASE("load: keep_trees keeps each list file that parsed without a finding, whole") {
  load::Options options;
  options.keep_trees = true;
  std::string backlog = "items:\n  - {id: A, title: T}\n  - {id: B, title: U}\n";
  auto r = load_files({{"backlog.yaml", backlog}, {"risks.yaml", "risks:\n  - {id: R1, title: R, title: S}\n"}},
                      "tandem.yaml", options);
  REQUIRE(r.loaded.plan.items.size() == 2);  // decoded as when streamed
  CHECK(*r.loaded.plan.items[1].id == "B");
  REQUIRE(r.loaded.trees.count("backlog.yaml") == 1);
  const auto& tree = r.loaded.trees.at("backlog.yaml");
  CHECK(tree.text == backlog);
  REQUIRE(tree.root->get("items") != nullptr);
  CHECK(tree.root->get("items")->items.size() == 2);  // the elements are kept, not streamed
  CHECK(r.loaded.trees.count("risks.yaml") == 0);      // its duplicate key is a finding
  CHECK(r.diags.has_errors());
}

TEST_CASE("load: keep_records keeps those records' trees, where the next record begins, and their files' texts") {
  std::set<std::string> ids{"A", "B", "D", "F", "R1", "M1"};
  load::Options options;
  options.keep_records = &ids;
  std::string backlog = "items:\n  - id: A\n    title: T\n  # c\n  - id: B\n    title: U\n  - id: C\n    title: V\n"
                        "  - id: D\n    title: W\n  - id: D\n    title: X\n  - id: F\n    title: Y\n";
  auto r = load_files({{"backlog.yaml", backlog},
                       {"roadmap.yaml", "milestones: [{id: M1, title: Flow}]\n"},
                       {"risks.yaml", "risks:\n  - id: R0\n    title: R\n  - id: R1\n    title: S\n"}},
                      "tandem.yaml", options);
  REQUIRE(r.loaded.plan.items.size() == 6);  // decoded as check decodes them
  CHECK(r.loaded.trees.empty());
  const auto& a = r.loaded.records.at("A");
  CHECK(a.path == "backlog.yaml");
  CHECK(a.index == 0);
  CHECK(a.model_index == 0);
  CHECK(a.node->get("title")->text == "T");
  CHECK(a.next == backlog.find("id: B"));  // B's node begins at its first key
  const auto& b = r.loaded.records.at("B");
  CHECK(b.index == 1);
  CHECK(b.next == backlog.find("id: C"));
  CHECK(r.loaded.records.count("C") == 0);  // not asked for
  CHECK(r.loaded.records.count("D") == 0);  // the id of two records
  CHECK(r.loaded.records.at("F").next == std::string::npos);  // the last
  CHECK(r.loaded.records.at("F").model_index == 5);
  CHECK(r.loaded.records.at("R1").model_index == 1);
  CHECK(r.loaded.records.count("M1") == 0);  // a flow list
  CHECK(r.loaded.texts.at("backlog.yaml") == backlog);
  CHECK(r.loaded.texts.count("roadmap.yaml") == 0);
  CHECK(r.loaded.texts.count("risks.yaml") == 1);
}

TEST_CASE("load: a tree in Options::parsed stands for a file with the same text, and only then") {
  std::string backlog = "items:\n  - {id: A, title: T}\n";
  Diagnostics parsing;
  auto other = yaml::parse("items:\n  - {id: Z, title: Other}\n", "backlog.yaml", parsing);
  std::map<std::string, load::Tree> parsed{{"backlog.yaml", {backlog, other}}};
  load::Options options;
  options.parsed = &parsed;
  auto r = load_files({{"backlog.yaml", backlog}}, "tandem.yaml", options);
  REQUIRE(r.loaded.plan.items.size() == 1);
  CHECK(*r.loaded.plan.items[0].id == "Z");  // read from the tree, not parsed again
  parsed["backlog.yaml"].text = "items: []\n";
  auto again = load_files({{"backlog.yaml", backlog}}, "tandem.yaml", options);
  REQUIRE(again.loaded.plan.items.size() == 1);
  CHECK(*again.loaded.plan.items[0].id == "A");  // the text differs: parsed
}
