#include "core/engine/check.hpp"

#include <algorithm>
#include <set>
#include <fmt/format.h>

#include "core/base/attributes.hpp"
#include "core/base/text.hpp"
#include "core/engine/graph.hpp"

namespace tandem::check {

using namespace model;

namespace {

using Entity = index::Kind;

struct Checker {
  const Plan& plan;
  const ownership::Rules& rules;
  Date today;
  Diagnostics& diags;

  const index::PlanIndex& ix;
  const std::set<std::string>& unparsed;  ///< kinds with a file that did not parse (Loaded::unparsed)
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

  /// The id field of a record.
  const Field<std::string>& id_of(index::Record r) const {
    return r.kind == Entity::item ? plan.items[r.index].id
           : r.kind == Entity::milestone ? plan.milestones[r.index].id : plan.risks[r.index].id;
  }

  FileIndex file_of(index::Record r) const {
    return r.kind == Entity::item ? plan.items[r.index].file
           : r.kind == Entity::milestone ? plan.milestones[r.index].file : plan.risks[r.index].file;
  }

  /// Reports the ids the index found written twice: records, then people.
  void report_duplicate_ids() {
    for (const auto& [record, first] : ix.duplicates()) {
      const auto& id = id_of(record);
      Mark at = id_of(first).mark;
      diags.error("duplicate-id", file(file_of(record)), id.mark,
                  fmt::format("duplicate id '{}' (first at {}:{}:{}); items, milestones and risks share one namespace",
                              *id, file(file_of(first)), at.line, at.column));
    }
    for (const auto& [later, first] : ix.people().duplicate_ids()) {
      const Person& p = plan.config.people[later];
      diags.error("duplicate-id", config_file(), p.id.mark,
                  fmt::format("duplicate person id '{}' (first at line {})", *p.id,
                              plan.config.people[first].id.mark.line));
    }
  }

  /// The file kind that holds records of kind `e`.
  static std::string_view kind_of(Entity e) {
    return e == Entity::item ? "backlog" : e == Entity::milestone ? "roadmap" : "risks";
  }

  static std::string_view entity_name(Entity e) {
    return e == Entity::item ? "an item" : e == Entity::milestone ? "a milestone" : "a risk";
  }

  /// Checks that `ref` names a record of one of the `allowed` entity kinds: that record, else nullptr.
  const index::Record* reference(const Field<std::string>& ref, std::initializer_list<Entity> allowed,
                                 std::string_view what, FileIndex f) {
    if (!ref.has()) return nullptr;
    const index::Record* hit = ix.find(*ref);
    if (hit && std::find(allowed.begin(), allowed.end(), hit->kind) != allowed.end()) return hit;
    // "item or milestone", and with the article of the first: "an item or milestone".
    std::string kinds;
    for (Entity e : allowed) {
      std::string_view n = entity_name(e);
      kinds += (kinds.empty() ? "" : " or ") + std::string(n.substr(n.find(' ') + 1));
    }
    if (hit) {
      std::string_view first = entity_name(*allowed.begin());
      diags.error("unknown-reference", file(f), ref.mark,
                  fmt::format("'{}' in '{}' is {}, not {} {}", *ref, what, entity_name(hit->kind),
                              first.substr(0, first.find(' ')), kinds));
      return nullptr;
    }
    // A file of these records did not parse: the record may be in its unread part, and a "did you
    // mean" would be guessed from half a file. Its syntax error is the finding.
    for (Entity e : allowed)
      if (unparsed.contains(std::string(kind_of(e)))) return nullptr;
    std::vector<std::string> candidates;
    for (Entity e : allowed) {
      auto c = ids_of(e);
      candidates.insert(candidates.end(), c.begin(), c.end());
    }
    diags.error("unknown-reference", file(f), ref.mark, fmt::format("'{}' in '{}' names no {}", *ref, what, kinds),
                did_you_mean(*ref, candidates));
    return nullptr;
  }

