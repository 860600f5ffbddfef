// core/base/attributes: .gitattributes read as git reads them, for the attributes that change a checkout.
#include "core/base/attributes.hpp"

#include <doctest/doctest.h>
#include <map>

using namespace tandem;

namespace {
/// Files in memory.
class MemorySource : public Source {
public:
  explicit MemorySource(std::map<std::string, std::string> files) : m_files(std::move(files)) {}
  std::optional<std::string> read(const std::string& path, std::size_t) const override {
    auto hit = m_files.find(path);
    return hit == m_files.end() ? std::nullopt : std::optional<std::string>(hit->second);
  }
  EntryType type(const std::string& path) const override {
    return m_files.count(path) ? EntryType::file : EntryType::none;
  }
  std::vector<std::pair<std::string, EntryType>> list(const std::string&) const override { return {}; }

private:
  std::map<std::string, std::string> m_files;
};
}  // namespace

TEST_CASE("gitattributes patterns match as git's do") {
  using attributes::matches;
  CHECK(matches("backlog.yaml", "", "backlog.yaml"));
  CHECK(matches("backlog.yaml", "", "plan/backlog.yaml"));  // no slash: the name, at any depth
  CHECK_FALSE(matches("/backlog.yaml", "", "plan/backlog.yaml"));
  CHECK(matches("plan/*.yaml", "", "plan/backlog.yaml"));
  CHECK_FALSE(matches("plan/*.yaml", "", "plan/x/backlog.yaml"));  // `*` stops at a slash
  CHECK(matches("**/backlog.yaml", "", "a/b/backlog.yaml"));
  CHECK(matches("**/backlog.yaml", "", "backlog.yaml"));
  CHECK(matches("plan/**", "", "plan/x/y.yaml"));
  CHECK(matches("a/**/b.yaml", "", "a/b.yaml"));
  CHECK(matches("a/**/b.yaml", "", "a/x/y/b.yaml"));
  CHECK(matches("back[a-z]og.y?ml", "", "backlog.yaml"));
  CHECK_FALSE(matches("back[!l]og.yaml", "", "backlog.yaml"));
  CHECK_FALSE(matches("plan/", "", "plan/backlog.yaml"));  // a directory pattern never applies to files in it
  CHECK(matches("*.yaml", "plan", "plan/backlog.yaml"));
  CHECK_FALSE(matches("*.yaml", "plan", "other/backlog.yaml"));
  CHECK(matches("x/*.yaml", "plan", "plan/x/backlog.yaml"));
  CHECK(matches("\\*.yaml", "", "*.yaml"));
  CHECK(matches("BACKLOG.YAML", "", "backlog.yaml"));  // as a core.ignorecase checkout applies it
  CHECK(matches("[B]acklog.yaml", "", "backlog.yaml"));
  // A star that cannot match gives up, as git's does: no pattern takes exponential time.
  CHECK_FALSE(matches("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "", std::string(80, 'a')));
  CHECK_FALSE(matches("**/**/**/**/**/**/**/**/x", "", "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/y"));
}

TEST_CASE("only working-tree-encoding, filter and ident make a plan file unsafe; the last word wins") {
  MemorySource source({{".gitattributes", "# comment\n[attr]sneaky filter=x\n*.yaml merge=tandem text eol=lf diff\n"
                                          "risks.yaml sneaky\nroadmap.yaml ident\n\"back log.yaml\" ident\n"
                                          "tandem.yaml binary\n"},
                       {"plan/.gitattributes", "backlog.yaml working-tree-encoding=SHIFT-JIS\nkeep.yaml ident\n"
                                               "keep.yaml -ident\n"},
                       {"plan/deep/.gitattributes", "[attr]ignored filter=y\nb.yaml ignored\n"}});
  attributes::Checker checker(source);
  CHECK(checker.unsafe("tandem.yaml").empty());
  CHECK(checker.unsafe("backlog.yaml").empty());
  auto risks = checker.unsafe("risks.yaml");
  REQUIRE(risks.size() == 1);
  CHECK(risks[0].attribute == "filter=x");
  CHECK(risks[0].line == 4);
  CHECK(checker.unsafe("roadmap.yaml").size() == 1);
  CHECK(checker.unsafe("back log.yaml").size() == 1);
  auto backlog = checker.unsafe("plan/backlog.yaml");
  REQUIRE(backlog.size() == 1);
  CHECK(backlog[0].file == "plan/.gitattributes");
  CHECK(backlog[0].attribute == "working-tree-encoding=SHIFT-JIS");
  CHECK(checker.unsafe("plan/keep.yaml").empty());
  CHECK(checker.unsafe("plan/deep/b.yaml").empty());  // macros are defined at the root only
  CHECK(checker.canonical({"tandem.yaml", "backlog.yaml"}) == "");
  CHECK(checker.canonical({"risks.yaml", "plan/keep.yaml"}) ==
        ".gitattributes: risks.yaml sneaky\nplan/.gitattributes: keep.yaml -ident\nplan/.gitattributes: keep.yaml ident\n");
}
