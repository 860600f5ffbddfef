#include "core/engine/filter.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "core/base/text.hpp"

namespace tandem::filter {

namespace {

bool listed(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

/// Keeps the elements of `v` for which `keep` holds.
template <typename T, typename F>
void keep_if(std::vector<T>& v, F keep) {
  v.erase(std::remove_if(v.begin(), v.end(), [&](const T& x) { return !keep(x); }), v.end());
}

/// Whether milestone `m` matches: named by --milestone (when given), and, with item options, holding a
/// matching item.
bool milestone_matches(const Filter& f, const model::Plan& plan, const index::PlanIndex& ix,
                       const std::vector<bool>& matched, std::size_t m) {
  const auto& ms = plan.milestones[m];
  if (!f.milestones.empty() && !(ms.id.has() && listed(f.milestones, *ms.id))) return false;
  if (f.people.empty() && f.tags.empty() && f.statuses.empty()) return true;
  for (std::size_t i = 0; i < plan.items.size(); ++i)
    if (matched[i] && ix.milestone_of(i) == m) return true;
  return false;
}

/// Whether the item with `id` (if it is one) has a tag or status the filter names.
bool item_has(const model::Plan& plan, const index::PlanIndex& ix, const std::string& id,
              const std::vector<std::string>& tags, const std::vector<std::string>& statuses) {
  auto i = ix.item(id);
  if (!i) return false;
  const auto& it = plan.items[*i];
  bool tag_ok = tags.empty() || std::any_of(it.tags.values.begin(), it.tags.values.end(),
                                            [&](const auto& t) { return listed(tags, *t); });
  return tag_ok && (statuses.empty() || listed(statuses, model::to_string(it.status_or_default())));
}

}  // namespace

std::string describe(const Filter& f) {
  std::vector<std::string> parts;
  for (const auto& [option, values] : {std::pair{"--milestone", &f.milestones}, std::pair{"--person", &f.people},
                                       std::pair{"--tag", &f.tags}, std::pair{"--status", &f.statuses}})
    for (const auto& v : *values) parts.push_back(fmt::format("{} {}", option, escape_control(v)));
  return join(parts, " ");
}

std::vector<std::string> problems(const Filter& f, const model::Plan& plan, const index::PlanIndex& ix) {
  std::vector<std::string> out, milestones, people, tags;
  for (const auto& m : plan.milestones)
    if (m.id.has()) milestones.push_back(*m.id);
  for (const auto& p : plan.config.people)
    if (p.id.has()) people.push_back(*p.id);
  for (const auto& it : plan.items)
    for (const auto& t : it.tags.values)
      if (t.has() && !listed(tags, *t)) tags.push_back(*t);
  auto unknown = [&](std::string_view what, const std::string& value, const std::vector<std::string>& known,
                     std::string_view option) {
    auto hint = did_you_mean(value, known);
    out.push_back(fmt::format("unknown {} '{}' ({}){}", what, escape_control(value), option, hint.empty() ? "" : "; " + hint));
  };
  for (const auto& m : f.milestones)
    if (!ix.milestone(m)) unknown("milestone", m, milestones, "--milestone");
  for (const auto& p : f.people)
    if (!ix.people().person(p)) unknown("person", p, people, "--person");
  for (const auto& t : f.tags)
    if (!listed(tags, t)) unknown("tag", t, tags, "--tag: no item has it");
  return out;
}

std::vector<bool> items(const Filter& f, const model::Plan& plan, const index::PlanIndex& ix,
                        const schedule::Schedule& s) {
  const auto& people = plan.config.people;
  std::vector<std::optional<std::size_t>> person(plan.items.size());
  for (const auto& t : s.tasks) person[t.item] = t.person;
  std::vector<bool> out(plan.items.size(), false);
  for (std::size_t i = 0; i < plan.items.size(); ++i) {
    const auto& it = plan.items[i];
    bool ok = true;
    if (!f.milestones.empty()) {
      auto m = ix.milestone_of(i);
      ok = m && plan.milestones[*m].id.has() && listed(f.milestones, *plan.milestones[*m].id);
    }
    if (ok && !f.people.empty()) {
      std::string who = person[i] ? (people[*person[i]].id.has() ? *people[*person[i]].id : "")
                                  : (it.assignee.has() ? *it.assignee : "");
      ok = listed(f.people, who);
    }
    if (ok && !f.tags.empty())
      ok = std::any_of(it.tags.values.begin(), it.tags.values.end(), [&](const auto& t) { return listed(f.tags, *t); });
    if (ok && !f.statuses.empty()) ok = listed(f.statuses, model::to_string(it.status_or_default()));
    out[i] = ok;
  }
  return out;
}

void apply(const Filter& f, const std::vector<bool>& matched, priority::Ranking& r) {
  if (f.empty()) return;
  keep_if(r.rows, [&](const priority::Row& row) { return matched[row.item]; });
}

void apply(const Filter& f, const model::Plan& plan, const index::PlanIndex& ix, const std::vector<bool>& matched,
           schedule::Schedule& s) {
  if (f.empty()) return;
  keep_if(s.tasks, [&](const schedule::Task& t) { return matched[t.item]; });
  keep_if(s.unschedulable, [&](const schedule::Unschedulable& u) { return matched[u.item]; });
  keep_if(s.milestones,
          [&](const schedule::MilestoneRow& m) { return milestone_matches(f, plan, ix, matched, m.milestone); });
}

void apply(const Filter& f, const model::Plan& plan, const index::PlanIndex& ix, const std::vector<bool>& matched,
           forecast::Forecast& fc) {
  if (f.empty()) return;
  keep_if(fc.milestones,
          [&](const forecast::MilestoneForecast& m) { return milestone_matches(f, plan, ix, matched, m.milestone); });
}

void apply(const Filter& f, const model::Plan& plan, const index::PlanIndex& ix, const std::vector<bool>&,
           risks::Report& r) {
  if (f.empty()) return;
  keep_if(r.rows, [&](const risks::Row& row) {
    const auto& rk = plan.risks[row.risk];
    if (!f.milestones.empty() &&
        std::none_of(row.milestones.begin(), row.milestones.end(), [&](const auto& m) { return listed(f.milestones, m); }))
      return false;
    if (!f.people.empty() && !(rk.owner.has() && listed(f.people, *rk.owner))) return false;
    if (f.tags.empty() && f.statuses.empty()) return true;
    return std::any_of(row.affects.begin(), row.affects.end(),
                       [&](const auto& id) { return item_has(plan, ix, id, f.tags, f.statuses); });
  });
  risks::count_heat(plan, r);  // the heat map counts the risks listed
}

void apply(const Filter& f, const model::Plan& plan, const index::PlanIndex& ix, const std::vector<bool>& matched,
           flow::Flow& fl) {
  if (f.empty()) return;
  keep_if(fl.burnups, [&](const flow::BurnUp& b) { return milestone_matches(f, plan, ix, matched, b.milestone); });
}

void apply(const Filter& f, const model::Plan& plan, workload::Load& l) {
  if (f.people.empty()) return;
  keep_if(l.people, [&](const workload::PersonLoad& p) {
    const auto& id = plan.config.people[p.person].id;
    return id.has() && listed(f.people, *id);
  });
}

}  // namespace tandem::filter
