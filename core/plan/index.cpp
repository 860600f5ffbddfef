#include "core/plan/index.hpp"

#include <algorithm>
#include <functional>

#include "core/base/text.hpp"

namespace tandem::index {

namespace {

constexpr std::size_t k_none = SIZE_MAX;

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::vector<std::string> values_of(const model::ListField<std::string>& list) {
  std::vector<std::string> out;
  for (const auto& v : list.values) out.push_back(*v);
  return out;
}

}  // namespace

std::size_t FoldedHash::operator()(std::string_view s) const noexcept {
  std::size_t h = 14695981039346656037ull;  // FNV-1a
  for (char c : s) h = (h ^ static_cast<unsigned char>(fold(c))) * 1099511628211ull;
  return h;
}

bool FoldedEqual::operator()(std::string_view a, std::string_view b) const noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return fold(x) == fold(y); });
}

RoleSettings role_settings_in_force(const model::Config& c) {
  RoleSettings out;
  out.pool = values_of(c.pool);
  for (const auto& [kind, roles] : c.accountable) out.accountable[kind] = values_of(roles);
  for (const auto& group : c.separate) out.separate.push_back(values_of(group));
  return out;
}

PeopleIndex::PeopleIndex(const model::Config& config) : m_settings(role_settings_in_force(config)) {
  const auto& people = config.people;
  m_roles.resize(people.size());
  for (std::size_t p = 0; p < people.size(); ++p) {
    const model::Person& person = people[p];
    if (person.id.has()) {
      auto [it, inserted] = m_by_id.emplace(*person.id, p);
      if (!inserted) m_duplicate_ids.emplace_back(p, it->second);
    }
    for (std::size_t e = 0; e < person.emails.values.size(); ++e) {
      auto [it, inserted] = m_by_email.emplace(ascii_lower(*person.emails.values[e]), p);
      if (!inserted && it->second != p) m_duplicate_emails.push_back({p, e, it->second});
    }
    bool in_pool = false;
    for (const auto& r : person.roles.values) {
      m_roles[p].push_back(*r);
      in_pool = in_pool || std::find(m_settings.pool.begin(), m_settings.pool.end(), *r) != m_settings.pool.end();
    }
    if (in_pool) m_pool.push_back(p);
  }
}

std::optional<std::size_t> PeopleIndex::person(std::string_view id) const {
  auto it = m_by_id.find(id);
  if (it == m_by_id.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> PeopleIndex::by_email(std::string_view email) const {
  auto it = m_by_email.find(email);
  if (it == m_by_email.end()) return std::nullopt;
  return it->second;
}

PlanIndex::PlanIndex(const model::Plan& plan) : m_built(true), m_people(plan.config) {
  std::size_t records = plan.items.size() + plan.milestones.size() + plan.risks.size(), size = 16;
  while (size * 7 < records * 10) size *= 2;
  m_slots.resize(size);
  auto add = [&](const model::Field<std::string>& id, Kind kind, std::size_t i) {
    if (!id.has()) return;
    std::size_t hash = std::hash<std::string_view>{}(*id);
    Slot& slot = m_slots[slot_of(*id, hash)];
    if (slot.id.data()) m_duplicates.push_back({Record{kind, i}, slot.record});
    else slot = Slot{hash, *id, Record{kind, i}};
  };
  for (std::size_t i = 0; i < plan.items.size(); ++i) add(plan.items[i].id, Kind::item, i);
  for (std::size_t i = 0; i < plan.milestones.size(); ++i) add(plan.milestones[i].id, Kind::milestone, i);
  for (std::size_t i = 0; i < plan.risks.size(); ++i) add(plan.risks[i].id, Kind::risk, i);
  m_milestone_of.assign(plan.items.size(), k_none);
  for (std::size_t i = 0; i < plan.items.size(); ++i)
    if (plan.items[i].milestone.has())
      if (auto m = milestone(*plan.items[i].milestone)) m_milestone_of[i] = *m;
}

void PlanIndex::replaced(const model::Plan& plan, Kind kind, std::size_t i) {
  const model::Field<std::string>& id = kind == Kind::item        ? plan.items[i].id
                                        : kind == Kind::milestone ? plan.milestones[i].id
                                                                  : plan.risks[i].id;
  if (id.has()) {
    Slot& slot = m_slots[slot_of(*id, std::hash<std::string_view>{}(*id))];
    if (slot.id.data() && slot.record == Record{kind, i}) slot.id = *id;  // the view into the new record
  }
  if (kind != Kind::item || i >= m_milestone_of.size()) return;
  m_milestone_of[i] = k_none;
  if (plan.items[i].milestone.has())
    if (auto m = milestone(*plan.items[i].milestone)) m_milestone_of[i] = *m;
}

std::size_t PlanIndex::slot_of(std::string_view id, std::size_t hash) const {
  const std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {  // ends: some slot is empty
    const Slot& slot = m_slots[i];
    if (!slot.id.data() || (slot.hash == hash && slot.id == id)) return i;
  }
}

const Record* PlanIndex::find(std::string_view id) const {
  if (m_slots.empty()) return nullptr;
  const Slot& slot = m_slots[slot_of(id, std::hash<std::string_view>{}(id))];
  return slot.id.data() ? &slot.record : nullptr;
}

std::optional<std::size_t> PlanIndex::of_kind(std::string_view id, Kind kind) const {
  const Record* r = find(id);
  if (!r || r->kind != kind) return std::nullopt;
  return r->index;
}

std::optional<std::size_t> PlanIndex::milestone_of(std::size_t item) const {
  if (item >= m_milestone_of.size() || m_milestone_of[item] == k_none) return std::nullopt;
  return m_milestone_of[item];
}

}  // namespace tandem::index
