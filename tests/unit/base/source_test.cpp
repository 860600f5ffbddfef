// core/base/source: the one rule by which every side finds plan files (globs, links).
#include <doctest/doctest.h>

#include <filesystem>

#include "core/base/error.hpp"
#include "core/base/source.hpp"
#include "support/fake_source.hpp"
#include "support/git_repo.hpp"

using namespace tandem;
using Lines = std::vector<std::string>;

TEST_CASE("A glob segment never matches a leading dot unless the dot is written") {
  CHECK(glob_match("*.yaml", "a.yaml"));
  CHECK_FALSE(glob_match("*.yaml", ".gone.yaml"));
  CHECK_FALSE(glob_match("?gone.yaml", ".gone.yaml"));
  CHECK_FALSE(glob_match("[.]gone.yaml", ".gone.yaml"));
  CHECK(glob_match(".*.yaml", ".gone.yaml"));
  CHECK(glob_match("a*", "a.b"));  // only a leading dot is special
}

TEST_CASE("glob matches segment by segment: dotfiles and dot-directories are left out, links are matches") {
  test::FakeSource source({{"archive/a.yaml", ""},
                           {"archive/.gone.yaml", ""},
                           {"archive/sub/b.yaml", ""},
                           {".hidden/c.yaml", ""},
                           {"plan/d.yaml", ""},
                           {"x.yaml", ""}});
  source.links = {"archive/s.yaml", "ext"};
  CHECK(source.glob("archive/*.yaml") == Lines{"archive/a.yaml", "archive/s.yaml"});
  CHECK(source.glob("*/*.yaml") == Lines{"archive/a.yaml", "archive/s.yaml", "ext", "plan/d.yaml"});
  CHECK(source.glob(".hidden/*.yaml") == Lines{".hidden/c.yaml"});
  CHECK(source.glob("archive/.*.yaml") == Lines{"archive/.gone.yaml"});
  CHECK(source.glob("ext/*.yaml") == Lines{"ext"});  // a link where a directory is needed
  CHECK(source.glob("*.yaml") == Lines{"x.yaml"});    // a directory is not a file
  CHECK(source.glob("nowhere/*.yaml").empty());
  CHECK(source.link_on("archive/s.yaml") == "archive/s.yaml");
  CHECK(source.link_on("ext/a.yaml") == "ext");
  CHECK_FALSE(source.link_on("archive/a.yaml"));
  CHECK_FALSE(source.link_on("missing/a.yaml"));
  CHECK(link_refusal("ext/a.yaml", "ext") == "'ext/a.yaml' goes through the symbolic link 'ext'");
}

TEST_CASE("The working tree is read by the same rule: links are not followed, dotfiles not globbed") {
  test::GitRepo r;  // a temporary directory; git itself is not needed here
  namespace fs = std::filesystem;
  r.write("archive/a.yaml", "items: []\n");
  r.write("archive/.gone.yaml", "items: []\n");
  r.write("notes/s.yaml", "items: []\n");
  fs::create_symlink("../notes/s.yaml", fs::path(r.path()) / "archive/s.yaml");
  fs::create_directory(fs::path(r.path()) / "archive/dir.yaml");
  WorkTreeSource source(r.path());
  CHECK(source.glob("archive/*.yaml") == Lines{"archive/a.yaml", "archive/s.yaml"});
  CHECK(source.type("archive/s.yaml") == EntryType::link);
  CHECK(source.link_on("archive/s.yaml") == "archive/s.yaml");
  CHECK_THROWS_WITH_AS(source.read("archive/s.yaml", 100), "archive/s.yaml is a symbolic link, not a plan file",
                       Error);
  CHECK_THROWS_WITH_AS(source.read("archive/dir.yaml", 100), "archive/dir.yaml is a directory, not a plan file",
                       Error);
  CHECK_FALSE(source.read("archive/missing.yaml", 100));
  CHECK(source.read("archive/a.yaml", 100) == "items: []\n");
}
