#include "core/git/net.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"

namespace tandem::audit {

namespace {

using history::Record;
using history::Version;

std::string key(std::string_view kind, std::string_view id, std::string_view field) {
  std::string k;
  k.reserve(kind.size() + id.size() + field.size() + 2);
  k.append(kind).append(1, '\n').append(id).append(1, '\n').append(field);
  return k;
}

/// The key of one element added (`+`) to or removed (`-`) from a list field.
std::string keys_of(std::string_view kind, std::string_view id, std::string_view field, char sign, const std::string& e) {
  return key(kind, id, field).append(1, '\n').append(1, sign).append(e);
}

/// Each kind's records by id (the first of a duplicate id, as `history::diff` counts it), the config as
/// the record "" of the kind "config".
struct Index {
  explicit Index(const Version& v) : version(v) {}
  const Record* find(std::string_view kind, std::string_view id) {
    if (kind == "config") return version.has_config ? &version.config : nullptr;
    for (std::size_t k = 0; k < history::k_kinds.size(); ++k) {
      if (history::k_kinds[k] != kind) continue;
      if (!built[k]) {
        for (const auto& p : version.kinds[k]) by_id[k].emplace(p.record->id, &p);
        built[k] = true;
      }
      auto hit = by_id[k].find(id);
      return hit == by_id[k].end() ? nullptr : hit->second->record.get();
    }
    return nullptr;
  }
  const Version& version;
  std::array<std::unordered_map<std::string_view, const history::Placed*>, 3> by_id;
  std::array<bool, 3> built{};
};

/// The kind's index in `history::k_kinds`, or npos (config).
std::size_t kind_index(std::string_view kind) {
  for (std::size_t k = 0; k < history::k_kinds.size(); ++k)
    if (history::k_kinds[k] == kind) return k;
  return std::string::npos;
}

/// The elements of a list field's value (canonical JSON, each element canonical); nullopt when the
/// field is not a list field or the value not an array. An absent value is an empty list.
std::optional<std::vector<std::string>> elements(std::string_view kind, std::string_view field,
                                                 const std::optional<std::string>& value) {
  std::size_t k = kind_index(kind);
  if (k == std::string::npos || !history::is_list_field(k, field)) return std::nullopt;
  std::vector<std::string> out;
  if (!value) return out;
  auto j = nlohmann::json::parse(*value, nullptr, false);
  if (!j.is_array()) return std::nullopt;
  for (const auto& e : j) out.push_back(e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return out;
}

/// The elements of `b` that `a` lacks.
std::vector<std::string> minus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& e : b)
    if (std::find(a.begin(), a.end(), e) == a.end() && std::find(out.begin(), out.end(), e) == out.end())
      out.push_back(e);
  return out;
}

/// The true boolean fields of a record (what `FIELD if FLAG` rules look at).
std::vector<std::string> flags_of(const Record& r) {
  std::vector<std::string> out;
  for (const auto& [name, value] : r.fields)
    if (value == "true") out.push_back(name);
  return out;
}

}  // namespace

NetChange::NetChange(const Version& base, const Version& landed) {
  // A list field's change is a part per element added or removed (a clean merge combines both sides'
  // elements, so the landed list as a whole may be a value no commit set); any other field's, one part.
  auto add = [&](history::Change c, bool of_created) {
    std::vector<std::string> keys{key(c.kind, c.id, c.field)};
    auto was = c.field == "create" || c.field == "delete" ? std::nullopt : elements(c.kind, c.field, c.old_value);
    auto now = was ? elements(c.kind, c.field, c.new_value) : std::nullopt;
    if (was && now) {
      keys.clear();
      for (const auto& e : minus(*was, *now)) keys.push_back(keys_of(c.kind, c.id, c.field, '+', e));
      for (const auto& e : minus(*now, *was)) keys.push_back(keys_of(c.kind, c.id, c.field, '-', e));
    }
    for (auto& k : keys) {
      m_by_key.emplace(std::move(k), m_parts.size());
      Part part;
      part.change = c;
      part.of_created = of_created;
      part.element = was && now;
      m_parts.push_back(std::move(part));
    }
  };
  for (auto& c : history::diff(base, landed))
    if (c.field != "order" && c.new_value != history::k_conflict) add(std::move(c), false);
  // The fields of each record the base lacks: set by its creation, or by a later commit.
  auto created = [&](const std::string& kind, const Record& r, const std::string& file, std::uint32_t line0) {
    auto flags = flags_of(r);
    for (std::size_t i = 0; i < r.fields.size(); ++i) {
      if (r.fields[i].second == history::k_conflict) continue;
      add({kind, r.id, r.fields[i].first, std::nullopt, r.fields[i].second, file, line0 + r.lines[i], r.columns[i], flags},
          true);
    }
  };
  if (!base.has_config && landed.has_config) created("config", landed.config, landed.config_file, 0);
  Index in_base(base), in_landed(landed);
  for (std::size_t k = 0; k < history::k_kinds.size(); ++k) {
    std::string kind(history::k_kinds[k]);
    for (const auto& p : landed.kinds[k])
      if (in_landed.find(kind, p.record->id) == p.record.get() && !in_base.find(kind, p.record->id))
        created(kind, *p.record, p.file, p.line);
    // The order pairs: two records open on both sides whose relative order the net change turns.
    std::vector<const history::Placed*> open;  // in landed order
    std::unordered_map<std::string_view, std::uint32_t> landed_rank;
    for (const auto& p : landed.kinds[k]) {
      const Record* b = in_base.find(kind, p.record->id);
      if (in_landed.find(kind, p.record->id) != p.record.get() || !b || !history::is_open(*b) ||
          !history::is_open(*p.record))
        continue;
      landed_rank.emplace(p.record->id, static_cast<std::uint32_t>(open.size()));
      open.push_back(&p);
    }
    std::map<std::uint32_t, std::uint32_t> seen;  // landed rank → base rank, of the records before
    Pairs pairs;
    std::uint32_t base_rank = 0;
    for (const auto& p : base.kinds[k]) {
      auto r = landed_rank.find(p.record->id);
      if (r == landed_rank.end() || in_base.find(kind, p.record->id) != p.record.get()) continue;
      for (auto later = seen.upper_bound(r->second); later != seen.end(); ++later) {
        if (m_parts.size() >= k_most_pairs)
          throw Error(fmt::format("the range turns the relative order of more than {} pairs of {} records; tandem "
                                  "judges at most that many (audit a shorter range)",
                                  k_most_pairs, kind));
        const history::Placed* first = open[r->second];
        auto slot = [&](std::string_view id) {
          return pairs.slot.emplace(std::string(id), static_cast<std::uint32_t>(pairs.slot.size())).first->second;
        };
        pairs.of_part.emplace_back(slot(first->record->id), slot(open[later->first]->record->id));
        pairs.part.push_back(m_parts.size());
        Part part;
        part.change = {kind, first->record->id, "order", std::to_string(base_rank + 1), std::to_string(r->second + 1),
                       first->file, first->line};
        part.other = open[later->first]->record->id;
        part.base_rank = base_rank;
        part.landed_rank = r->second;
        m_parts.push_back(std::move(part));
      }
      seen.emplace(r->second, base_rank++);
    }
    if (!pairs.part.empty()) m_pairs.emplace(kind, std::move(pairs));
  }
}

