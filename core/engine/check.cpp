#include "core/engine/check.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <unordered_map>
#include <unordered_set>

#include "core/base/text.hpp"

namespace tandem::check {

using namespace model;

namespace {

enum class Entity { item, milestone, risk };

struct Checker {
  const Plan& plan;
  const ownership::Rules& rules;
  Date today;
  Diagnostics& diags;

  std::unordered_map<std::string_view, std::pair<Entity, std::size_t>> ids;  // shared namespace
  std::unordered_map<std::string_view, std::size_t> people;
  std::vector<std::string> declared_roles;

  const std::string& file(FileIndex i) const { return plan.files[i]; }
  /// The id of a record, or what it is when it has none (a missing id is reported on its own).
  static std::string name_of(const model::Field<std::string>& id, const char* what) {
    return id.has() ? *id : what;
  }
  const std::string& config_file() const { return plan.files[0]; }

  std::vector<std::string> ids_of(Entity e) const {
    std::vector<std::string> out;
    if (e == Entity::item)
      for (const auto& it : plan.items) { if (it.id.has()) out.push_back(*it.id); }
    else if (e == Entity::milestone)
      for (const auto& m : plan.milestones) { if (m.id.has()) out.push_back(*m.id); }
    return out;
  }

  std::vector<std::string> people_ids() const {
    std::vector<std::string> out;
    for (const auto& p : plan.config.people)
      if (p.id.has()) out.push_back(*p.id);
    return out;
  }

  void index_ids() {
    auto add = [&](const Field<std::string>& id, Entity e, std::size_t i, FileIndex f) {
      if (!id.has()) return;
      auto [it, inserted] = ids.emplace(*id, std::make_pair(e, i));
      if (!inserted) {
        auto [pe, pi] = it->second;
        Mark first = pe == Entity::item ? plan.items[pi].id.mark
                     : pe == Entity::milestone ? plan.milestones[pi].id.mark : plan.risks[pi].id.mark;
        FileIndex ff = pe == Entity::item ? plan.items[pi].file
                       : pe == Entity::milestone ? plan.milestones[pi].file : plan.risks[pi].file;
        diags.error("duplicate-id", file(f), id.mark,
                    fmt::format("duplicate id '{}' (first at {}:{}:{}); items, milestones and risks share one namespace",
                                *id, file(ff), first.line, first.column));
      }
    };
    for (std::size_t i = 0; i < plan.items.size(); ++i) add(plan.items[i].id, Entity::item, i, plan.items[i].file);
    for (std::size_t i = 0; i < plan.milestones.size(); ++i)
      add(plan.milestones[i].id, Entity::milestone, i, plan.milestones[i].file);
    for (std::size_t i = 0; i < plan.risks.size(); ++i) add(plan.risks[i].id, Entity::risk, i, plan.risks[i].file);
    for (std::size_t i = 0; i < plan.config.people.size(); ++i) {
      const auto& p = plan.config.people[i];
      if (!p.id.has()) continue;
      auto [it, inserted] = people.emplace(*p.id, i);
      if (!inserted)
        diags.error("duplicate-id", config_file(), p.id.mark,
                    fmt::format("duplicate person id '{}' (first at line {})", *p.id,
                                plan.config.people[it->second].id.mark.line));
    }
  }

  const std::pair<Entity, std::size_t>* find(const std::string& id) const {
    auto it = ids.find(id);
    return it == ids.end() ? nullptr : &it->second;
  }

  static std::string_view entity_name(Entity e) {
    return e == Entity::item ? "an item" : e == Entity::milestone ? "a milestone" : "a risk";
  }

  /// Checks that `ref` names a record of one of the `allowed` entity kinds.
  bool reference(const Field<std::string>& ref, std::initializer_list<Entity> allowed, std::string_view what,
                 FileIndex f) {
    if (!ref.has()) return false;
    const auto* hit = find(*ref);
    if (hit && std::find(allowed.begin(), allowed.end(), hit->first) != allowed.end()) return true;
    // "item or milestone", and with the article of the first: "an item or milestone".
    std::string kinds;
    for (Entity e : allowed) {
      std::string_view n = entity_name(e);
      kinds += (kinds.empty() ? "" : " or ") + std::string(n.substr(n.find(' ') + 1));
    }
    if (hit) {
      std::string_view first = entity_name(*allowed.begin());
      diags.error("unknown-reference", file(f), ref.mark,
                  fmt::format("'{}' in '{}' is {}, not {} {}", *ref, what, entity_name(hit->first),
                              first.substr(0, first.find(' ')), kinds));
      return false;
    }
    std::vector<std::string> candidates;
    for (Entity e : allowed) {
      auto c = ids_of(e);
      candidates.insert(candidates.end(), c.begin(), c.end());
    }
    diags.error("unknown-reference", file(f), ref.mark, fmt::format("'{}' in '{}' names no {}", *ref, what, kinds),
                did_you_mean(*ref, candidates));
    return false;
  }