  const Person* person_ref(const Field<std::string>& ref, std::string_view what, FileIndex f) {
    if (!ref.has()) return nullptr;
    if (auto p = ix.people().person(*ref)) return &plan.config.people[*p];
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

  /// Checks that the owner `ref` of the record with `id` (`what` when it has none) in a file of `kind`
  /// is a person who holds an accountable role.
  void owner(const Field<std::string>& ref, const std::string& kind, const Field<std::string>& id, const char* what,
             FileIndex f) {
    const Person* p = person_ref(ref, "owner", f);
    if (!p) return;
    auto it = plan.config.accountable.find(kind);
    if (it != plan.config.accountable.end())
      for (const auto& r : p->roles.values)
        for (const auto& a : it->second.values)
          if (*a == *r) return;
    auto allowed = accountable(kind);
    // A misspelt role (reported as unknown-role) is the one cause: not a finding for every owner.
    for (const auto& r : p->roles.values)
      if (!declared(*r)) return;
    for (const auto& r : allowed)
      if (!declared(r)) return;
    std::vector<std::string> held;
    for (const auto& r : p->roles.values) held.push_back(*r);
    diags.error("not-accountable", file(f), ref.mark,
                fmt::format("owner '{}' of '{}' holds [{}]; the owner of a {} record must be {}", *ref, name_of(id, what),
                            join(held, ", "), kind, join(allowed, " or ")),
                "name an accountable person, or change 'accountable' in tandem.yaml");
  }

  // ---- roles -------------------------------------------------------------------------------------

  /// The roles declared under `roles`, with their counts, after defaults.
  std::vector<std::pair<std::string, RoleCount>> roles_in_force() const {
    const Config& c = plan.config;
    return c.roles;  // the defaults when not given (resolved by load)
  }

  void check_roles() {
    auto roles = roles_in_force();
    for (const auto& [name, count] : roles) declared_roles.push_back(name);
    check_role_names();
    check_role_counts(roles);
    check_separation();
    check_emails();
  }

  bool declared(const std::string& role) const {
    return std::find(declared_roles.begin(), declared_roles.end(), role) != declared_roles.end();
  }

  /// Whether a person holds an undeclared role that looks like a typo of `role` (`product_ownr`): the
  /// unknown-role finding explains that `role` is held by too few.
  bool misspelt_by_someone(const std::string& role) const {
    for (const auto& p : plan.config.people)
      for (const auto& r : p.roles.values)
        if (!declared(*r) && closest(*r, declared_roles) == role) return true;
    return false;
  }

  void known_role(const Field<std::string>& r, std::string_view where) {
    if (r.mark.line == 0) return;  // a default of SPEC 1.1, not written by the user
    if (declared(*r)) return;
    diags.error("unknown-role", config_file(), r.mark,
                fmt::format("role '{}' in {} is not declared under 'roles'", *r, where),
                did_you_mean(*r, declared_roles));
  }

  /// Every role named in tandem.yaml (people, separate, accountable, pool, ownership) is declared.
  void check_role_names() {
    const Config& c = plan.config;
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
  }

  /// Counts, only of a list of people that was read (an empty, broken or people-less tandem.yaml is
  /// already an error of its own).
  void check_role_counts(const std::vector<std::pair<std::string, RoleCount>>& roles) {
    const Config& c = plan.config;
    bool people_read = c.people_mark.line != 0;
    Mark people_mark = people_read ? c.people_mark : Mark{1, 1};
    if (!people_read) return;
    for (const auto& [name, count] : roles) {
      std::vector<std::string> holders;
      for (const auto& p : c.people)
        for (const auto& r : p.roles.values)
          if (*r == name && p.id.has()) holders.push_back(*p.id);
      Mark at = count.mark.line ? count.mark : people_mark;
      if (count.min && static_cast<int>(holders.size()) < *count.min && !misspelt_by_someone(name))
        diags.error("role-count", config_file(), at,
                    fmt::format("role '{}' needs at least {} {}; {} hold{} it{}", name, *count.min,
                                *count.min == 1 ? "person" : "people", holders.size(), holders.size() == 1 ? "s" : "",
                                holders.empty() ? "" : fmt::format(" ({})", join(holders, ", "))));
      if (count.max && static_cast<int>(holders.size()) > *count.max)
        diags.error("role-count", config_file(), at,
                    fmt::format("role '{}' allows at most {} {}; {} hold it ({})", name, *count.max,
                                *count.max == 1 ? "person" : "people", holders.size(), join(holders, ", ")));
    }
  }

  /// Separation of duties.
  void check_separation() {
    const Config& c = plan.config;
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
  }

  /// Each email belongs to one person (case-insensitively).
  void check_emails() {
    const auto& people = plan.config.people;
    for (const auto& d : ix.people().duplicate_emails()) {
      const Person& p = people[d.person];
      const auto& e = p.emails.values[d.email];
      diags.error("duplicate-email", config_file(), e.mark,
                  fmt::format("email '{}' of '{}' is also the email of '{}'; each commit author must map to one person", *e,
                              name_of(p.id, "?"), name_of(people[d.first].id, "?")));
    }
  }

  // ---- dependency graphs -------------------------------------------------------------------------

  /// The dependencies of items on items, checking each reference and warning about dropped ones.
  graph::Adjacency item_dependencies() {
    const auto& items = plan.items;
    graph::Adjacency adj(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Item& it = items[i];
      for (const auto& d : it.depends_on.values) {
        const index::Record* to = reference(d, {Entity::item}, "depends_on", it.file);
        if (!to) continue;
        std::size_t j = to->index;
        adj[i].push_back(j);
        const Item& dep = items[j];
        if (dep.status_or_default() == Status::dropped && it.undone())
          diags.warning("depends-on-dropped", file(it.file), d.mark,
                        fmt::format("'{}' depends on '{}', which is dropped", name_of(it.id, "item"), *d),
                        "remove the dependency, or revive the item it depends on");
        if (it.status_or_default() == Status::done && dep.status_or_default() != Status::done)
          diags.warning("done-before-dependency", file(it.file), d.mark,
                        fmt::format("'{}' is done but depends on '{}', which is {}", name_of(it.id, "item"), *d,
                                    to_string(dep.status_or_default())),
                        dep.status_or_default() == Status::dropped
                            ? "remove the dependency, or reopen the item"
                            : fmt::format("finish '{}' first, or remove the dependency", *d));
      }
    }
    return adj;
  }

  /// Where a cycle starting at a record with `depends_on` is written: its dependency on the next one.
  static Mark cycle_mark(const ListField<std::string>& depends_on, const std::string& next) {
    Mark at = depends_on.mark;
    for (const auto& d : depends_on.values)
      if (*d == next) at = d.mark;
    return at;
  }

  void check_item_graph() {
    m_item_adj = item_dependencies();
    for (const auto& path : graph::cycles(m_item_adj)) {
      std::vector<std::string> names;
      for (auto v : path) names.push_back(*plan.items[v].id);
      const Item& first = plan.items[path.front()];
      diags.error("dependency-cycle", file(first.file), cycle_mark(first.depends_on, names[1]),
                  fmt::format("dependency cycle: {}", join(names, " → ")),
                  "remove one of these dependencies; nothing in a cycle can ever start");
    }
  }

  /// The dependencies of milestones on milestones, checking each reference and warning where a
  /// milestone depends on one due later.
  graph::Adjacency milestone_dependencies() {
    const auto& ms = plan.milestones;
    graph::Adjacency adj(ms.size());
    for (std::size_t i = 0; i < ms.size(); ++i) {
      for (const auto& d : ms[i].depends_on.values) {
        const index::Record* to = reference(d, {Entity::milestone}, "depends_on", ms[i].file);
        if (!to) continue;
        std::size_t j = to->index;
        adj[i].push_back(j);
        if (ms[i].id.has() && ms[i].target.has() && ms[j].target.has() && *ms[j].target > *ms[i].target)
          diags.warning("milestone-order", file(ms[i].file), d.mark,
                        fmt::format("milestone '{}' is due {} but depends on '{}', due later ({})", *ms[i].id,
                                    to_string(*ms[i].target), *d, to_string(*ms[j].target)));
      }
    }
    return adj;
  }

  void check_milestone_graph() {
    for (const auto& path : graph::cycles(milestone_dependencies())) {
      std::vector<std::string> names;
      for (auto v : path) names.push_back(*plan.milestones[v].id);
      const Milestone& first = plan.milestones[path.front()];
      diags.error("dependency-cycle", file(first.file), cycle_mark(first.depends_on, names[1]),
                  fmt::format("milestone cycle: {}", join(names, " → ")), "remove one of these dependencies");
    }
  }

  /// The target of the milestone item `i` is planned for, if it names one that has a target.
  std::optional<Date> target_of(std::size_t i) const {
    auto m = ix.milestone_of(i);
    if (!m) return std::nullopt;
    return plan.milestones[*m].target.value;
  }

  /// latest[i]: the latest milestone target among everything item i (transitively) depends on, and
  /// the item that has it. Edges that close a cycle (reported elsewhere) are left out.
  std::vector<std::optional<std::pair<Date, std::size_t>>> latest_dependency_targets() const {
    const std::size_t n = plan.items.size();
    std::vector<std::optional<std::pair<Date, std::size_t>>> latest(n);
    std::vector<std::size_t> position(n);
    auto order = graph::finish_order(m_item_adj);
    for (std::size_t k = 0; k < order.size(); ++k) position[order[k]] = k;
    for (std::size_t v : order) {
      for (std::size_t w : m_item_adj[v]) {
        if (position[w] >= position[v]) continue;  // an edge that closes a cycle
        auto cand = latest[w];
        if (auto t = target_of(w); t && (!cand || *t > cand->first)) cand = std::make_pair(*t, w);
        if (cand && (!latest[v] || cand->first > latest[v]->first)) latest[v] = cand;
      }
    }
    return latest;
  }

  /// Warns about items whose milestone is due before the milestone of an item they (transitively)
  /// depend on. Runs on the acyclic part of the graph, in O(items + dependencies).
  void check_item_milestone_order() {
    const auto& items = plan.items;
    auto latest = latest_dependency_targets();
    for (std::size_t i = 0; i < items.size(); ++i) {
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
      if (it.owner.has()) owner(it.owner, "backlog", it.id, "item", it.file);
      if (it.assignee.has()) person_ref(it.assignee, "assignee", it.file);
      Status st = it.status_or_default();
      // `done.mark` without a value: a `done:` written but invalid, already an error of its own.
      if (st == Status::done && !it.done.has() && it.done.mark.line == 0)
        diags.warning("missing-done-date", file(it.file), it.status.mark,
                      fmt::format("'{}' is done but has no 'done:' date", name),
                      "add 'done: YYYY-MM-DD' so the forecast can use it");
      check_item_dates(it, name);
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

  /// A `done:` or `started:` date after today, and `started:` after `done:`: dates that cannot be true.
  void check_item_dates(const Item& it, const std::string& name) {
    for (const auto& [field, what] : {std::pair{&it.started, "started"}, std::pair{&it.done, "done"}})
      if (field->has() && **field > today)
        diags.warning("future-date", file(it.file), field->mark,
                      fmt::format("'{}' has {}: {}, after today ({})", name, what, to_string(**field),
                                  to_string(today)),
                      fmt::format("a {} date records what happened: use the day it happened", what));
    if (it.started.has() && it.done.has() && *it.started > *it.done)
      diags.warning("started-after-done", file(it.file), it.started.mark,
                    fmt::format("'{}' is started on {}, after it is done ({})", name, to_string(*it.started),
                                to_string(*it.done)),
                    "correct 'started:' or 'done:'");
  }

  void check_milestones() {
    for (const Milestone& m : plan.milestones)
      if (m.owner.has()) owner(m.owner, "roadmap", m.id, "milestone", m.file);
  }

  void check_risks() {
    for (const Risk& r : plan.risks) {
      std::string name = name_of(r.id, "risk");
      if (r.owner.has()) owner(r.owner, "risks", r.id, "risk", r.file);
      for (const auto& a : r.affects.values) reference(a, {Entity::item, Entity::milestone}, "affects", r.file);
      if (r.review.has() && *r.review < today && r.status_or_default() == RiskStatus::open)
        diags.warning("review-overdue", file(r.file), r.review.mark,
                      fmt::format("review of '{}' was due {} ({} day{} ago)", name, to_string(*r.review),
                                  today - *r.review, today - *r.review == 1 ? "" : "s"));
    }
  }

  graph::Adjacency m_item_adj;
};

}  // namespace

void run(const load::Loaded& loaded, Date today, Diagnostics& diags) {
  index::PlanIndex local;  // for a Loaded put together in memory, without an index
  if (!loaded.index.built()) local = index::PlanIndex(loaded.plan);
  Checker c{loaded.plan, loaded.rules, today, diags, loaded.index.built() ? loaded.index : local, loaded.unparsed, {},
            {}};
  c.report_duplicate_ids();
  c.check_roles();
  c.check_item_graph();
  c.check_milestone_graph();
  c.check_item_milestone_order();
  c.check_items();
  c.check_milestones();
  c.check_risks();
}

void attributes(const load::Loaded& loaded, const Source& source, Diagnostics& diags) {
  attributes::Checker checker(source);
  for (const auto& path : loaded.plan.files)
    for (const auto& u : checker.unsafe(path))
      diags.error("unsafe-attributes", u.file, Mark{static_cast<std::uint32_t>(u.line), 1},
                  fmt::format("'{}' gives the plan file {} '{}', so a checkout writes other bytes than the ones git "
                              "holds (and the audit reads)",
                              u.file, u.path, u.attribute),
                  "only merge, text, eol and diff attributes may apply to plan files");
}

}  // namespace tandem::check
