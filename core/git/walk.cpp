#include "core/git/walk.hpp"

#include <fmt/format.h>

#include <set>
#include <tuple>

namespace tandem::history {

namespace {

/// Fills the step's versions and changes. The first parent is read first: a file that does not parse
/// in the commit stands as it was there.
void read_step(Reader& reader, Step& step, Diagnostics& problems) {
  const git::CommitInfo& info = step.commit;
  if (!info.parent_ids.empty()) step.parents.push_back(reader.at(info.parent_ids[0]));
  step.after = reader.at(info.oid);
  for (const auto& d : step.after->problems)
    problems.error("unparseable-history", d.file, d.mark,
                   fmt::format("in commit {}: {} (this commit's changes to the file are not judged)", info.short_id,
                               d.message));
  if (info.parent_ids.empty()) {
    step.changes = diff(Version{}, *step.after);
    return;
  }
  step.changes = diff(*step.parents[0], *step.after);
  for (std::size_t p = 1; p < info.parent_ids.size(); ++p) {
    step.parents.push_back(reader.at(info.parent_ids[p]));
    auto theirs = diff(*step.parents.back(), *step.after);
    std::set<std::tuple<std::string, std::string, std::string, std::optional<std::string>>> also;
    for (const auto& c : theirs) also.emplace(c.kind, c.id, c.field, c.new_value);
    std::erase_if(step.changes, [&](const Change& c) { return !also.count({c.kind, c.id, c.field, c.new_value}); });
  }
}

}  // namespace

void for_each_change(const git::Repository& repo, Reader& reader, const std::vector<git::Oid>& commits,
                     Diagnostics& problems, const OnStep& on, WalkOptions options) {
  for (const auto& id : commits) {
    git::CommitInfo info = repo.info(id);
    Step step{info, {}, nullptr, {}, false};
    if (options.skip_cut && !info.parent_ids.empty() && !repo.contains(info.parent_ids[0])) step.cut = true;
    else read_step(reader, step, problems);
    on(step);
  }
}

void for_each_change(const git::Repository& repo, Reader& reader, const Range& range, Diagnostics& problems,
                     const OnStep& on) {
  for_each_change(repo, reader, repo.walk(range.head, range.base), problems, on);
}

}  // namespace tandem::history