  const Person* person_ref(const Field<std::string>& ref, std::string_view what, FileIndex f) {
    if (!ref.has()) return nullptr;
    auto it = people.find(*ref);
    if (it != people.end()) return &plan.config.people[it->second];
    diags.error("unknown-reference", file(f), ref.mark, fmt::format("'{}' in '{}' names no person in people", *ref, what),
                did_you_mean(*ref, people_ids()));
    return nullptr;
  }

  /// The roles allowed in `owner:` of a kind (the defaults are resolved by `load`).
  std::vector<std::string> accountable(const std::string& kind) const {
    std::vector<std::string> out;
    if (auto it = plan.config.accountable.find(kind); it != plan.config.accountable.end())
      for (const auto& r : it->second.values) out.push_back(*r);
    return out;
  }

  void owner(const Field<std::string>& ref, const std::string& kind, std::string_view record, FileIndex f) {
    const Person* p = person_ref(ref, "owner", f);
    if (!p) return;
    auto allowed = accountable(kind);
    for (const auto& r : p->roles.values)
      if (std::find(allowed.begin(), allowed.end(), *r) != allowed.end()) return;
    std::vector<std::string> held;
    for (const auto& r : p->roles.values) held.push_back(*r);
    diags.error("not-accountable", file(f), ref.mark,
                fmt::format("owner '{}' of {} holds [{}]; the owner of a {} record must be {}", *ref, record,
                            join(held, ", "), kind, join(allowed, " or ")),
                "name an accountable person, or change 'accountable' in tandem.yaml");
  }

  // ---- roles -------------------------------------------------------------------------------------

