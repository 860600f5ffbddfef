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

TEST_CASE("parse_diff_range reads revisions and ranges as git reads them") {
  test::GitRepo r;
  std::string a = r.commit("a");
  r.git("checkout -q -b feature");
  std::string f = r.commit("f");
  r.git("checkout -q main");
  std::string m = r.commit("m");
  git::Repository repo(r.path());

  auto none = git::parse_diff_range(repo, {});
  CHECK_FALSE(none.old_rev);
  CHECK_FALSE(none.new_rev);
  auto one = git::parse_diff_range(repo, {"main"});
  CHECK(one.old_rev == "main");
  CHECK_FALSE(one.new_rev);
  auto two = git::parse_diff_range(repo, {"main", "feature"});
  CHECK((two.old_rev == "main" && two.new_rev == "feature" && !two.judge_base));
  auto dots = git::parse_diff_range(repo, {"main..feature"});
  CHECK((dots.old_rev == "main" && dots.new_rev == "feature" && dots.old_label.empty() && !dots.judge_base));
  auto open = git::parse_diff_range(repo, {"..feature"});
  CHECK(open.old_rev == "HEAD");
  auto three = git::parse_diff_range(repo, {"main...feature"});
  CHECK(three.old_rev == a);  // the merge base
  CHECK(three.new_rev == "feature");
  CHECK(three.judge_base->hex() == m);
  CHECK(three.old_label == "the merge base of main and feature (" + a.substr(0, 10) + ")");
  CHECK(git::parse_diff_range(repo, {"main..."}).new_rev == "HEAD");
  CHECK_THROWS_WITH_AS(git::parse_diff_range(repo, {"main..feature", "main"}),
                       "'main..feature': give a range A..B (or A...B) alone, or two revisions", Error);
  CHECK_THROWS_AS(git::parse_diff_range(repo, {"main...nope"}), Error);
  (void)f;
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