void NetChange::set_field(const std::string& kind, const std::string& id, const std::string& field,
                          const std::optional<std::string>& old_value, const std::optional<std::string>& value,
                          std::uint32_t i, bool creation) {
  set(key(kind, id, field), value, i, creation);
  auto was = elements(kind, field, old_value);
  auto now = was ? elements(kind, field, value) : std::nullopt;
  if (!was || !now) return;
  for (const auto& e : minus(*was, *now)) set(keys_of(kind, id, field, '+', e), std::nullopt, i, creation);
  for (const auto& e : minus(*now, *was)) set(keys_of(kind, id, field, '-', e), std::nullopt, i, creation);
}

void NetChange::set(const std::string& k, const std::optional<std::string>& value, std::uint32_t i, bool creation) {
  auto hit = m_by_key.find(k);
  if (hit == m_by_key.end()) return;
  Part& part = m_parts[hit->second];
  bool whole = part.change.field == "create" || part.change.field == "delete" || part.element;
  if (!whole && part.change.new_value != value) return;
  add_setter(part, i);
  if (creation && (part.creators.empty() || part.creators.back() != i)) part.creators.push_back(i);
}

void NetChange::add_setter(Part& part, std::uint32_t i) {
  if (!part.setters.empty() && part.setters.back() == i) return;
  part.setters.push_back(i);
  ++m_sets;
}

bool NetChange::observe(std::uint32_t i, const history::Step& step) {
  if (!step.after || !step.before) return false;
  const std::size_t sets = m_sets;
  Index after(*step.after), before(*step.before);
  for (const auto& c : step.changes) {
    if (c.field == "order") continue;
    if (c.field == "create") {
      set(key(c.kind, c.id, "create"), std::nullopt, i, true);
      if (const Record* r = after.find(c.kind, c.id))
        for (const auto& [name, value] : r->fields) set_field(c.kind, c.id, name, std::nullopt, value, i, true);
    } else if (c.field == "delete") {
      set(key(c.kind, c.id, "delete"), std::nullopt, i, false);
      if (const Record* r = before.find(c.kind, c.id))
        for (const auto& [name, value] : r->fields) set_field(c.kind, c.id, name, value, std::nullopt, i, false);
    } else {
      set_field(c.kind, c.id, c.field, c.old_value, c.new_value, i, false);
    }
  }
  if (!m_pairs.empty()) observe_order(i, step);
  return m_sets != sets;
}

void NetChange::observe_order(std::uint32_t i, const history::Step& step) {
  for (std::size_t k = 0; k < history::k_kinds.size(); ++k) {
    auto found = m_pairs.find(std::string(history::k_kinds[k]));
    if (found == m_pairs.end()) continue;
    const auto& was = step.before->kinds[k];
    const auto& now = step.after->kinds[k];
    if (was.size() == now.size() &&
        std::equal(was.begin(), was.end(), now.begin(), [](const auto& a, const auto& b) { return a.record->id == b.record->id; }))
      continue;  // the same ids in the same order: no pair turned
    Pairs& pairs = found->second;
    auto positions = [&](const std::vector<history::Placed>& list) {
      std::vector<std::int64_t> at(pairs.slot.size(), -1);
      for (std::size_t n = 0; n < list.size(); ++n)
        if (auto s = pairs.slot.find(list[n].record->id); s != pairs.slot.end() && at[s->second] < 0)
          at[s->second] = static_cast<std::int64_t>(n);
      return at;
    };
    auto b = positions(was), a = positions(now);
    for (std::size_t n = 0; n < pairs.part.size(); ++n) {
      auto [x, y] = pairs.of_part[n];
      if (b[x] < 0 || b[y] < 0 || a[x] < 0 || a[y] < 0 || !(b[x] > b[y] && a[x] < a[y])) continue;
      add_setter(m_parts[pairs.part[n]], i);
    }
  }
}

}  // namespace tandem::audit