  void check_roles() {
    const Config& c = plan.config;
    std::vector<std::pair<std::string, RoleCount>> roles = c.roles;  // the defaults when not given
    for (const auto& [name, count] : roles) declared_roles.push_back(name);
    auto known_role = [&](const Field<std::string>& r, std::string_view where) {
      if (r.mark.line == 0) return;  // a default of SPEC 1.1, not written by the user
      if (std::find(declared_roles.begin(), declared_roles.end(), *r) != declared_roles.end()) return;
      diags.error("unknown-role", config_file(), r.mark,
                  fmt::format("role '{}' in {} is not declared under 'roles'", *r, where),
                  did_you_mean(*r, declared_roles));
    };
    for (const auto& p : c.people)
      for (const auto& r : p.roles.values) known_role(r, fmt::format("the roles of '{}'", name_of(p.id, "?")));
    for (const auto& group : c.separate)
      for (const auto& r : group.values) known_role(r, "'separate'");
    for (const auto& [kind, list] : c.accountable)
      for (const auto& r : list.values) known_role(r, fmt::format("'accountable.{}'", kind));
    for (const auto& r : c.pool.values) known_role(r, "'pool'");
    for (const auto& [kind, kr] : rules.kinds) {
      const auto& kind_name = kind;  // clang 14 (the fuzz build) cannot capture structured bindings
      auto check_req = [&](const std::optional<ownership::Requirement>& req) {
        if (!req) return;
        for (std::size_t i = 0; i < req->roles.size(); ++i)
          known_role({req->roles[i], req->role_marks[i]}, fmt::format("'ownership.{}'", kind_name));
      };
      check_req(kr.create);
      check_req(kr.remove);
      check_req(kr.any_field);
      check_req(kr.shorthand);
      for (const auto& [f, req] : kr.fields) check_req(req);
    }

    // Counts, only of a list of people that was read (an empty, broken or people-less tandem.yaml is
    // already an error of its own).
    bool people_read = c.people_mark.line != 0;
    Mark people_mark = people_read ? c.people_mark : Mark{1, 1};
    for (const auto& [name, count] : people_read ? roles : decltype(roles){}) {
      std::vector<std::string> holders;
      for (const auto& p : c.people)
        for (const auto& r : p.roles.values)
          if (*r == name && p.id.has()) holders.push_back(*p.id);
      Mark at = count.mark.line ? count.mark : people_mark;
      if (count.min && static_cast<int>(holders.size()) < *count.min)
        diags.error("role-count", config_file(), at,
                    fmt::format("role '{}' needs at least {} {}; {} hold{} it{}", name, *count.min,
                                *count.min == 1 ? "person" : "people", holders.size(), holders.size() == 1 ? "s" : "",
                                holders.empty() ? "" : fmt::format(" ({})", join(holders, ", "))));
      if (count.max && static_cast<int>(holders.size()) > *count.max)
        diags.error("role-count", config_file(), at,
                    fmt::format("role '{}' allows at most {} {}; {} hold it ({})", name, *count.max,
                                *count.max == 1 ? "person" : "people", holders.size(), join(holders, ", ")));
    }

    // Separation of duties.
    std::vector<std::vector<std::string>> groups;
    for (const auto& g : c.separate) {  // the default group when not written
      std::vector<std::string> roles_of_group;
      for (const auto& r : g.values) roles_of_group.push_back(*r);
      groups.push_back(roles_of_group);
    }
    for (const auto& p : c.people) {
      for (const auto& g : groups) {
        std::vector<std::string> held;
        for (const auto& r : p.roles.values)
          if (std::find(g.begin(), g.end(), *r) != g.end()) held.push_back(*r);
        if (held.size() >= 2)
          diags.error("role-separation", config_file(), p.roles.mark,
                      fmt::format("'{}' holds {}, which 'separate' says no one person may hold together",
                                  name_of(p.id, "?"), join(held, " and ")));
      }
    }

    // Emails.
    std::unordered_map<std::string, const Person*> emails;
    for (const auto& p : c.people) {
      for (const auto& e : p.emails.values) {
        auto [it, inserted] = emails.emplace(ascii_lower(*e), &p);
        if (!inserted && it->second != &p)
          diags.error("duplicate-email", config_file(), e.mark,
                      fmt::format("email '{}' of '{}' is also the email of '{}'; each commit author must map to one person", *e,
                                  name_of(p.id, "?"), name_of(it->second->id, "?")));
      }
    }

  }

  // ---- cycles ------------------------------------------------------------------------------------

  /// Finds cycles in a graph given as adjacency lists (indexes), iteratively; reports each strongly
  /// connected component with a cycle once, as the path of one of its cycles.
  template <class Report>
  static void find_cycles(const std::vector<std::vector<std::size_t>>& adj, Report&& report) {
    const std::size_t n = adj.size();
    std::vector<std::size_t> index(n, SIZE_MAX), low(n, 0), comp(n, SIZE_MAX);
    std::vector<bool> on_stack(n, false);
    std::vector<std::size_t> stack;
    std::size_t counter = 0, comps = 0;
    std::vector<std::vector<std::size_t>> members;
    for (std::size_t s = 0; s < n; ++s) {
      if (index[s] != SIZE_MAX) continue;
      std::vector<std::pair<std::size_t, std::size_t>> work{{s, 0}};
      while (!work.empty()) {
        auto& [v, next] = work.back();
        if (next == 0) {
          index[v] = low[v] = counter++;
          stack.push_back(v);
          on_stack[v] = true;
        }
        if (next < adj[v].size()) {
          std::size_t w = adj[v][next++];
          if (index[w] == SIZE_MAX) work.push_back({w, 0});
          else if (on_stack[w]) low[v] = std::min(low[v], index[w]);
          continue;
        }
        if (low[v] == index[v]) {
          members.emplace_back();
          std::size_t w;
          do {
            w = stack.back();
            stack.pop_back();
            on_stack[w] = false;
            comp[w] = comps;
            members.back().push_back(w);
          } while (w != v);
          ++comps;
        }
        std::size_t done = v;
        work.pop_back();
        if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[done]);
      }
    }
    for (const auto& m : members) {
      std::size_t start = *std::min_element(m.begin(), m.end());
      bool self = std::find(adj[start].begin(), adj[start].end(), start) != adj[start].end();
      if (m.size() == 1 && !self) continue;
      // Breadth-first search inside the component for the shortest way back to `start`.
      std::vector<std::size_t> parent(n, SIZE_MAX);
      std::vector<std::size_t> queue{start};
      std::size_t found = SIZE_MAX;
      for (std::size_t qi = 0; qi < queue.size() && found == SIZE_MAX; ++qi) {
        std::size_t v = queue[qi];
        for (std::size_t w : adj[v]) {
          if (comp[w] != comp[start]) continue;
          if (w == start) { found = v; break; }
          if (parent[w] == SIZE_MAX) { parent[w] = v; queue.push_back(w); }
        }
      }
      std::vector<std::size_t> path{start};
      for (std::size_t v = found; v != start && v != SIZE_MAX; v = parent[v]) path.push_back(v);
      std::reverse(path.begin() + 1, path.end());
      path.push_back(start);
      report(path);
    }
  }

