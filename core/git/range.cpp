#include "core/git/range.hpp"

#include "core/base/error.hpp"
#include "core/git/repository.hpp"

namespace tandem::git {

Range parse_range(const Repository& repo, const std::string& range, const std::string& base) {
  if (!base.empty()) {
    if (!range.empty()) throw Error("give a RANGE or --base, not both");
    Oid from = repo.resolve(base);
    return {from, repo.resolve("HEAD")};
  }
  std::string r = range.empty() ? "@{upstream}..HEAD" : range;
  if (r.find("...") != std::string::npos) throw Error("'" + r + "': use BASE..HEAD (two dots)");
  auto dots = r.find("..");
  if (dots == std::string::npos) return {std::nullopt, repo.resolve(r)};
  std::string a = r.substr(0, dots), b = r.substr(dots + 2);
  Oid from = repo.resolve(a.empty() ? "HEAD" : a);
  return {from, repo.resolve(b.empty() ? "HEAD" : b)};
}

std::string range_label(const std::string& range, const std::string& base) {
  if (!base.empty()) return base + "..HEAD";
  std::string r = range.empty() ? "@{upstream}..HEAD" : range;
  auto dots = r.find("..");
  if (dots == std::string::npos) return r + " (its whole history)";
  std::string a = r.substr(0, dots), b = r.substr(dots + 2);
  return (a.empty() ? "HEAD" : a) + ".." + (b.empty() ? "HEAD" : b);
}

}  // namespace tandem::git
