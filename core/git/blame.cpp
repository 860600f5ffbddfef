#include "core/git/blame.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "core/base/error.hpp"

namespace tandem::history {

namespace {

/// Record `id` in `v` and its kind's name, or a null record.
std::pair<std::string_view, const Placed*> find_record(const Version& v, const std::string& id) {
  for (std::size_t k = 0; k < k_kinds.size(); ++k)
    for (const auto& p : v.kinds[k])
      if (p.record->id == id) return {k_kinds[k], &p};
  return {{}, nullptr};
}

bool is_mine(const Change& c, const std::string& id) { return c.id == id && c.kind != "config"; }

std::optional<std::string> title_in(const std::map<std::string, std::string>& fields) {
  auto it = fields.find("title");
  return it == fields.end() ? std::nullopt : std::optional(it->second);
}

}  // namespace

std::optional<Fields> fields_of(const Version& v, const std::string& id) {
  auto [kind, p] = find_record(v, id);
  if (!p) return std::nullopt;
  return p->record->fields;
}

void LogReplay::add(const Step& step, const Version& after, const std::string& person) {
  auto [kind, now] = find_record(after, m_id);
  std::optional<std::map<std::string, std::string>> fields;
  if (now) fields.emplace(now->record->fields.begin(), now->record->fields.end());
  LogEntry entry{step.commit, person, {}, step.commit.parent_ids.size() > 1 && !step.cut, step.cut, {}};
  if (step.cut) {
    m_log.cut.push_back(step.commit);
    m_shown = fields;
    if (!now) return;
    entry.values = now->record->fields;
    m_log.entries.push_back(std::move(entry));
    return;
  }
  for (const auto& c : step.changes)
    if (is_mine(c, m_id)) entry.changes.push_back(c);
  auto has = [&](std::string_view field) {
    return std::any_of(entry.changes.begin(), entry.changes.end(), [&](const Change& c) { return c.field == field; });
  };
  if (!entry.merge) {
    for (const auto& c : entry.changes) {
      if (c.field == "create") {
        m_shown = fields;
      } else if (c.field == "delete") {
        m_shown.reset();
      } else if (c.field != "order") {
        if (!m_shown) m_shown.emplace();
        if (c.new_value) (*m_shown)[c.field] = *c.new_value;
        else m_shown->erase(c.field);
      }
    }
  } else if (fields && !m_shown && !has("create")) {
    // Topological order alone can leave the log showing another value than the merge holds (a side
    // branch's commit listed after main's, then a merge that kept main's): where the merge's own
    // changes do not already say so, it shows the difference from what was shown last.
    entry.changes.push_back({std::string(kind), m_id, "create", std::nullopt, title_in(*fields), now->file, now->line});
  } else if (!fields && m_shown && !has("delete")) {
    entry.changes.push_back({m_kind, m_id, "delete", title_in(*m_shown), std::nullopt, "", 0});
  } else if (fields && m_shown && !has("create")) {
    std::map<std::string, std::pair<std::optional<std::string>, std::optional<std::string>>> both;
    for (const auto& [name, value] : *m_shown) both[name].first = value;
    for (const auto& [name, value] : *fields) both[name].second = value;
    const Record& r = *now->record;
    for (const auto& [name, values] : both) {
      if (values.first == values.second || has(name)) continue;
      std::uint32_t line = now->line, column = 0;
      for (std::size_t i = 0; i < r.fields.size(); ++i)
        if (r.fields[i].first == name) line += r.lines[i], column = r.columns[i];
      entry.changes.push_back({std::string(kind), m_id, name, values.first, values.second, now->file, line, column});
    }
  }
  if (entry.merge) m_shown = fields;
  if (now) m_kind = kind;
  if (entry.changes.empty()) return;
  if (now && has("create")) entry.values = now->record->fields;
  m_log.entries.push_back(std::move(entry));
}

void Blame::add(const Step& step, const Version& after, const std::string& person) {
  const git::CommitInfo& info = step.commit;
  bool touched = std::any_of(step.changes.begin(), step.changes.end(), [&](const Change& c) { return is_mine(c, m_id); });
  // A commit with one parent that did not change the record holds what its parent holds.
  if (!step.cut && info.parent_ids.size() == 1 && !touched)
    if (auto it = m_states.find(info.parent_ids[0]); it != m_states.end()) {
      m_last = it->second;
      m_states[info.oid] = m_last;
      return;
    }
  std::shared_ptr<State> state;
  if (auto fields = fields_of(after, m_id)) {
    state = std::make_shared<State>();
    auto commit = std::make_shared<const git::CommitInfo>(info);
    for (const auto& [name, value] : *fields) {
      const Origin* from = nullptr;
      for (const auto& p : info.parent_ids) {
        auto it = m_states.find(p);
        if (it == m_states.end() || !it->second) continue;  // absent from the clone, or without the record
        auto f = it->second->find(name);
        if (f != it->second->end() && f->second.value == value) {
          from = &f->second;
          break;
        }
      }
      state->emplace(name, from ? *from : Origin{value, commit, person, step.cut});
    }
  }
  m_last = state;
  m_states[info.oid] = m_last;
}

std::vector<BlameLine> Blame::lines() const {
  std::vector<BlameLine> out;
  if (m_last)
    for (const auto& [name, o] : *m_last) out.push_back({name, o.value, *o.commit, o.person, o.cut});
  return out;
}

namespace {

struct Walked {
  RecordLog log;
  std::vector<BlameLine> lines;
};

/// Walks the history of `id` up to `rev` (or HEAD) once, for both log and blame; in a shallow clone
/// down to the commits where it is cut, whose plan is read as where the history starts.
Walked walk_record(const load::Options& options, const std::string& rev, const std::string& id) {
  auto where = load::locate(options);
  git::Repository repo(where.root);
  git::Oid head = repo.resolve(rev.empty() ? "HEAD" : rev);
  repo.use_mailmap_of(head);  // the committed .mailmap, not the work tree's
  auto authority = audit::authority_at(repo, head, where.config_path, options);
  Reader reader(&repo, where.config_path, options);
  LogReplay log(id);
  Blame blame(id);
  Diagnostics ignored;  // a file that does not parse stands as it last parsed; `audit` reports it
  for_each_change(
      repo, reader, repo.walk(head, std::nullopt), ignored,
      [&](Step& step) {
        auto after = step.cut ? reader.at(step.commit.oid) : step.after;
        std::string person = audit::person_id(authority, step.commit.author_email);
        blame.add(step, *after, person);
        log.add(step, *after, person);
      },
      {.skip_cut = true});
  return {log.take(), blame.lines()};
}

std::string never_changed(const std::string& id) {
  return fmt::format("no commit changed an item, milestone or risk '{}'", id);
}

}  // namespace

RecordLog record_log(const load::Options& options, const std::string& rev, const std::string& id) {
  auto walked = walk_record(options, rev, id);
  if (walked.log.entries.empty()) throw Error(never_changed(id));
  return std::move(walked.log);
}

std::vector<BlameLine> blame(const load::Options& options, const std::string& rev, const std::string& id) {
  auto walked = walk_record(options, rev, id);
  if (walked.log.entries.empty()) throw Error(never_changed(id));
  if (walked.lines.empty()) throw Error(fmt::format("'{}' was deleted", id));
  return std::move(walked.lines);
}

}  // namespace tandem::history
