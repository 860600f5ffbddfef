#include "core/git/walk.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <unordered_set>

#include "core/base/error.hpp"

namespace tandem::history {

namespace {

/// The value of a record's field in a version, canonical JSON, or nullopt.
std::optional<std::string> value_in(const Version& v, const Change& c) {
  if (c.kind == "config") {
    for (const auto& [name, value] : v.config.fields)
      if (name == c.field) return value;
    return std::nullopt;
  }
  for (std::size_t k = 0; k < k_kinds.size(); ++k) {
    if (k_kinds[k] != c.kind) continue;
    for (const auto& p : v.kinds[k]) {
      if (p.record->id != c.id) continue;
      for (const auto& [name, value] : p.record->fields)
        if (name == c.field) return value;
      return std::nullopt;
    }
  }
  return std::nullopt;
}

/// Where a clean merge conflicts, the first parent's value (or no field, where it has none).
void resolve_to_first(Version& merged, const Version& first) {
  auto resolve = [&](Record& r, const std::string& kind) {
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      if (r.fields[i].second != k_conflict) continue;
      Change c{kind, r.id, r.fields[i].first, std::nullopt, std::nullopt, "", 0};
      if (auto v = value_in(first, c)) {
        r.fields[i].second = *v;
      } else {
        r.fields.erase(r.fields.begin() + static_cast<std::ptrdiff_t>(i));
        r.lines.erase(r.lines.begin() + static_cast<std::ptrdiff_t>(i));
        r.columns.erase(r.columns.begin() + static_cast<std::ptrdiff_t>(i));
        --i;
      }
    }
  };
  resolve(merged.config, "config");
  for (std::size_t k = 0; k < k_kinds.size(); ++k)
    for (auto& p : merged.kinds[k]) {
      if (std::none_of(p.record->fields.begin(), p.record->fields.end(),
                       [](const auto& f) { return f.second == k_conflict; }))
        continue;
      auto r = std::make_shared<Record>(*p.record);
      resolve(*r, std::string(k_kinds[k]));
      p.record = std::move(r);
    }
}

/// Fills the step's versions and changes. The first parent is read first: a file that does not parse
/// in the commit stands as it was there. A merge is judged against the clean three-way merge of its
/// parents: what it made differently is its own change (where the parents conflict, from the first
/// parent's value). Returns whether every version read parsed (what it found then follows from the
/// commit alone, not from what the reader read before).
bool read_step(Reader& reader, const std::optional<git::Oid>& base_id, Step& step, Diagnostics& problems) {
  const git::CommitInfo& info = step.commit;
  for (const auto& p : info.parent_ids) step.parents.push_back(reader.at(p));
  step.after = reader.at(info.oid);
  for (const auto& d : step.after->problems) {
    if (d.code == "unsafe-attributes") {  // the file was read and judged; what a checkout makes of it differs
      // Once, in the first commit of the walk that has it.
      bool seen = std::any_of(problems.items().begin(), problems.items().end(), [&](const Diagnostic& p) {
        return p.code == d.code && p.file == d.file && p.mark == d.mark && p.message.ends_with(d.message);
      });
      if (!seen)
        problems.error(d.code, d.file, d.mark,
                       fmt::format("in commit {} (and the later commits that keep it): {}", info.short_id, d.message),
                       d.hint);
    } else
      problems.error("unparseable-history", d.file, d.mark,
                     fmt::format("in commit {}: {} (this commit's changes to the file are not judged)", info.short_id,
                                 d.message));
  }
  bool clean = step.after->problems.empty();
  for (const auto& p : step.parents) clean = clean && p->problems.empty();
  if (step.parents.empty()) {
    step.before = std::make_shared<const Version>();
    step.changes = diff(*step.before, *step.after);
  } else if (step.parents.size() == 1) {
    step.before = step.parents[0];
    step.changes = diff(*step.before, *step.after);
  } else {
    auto base = base_id ? reader.at(*base_id) : std::make_shared<const Version>();
    clean = clean && base->problems.empty();
    std::vector<const Version*> parents;
    for (const auto& p : step.parents) parents.push_back(p.get());
    // A conflict resolved to the first parent's value changes nothing on that line of history.
    auto merged = std::make_shared<Version>(merge(*base, parents));
    resolve_to_first(*merged, *step.parents[0]);
    step.before = std::move(merged);
    step.changes = diff(*step.before, *step.after);
  }
  std::unordered_set<std::string_view> created;
  for (const auto& c : step.changes)
    if (c.kind == "backlog" && c.field == "create") created.insert(c.id);
  if (!created.empty())
    for (const auto& p : step.after->kinds[0])
      if (created.erase(p.record->id))  // the first record of a duplicate id, as diff counts it
        for (const auto& [name, value] : p.record->fields)
          if (name == "status") step.created_status.emplace_back(p.record->id, value);
  return clean;
}

}  // namespace

void for_each_change(const git::Repository& repo, Reader& reader, const std::vector<git::Oid>& commits,
                     Diagnostics& problems, const OnStep& on, WalkOptions options) {
  for (std::size_t i = 0; i < commits.size(); ++i) {
    const git::Oid& id = commits[i];
    // The next commit's plan is read next (unless the cache has it): git may read its large files ahead.
    bool next = i + 1 < commits.size() && !(options.cache && options.cache->find(commits[i + 1]));
    reader.read_ahead(next ? std::optional(commits[i + 1]) : std::nullopt);
    git::CommitInfo info = repo.info(id);
    Step step{info, {}, {}, nullptr, {}, false, nullptr};
    bool cut = std::any_of(info.parent_ids.begin(), info.parent_ids.end(),
                           [&](const git::Oid& p) { return !repo.contains(p); });
    // A merge's base; none for unrelated histories, unknown when a shallow clone ends before it.
    std::optional<git::Oid> base;
    if (!cut && info.parent_ids.size() > 1) {
      base = repo.merge_base(info.parent_ids);
      cut = !base && repo.is_shallow();
    }
    if (cut && !options.skip_cut)
      throw Error(fmt::format("the history is incomplete: commit {} needs commits this shallow clone lacks; {}",
                              info.short_id, git::k_fetch_hint));
    step.cut = cut;
    const Found* hit = !cut && options.cache ? options.cache->find(id) : nullptr;
    if (hit) {
      step.changes = hit->changes;
      step.created_status = hit->created_status;
    } else if (!cut && read_step(reader, base, step, problems) && options.cache) {
      options.cache->put(id, {step.changes, step.created_status});
    }
    on(step);
  }
  reader.read_ahead(std::nullopt);
}

void for_each_change(const git::Repository& repo, Reader& reader, const Range& range, Diagnostics& problems,
                     const OnStep& on) {
  for_each_change(repo, reader, repo.walk(range.head, range.base), problems, on);
}

}  // namespace tandem::history