  void check_item_graph() {
    const auto& items = plan.items;
    std::vector<std::vector<std::size_t>> adj(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Item& it = items[i];
      for (const auto& d : it.depends_on.values) {
        if (!reference(d, {Entity::item}, "depends_on", it.file)) continue;
        std::size_t j = find(*d)->second;
        adj[i].push_back(j);
        const Item& dep = items[j];
        if (dep.status_or_default() == Status::dropped && it.undone())
          diags.warning("depends-on-dropped", file(it.file), d.mark,
                        fmt::format("'{}' depends on '{}', which is dropped", name_of(it.id, "item"), *d),
                        "remove the dependency, or revive the item it depends on");
      }
    }
    find_cycles(adj, [&](const std::vector<std::size_t>& path) {
      std::vector<std::string> names;
      for (auto v : path) names.push_back(*items[v].id);
      const Item& first = items[path.front()];
      Mark at = first.depends_on.mark;
      for (const auto& d : first.depends_on.values)
        if (*d == names[1]) at = d.mark;
      diags.error("dependency-cycle", file(first.file), at,
                  fmt::format("dependency cycle: {}", join(names, " → ")),
                  "remove one of these dependencies; nothing in a cycle can ever start");
    });
    m_item_adj = std::move(adj);
  }

  void check_milestone_graph() {
    const auto& ms = plan.milestones;
    std::vector<std::vector<std::size_t>> adj(ms.size());
    for (std::size_t i = 0; i < ms.size(); ++i) {
      for (const auto& d : ms[i].depends_on.values) {
        if (!reference(d, {Entity::milestone}, "depends_on", ms[i].file)) continue;
        std::size_t j = find(*d)->second;
        adj[i].push_back(j);
        if (ms[i].id.has() && ms[i].target.has() && ms[j].target.has() && *ms[j].target > *ms[i].target)
          diags.warning("milestone-order", file(ms[i].file), d.mark,
                        fmt::format("milestone '{}' is due {} but depends on '{}', due later ({})", *ms[i].id,
                                    to_string(*ms[i].target), *d, to_string(*ms[j].target)));
      }
    }
    find_cycles(adj, [&](const std::vector<std::size_t>& path) {
      std::vector<std::string> names;
      for (auto v : path) names.push_back(*ms[v].id);
      const Milestone& first = ms[path.front()];
      Mark at = first.depends_on.mark;
      for (const auto& d : first.depends_on.values)
        if (*d == names[1]) at = d.mark;
      diags.error("dependency-cycle", file(first.file), at, fmt::format("milestone cycle: {}", join(names, " → ")),
                  "remove one of these dependencies");
    });
  }

