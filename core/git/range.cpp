#include "core/git/range.hpp"

#include <fmt/format.h>

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

DiffRange parse_diff_range(const Repository& repo, const std::vector<std::string>& revs) {
  DiffRange out;
  if (revs.empty()) return out;
  auto dots = revs[0].find("..");
  if (dots == std::string::npos) {
    out.old_rev = revs[0];
    if (revs.size() > 1) {
      if (revs[1].find("..") != std::string::npos)
        throw Error(fmt::format("'{}': give a range A..B (or A...B) alone, or two revisions", revs[1]));
      out.new_rev = revs[1];
    }
    return out;
  }
  if (revs.size() > 1) throw Error(fmt::format("'{}': give a range A..B (or A...B) alone, or two revisions", revs[0]));
  const bool three = revs[0].compare(dots, 3, "...") == 0;
  std::string a = revs[0].substr(0, dots), b = revs[0].substr(dots + (three ? 3 : 2));
  if (a.empty()) a = "HEAD";
  if (b.empty()) b = "HEAD";
  out.new_rev = b;
  if (!three) {
    out.old_rev = a;
    return out;
  }
  Oid from = repo.resolve(a), to = repo.resolve(b);
  auto base = repo.merge_base({from, to});
  if (!base)
    throw Error(fmt::format("'{}': {} and {} have no common history{}", revs[0], a, b,
                            repo.is_shallow() ? std::string(" in this shallow clone; ") + k_fetch_hint : ""));
  out.old_rev = base->hex();
  out.old_label = fmt::format("the merge base of {} and {} ({})", a, b, base->hex().substr(0, 10));
  out.judge_base = from;
  return out;
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
