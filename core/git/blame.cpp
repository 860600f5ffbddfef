#include "core/git/blame.hpp"

#include <fmt/format.h>

#include "core/base/error.hpp"
#include "core/git/walk.hpp"

namespace tandem::history {

void for_each_record_change(const git::Repository& repo, Reader& reader, const git::Oid& head,
                            const audit::Authority& authority, const std::string& id,
                            const std::function<void(LogEntry& entry, const Version& after)>& on) {
  Diagnostics problems;
  for_each_change(repo, reader, Range{std::nullopt, head}, problems, [&](Step& step) {
    std::vector<Change> mine;
    for (auto& c : step.changes)
      if (c.id == id && c.kind != "config") mine.push_back(std::move(c));
    if (mine.empty()) return;
    LogEntry entry{step.commit, audit::person_id(authority, step.commit.author_email), std::move(mine)};
    on(entry, *step.after);
  });
}

void Blame::add(const LogEntry& entry, const Version& after) {
  for (const auto& c : entry.changes) {
    if (c.field == "delete") {
      m_fields.clear();
    } else if (c.field == "create") {
      m_fields.clear();
      for (const auto& kind : after.kinds)
        for (const auto& p : kind)
          if (p.record->id == m_id)
            for (const auto& [name, value] : p.record->fields) m_fields[name] = {name, value, entry.commit, entry.person};
    } else if (c.field != "order") {
      if (c.new_value) m_fields[c.field] = {c.field, *c.new_value, entry.commit, entry.person};
      else m_fields.erase(c.field);
    }
  }
}

std::vector<BlameLine> Blame::lines() const {
  std::vector<BlameLine> out;
  for (const auto& [name, line] : m_fields) out.push_back(line);
  return out;
}

namespace {

/// Opens the repository of the plan and walks the history of `id` up to `rev` (or HEAD).
void walk_record(const load::Options& options, const std::string& rev, const std::string& id,
                 const std::function<void(LogEntry& entry, const Version& after)>& on) {
  auto where = load::locate(options);
  git::Repository repo(where.root);
  git::Oid head = repo.resolve(rev.empty() ? "HEAD" : rev);
  auto authority = audit::authority_at(repo, head, where.config_path, options);
  Reader reader(&repo, where.config_path, options);
  for_each_record_change(repo, reader, head, authority, id, on);
}

std::string never_changed(const std::string& id) {
  return fmt::format("no commit changed an item, milestone or risk '{}'", id);
}

}  // namespace

std::vector<LogEntry> record_log(const load::Options& options, const std::string& rev, const std::string& id) {
  std::vector<LogEntry> entries;
  walk_record(options, rev, id, [&](LogEntry& entry, const Version&) { entries.push_back(std::move(entry)); });
  if (entries.empty()) throw Error(never_changed(id));
  return entries;
}

std::vector<BlameLine> blame(const load::Options& options, const std::string& rev, const std::string& id) {
  Blame replay(id);
  bool seen = false;
  walk_record(options, rev, id, [&](LogEntry& entry, const Version& after) {
    seen = true;
    replay.add(entry, after);
  });
  if (!seen) throw Error(never_changed(id));
  auto lines = replay.lines();
  if (lines.empty()) throw Error(fmt::format("'{}' was deleted", id));
  return lines;
}

}  // namespace tandem::history