  /// Warns about items whose milestone is due before the milestone of an item they (transitively)
  /// depend on. Runs on the acyclic part of the graph, in O(items + dependencies).
  void check_item_milestone_order() {
    const auto& items = plan.items;
    const std::size_t n = items.size();
    auto target_of = [&](std::size_t i) -> std::optional<Date> {
      if (!items[i].milestone.has()) return std::nullopt;
      const auto* hit = find(*items[i].milestone);
      if (!hit || hit->first != Entity::milestone) return std::nullopt;
      return plan.milestones[hit->second].target.value;
    };
    // latest[i]: the latest milestone target among everything i depends on, and the item that has it.
    std::vector<std::optional<std::pair<Date, std::size_t>>> latest(n);
    std::vector<int> state(n, 0);  // 0 new, 1 open, 2 done
    for (std::size_t s = 0; s < n; ++s) {
      if (state[s]) continue;
      std::vector<std::pair<std::size_t, std::size_t>> work{{s, 0}};
      state[s] = 1;
      while (!work.empty()) {
        auto& [v, next] = work.back();
        if (next < m_item_adj[v].size()) {
          std::size_t w = m_item_adj[v][next++];
          if (state[w] == 0) {
            state[w] = 1;
            work.push_back({w, 0});
          }
          continue;
        }
        for (std::size_t w : m_item_adj[v]) {
          if (state[w] != 2) continue;  // a cycle, reported elsewhere
          auto cand = latest[w];
          if (auto t = target_of(w); t && (!cand || *t > cand->first)) cand = std::make_pair(*t, w);
          if (cand && (!latest[v] || cand->first > latest[v]->first)) latest[v] = cand;
        }
        state[v] = 2;
        work.pop_back();
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      auto t = target_of(i);
      if (!t || !latest[i] || latest[i]->first <= *t || !items[i].undone() || !items[i].id.has()) continue;
      const Item& dep = items[latest[i]->second];
      diags.warning("milestone-order", file(items[i].file), items[i].milestone.mark,
                    fmt::format("'{}' is planned for '{}' (due {}) but depends on '{}' of '{}', due later ({})",
                                *items[i].id, *items[i].milestone, to_string(*t), *dep.id, *dep.milestone,
                                to_string(latest[i]->first)));
    }
  }

  // ---- records -----------------------------------------------------------------------------------

  void check_items() {
    bool wsjf = !plan.config.priority_model.has() || *plan.config.priority_model == PriorityModel::wsjf;
    for (const Item& it : plan.items) {
      std::string name = name_of(it.id, "item");
      if (it.milestone.has()) reference(it.milestone, {Entity::milestone}, "milestone", it.file);
      if (it.owner.has()) owner(it.owner, "backlog", fmt::format("'{}'", name), it.file);
      if (it.assignee.has()) person_ref(it.assignee, "assignee", it.file);
      Status st = it.status_or_default();
      if (st == Status::done && !it.done.has())
        diags.warning("missing-done-date", file(it.file), it.status.mark,
                      fmt::format("'{}' is done but has no 'done:' date", name),
                      "add 'done: YYYY-MM-DD' so the forecast can use it");
      if (it.undone() && it.milestone.has() && !it.estimate.has() && !it.remaining.has())
        diags.warning("missing-estimate", file(it.file), it.mark,
                      fmt::format("'{}' is in milestone '{}' but has no 'estimate'; it cannot be scheduled", name,
                                  *it.milestone));
      if (wsjf && it.undone()) {
        std::vector<std::string> missing;
        if (!it.value.has()) missing.push_back("value");
        if (!it.time_criticality.has()) missing.push_back("time_criticality");
        if (!it.risk_reduction.has()) missing.push_back("risk_reduction");
        if (!it.size.has()) missing.push_back("size");
        if (!missing.empty())
          diags.warning("missing-wsjf", file(it.file), it.mark,
                        fmt::format("'{}' has no {}; WSJF cannot rank it", name, join(missing, ", ")));
      }
    }
  }

  void check_milestones() {
    for (const Milestone& m : plan.milestones)
      if (m.owner.has()) owner(m.owner, "roadmap", fmt::format("'{}'", name_of(m.id, "milestone")), m.file);
  }

  void check_risks() {
    for (const Risk& r : plan.risks) {
      std::string name = name_of(r.id, "risk");
      if (r.owner.has()) owner(r.owner, "risks", fmt::format("'{}'", name), r.file);
      for (const auto& a : r.affects.values) reference(a, {Entity::item, Entity::milestone}, "affects", r.file);
      if (r.review.has() && *r.review < today && r.status_or_default() == RiskStatus::open)
        diags.warning("review-overdue", file(r.file), r.review.mark,
                      fmt::format("review of '{}' was due {} ({} day{} ago)", name, to_string(*r.review),
                                  today - *r.review, today - *r.review == 1 ? "" : "s"));
    }
  }

  std::vector<std::vector<std::size_t>> m_item_adj;
};

}  // namespace

void run(const load::Loaded& loaded, Date today, Diagnostics& diags) {
  Checker c{loaded.plan, loaded.rules, today, diags, {}, {}, {}, {}};
  c.index_ids();
  c.check_roles();
  c.check_item_graph();
  c.check_milestone_graph();
  c.check_item_milestone_order();
  c.check_items();
  c.check_milestones();
  c.check_risks();
}

}  // namespace tandem::check
