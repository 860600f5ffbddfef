// core/git/range: the ranges `audit` accepts.
#include <doctest/doctest.h>

#include "core/base/error.hpp"
#include "core/git/range.hpp"
#include "core/git/repository.hpp"
#include "support/git_repo.hpp"

using namespace tandem;

TEST_CASE("parse_range reads BASE..HEAD, one revision, --base, and rejects three dots") {
  test::GitRepo r;
  std::string a = r.commit("a");
  std::string b = r.commit("b");
  std::string c = r.commit("c");
  git::Repository repo(r.path());
  auto base_of = [](const git::Range& range) { return range.base ? range.base->hex() : std::string("none"); };

  SUBCASE("BASE..HEAD") {
    auto range = git::parse_range(repo, "HEAD~2..HEAD~1", "");
    CHECK(base_of(range) == a);
    CHECK(range.head.hex() == b);
  }
  SUBCASE("an empty side is HEAD") {
    auto range = git::parse_range(repo, "HEAD~1..", "");
    CHECK(base_of(range) == b);
    CHECK(range.head.hex() == c);
    CHECK(git::parse_range(repo, "..HEAD~1", "").base->hex() == c);
  }
  SUBCASE("one revision is its whole history") {
    auto range = git::parse_range(repo, "HEAD~1", "");
    CHECK(base_of(range) == "none");
    CHECK(range.head.hex() == b);
  }
  SUBCASE("--base is BASE..HEAD") {
    auto range = git::parse_range(repo, "", a);
    CHECK(base_of(range) == a);
    CHECK(range.head.hex() == c);
  }
  SUBCASE("errors") {
    CHECK_THROWS_WITH_AS(git::parse_range(repo, "HEAD", "HEAD~1"), "give a RANGE or --base, not both", Error);
    CHECK_THROWS_WITH_AS(git::parse_range(repo, "main...HEAD", ""), "'main...HEAD': use BASE..HEAD (two dots)", Error);
    CHECK_THROWS_WITH_AS(git::parse_range(repo, "nope..HEAD", ""), "unknown revision 'nope'", Error);
    CHECK_THROWS_WITH_AS(git::parse_range(repo, "", ""),
                         "unknown revision '@{upstream}' (the branch has no upstream: name a range such as "
                         "main..HEAD, or use --base)",
                         Error);
  }
}

TEST_CASE("range_label says which commits audit judged, in the user's words") {
  CHECK(git::range_label("main..feature", "") == "main..feature");
  CHECK(git::range_label("main..", "") == "main..HEAD");
  CHECK(git::range_label("..feature", "") == "HEAD..feature");
  CHECK(git::range_label("", "origin/main") == "origin/main..HEAD");
  CHECK(git::range_label("", "") == "@{upstream}..HEAD");
  // One revision is its whole history: not to be read as a pull request's commits.
  CHECK(git::range_label("main", "") == "main (its whole history)");
}
