#include "core/engine/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "core/engine/calendar.hpp"
#include "core/engine/graph.hpp"
#include "core/base/table.hpp"

namespace tandem::schedule {

using model::Item;

namespace {

constexpr double k_eps = 1e-9;

double value(const Moment& m) { return m.date.days + m.fraction; }

/// Where work that may begin at `m` really begins for `person`: at `m` on one of their workdays with
/// time left, else at the start of their next workday.
std::optional<Moment> normalize(const Calendar& cal, std::size_t person, Moment m) {
  if (m.fraction < 1 - k_eps && cal.workday(person, m.date)) return Moment{m.date, m.fraction < k_eps ? 0 : m.fraction};
  auto next = cal.next_workday(person, m.date + 1);
  if (!next) return std::nullopt;
  return Moment{*next, 0};
}

/// The moment `duration` workdays of `person`'s time after `start` (a normalized moment).
std::optional<Moment> advance(const Calendar& cal, std::size_t person, Moment start, double duration) {
  Date d = start.date;
  double f = start.fraction, rem = duration;
  for (;;) {
    double avail = 1 - f;
    if (rem <= avail + k_eps) {
      double end = f + rem;
      return Moment{d, end > 1 - k_eps ? 1.0 : end};
    }
    rem -= avail;
    auto next = cal.next_workday(person, d + 1);
    if (!next || *next - start.date > Calendar::k_horizon_days) return std::nullopt;
    d = *next;
    f = 0;
  }
}

}  // namespace

std::string_view to_string(MilestoneStatus s) {
  switch (s) {
    case MilestoneStatus::on_track: return "on_track";
    case MilestoneStatus::late: return "late";
    case MilestoneStatus::unknown: return "unknown";
  }
  return "";
}

std::string describe(const MilestoneRow& row) {
  switch (row.status) {
    case MilestoneStatus::on_track: return "on track";
    case MilestoneStatus::late: return fmt::format("late by {} workday{}", row.late_by, row.late_by == 1 ? "" : "s");
    case MilestoneStatus::unknown: break;
  }
  return "unknown";
}

double point_value(const model::Config& c) {
  if (!c.estimates.has() || *c.estimates == model::Estimates::days || !c.velocity.has() || !c.sprint_length.has())
    return 1.0;
  std::vector<std::string> pool_roles;  // the default pool is resolved by `load`
  for (const auto& r : c.pool.values) pool_roles.push_back(*r);
  double capacity = 0;
  for (const auto& p : c.people) {
    bool in_pool = false;
    for (const auto& r : p.roles.values)
      in_pool = in_pool || std::find(pool_roles.begin(), pool_roles.end(), *r) != pool_roles.end();
    if (in_pool) capacity += p.capacity_or_default() * *c.sprint_length;
  }
  return capacity / *c.velocity;
}

namespace {

/// The serial list schedule of SPEC section 5, in named steps; `run` calls them in order.
class Scheduler {
 public:
  Scheduler(const model::Plan& plan, const index::PlanIndex& ix, Date today)
      : m_plan(plan), m_ix(ix), m_config(plan.config), m_cal(plan.config), m_pv(point_value(plan.config)) {
    const model::Config& c = m_config;
    m_out.start = c.project_start.has() ? std::max(*c.project_start, today) : today;
  }

  Schedule run(const priority::Ranking& ranking) {
    link_undone(ranking);
    for (std::size_t i : graph::topological_order(m_deps, m_rank)) schedule_item(i);
    compute_float();
    mark_critical_chain();
    assign_sprints();
    for (std::size_t m = 0; m < m_plan.milestones.size(); ++m) m_out.milestones.push_back(milestone_row(m));
    return std::move(m_out);
  }

 private:
  /// The priority rank of each undone item and its undone dependencies.
  void link_undone(const priority::Ranking& ranking) {
    const auto& items = m_plan.items;
    const std::size_t n = items.size();
    m_rank.assign(n, graph::k_left_out);
    for (std::size_t r = 0; r < ranking.rows.size(); ++r) m_rank[ranking.rows[r].item] = r;
    m_deps.assign(n, {});
    for (std::size_t i = 0; i < n; ++i) {
      if (m_rank[i] == graph::k_left_out) continue;
      for (const auto& d : items[i].depends_on.values) {
        auto j = m_ix.item(*d);
        if (!j || m_rank[*j] == graph::k_left_out) continue;  // done, dropped or unknown
        m_deps[i].push_back(*j);
      }
    }
    m_task_of.assign(n, SIZE_MAX);
    m_failed.assign(n, {});
    m_free_at.assign(m_config.people.size(), Moment{m_out.start, 0});
    m_last_task.assign(m_config.people.size(), SIZE_MAX);
  }

  void fail(std::size_t i, std::string reason) {
    m_failed[i] = std::move(reason);
    m_out.unschedulable.push_back({i, m_failed[i]});
  }

  /// The id of a dependency of `i` that could not be scheduled, or "".
  std::string blocked_by(std::size_t i) const {
    for (std::size_t d : m_deps[i])
      if (m_task_of[d] == SIZE_MAX) return *m_plan.items[d].id;
    return {};
  }

  /// The latest finish among the dependencies of `i`, if later than the schedule's start, binds its
  /// start: that moment, and the dependency (SIZE_MAX when none binds).
  std::pair<Moment, std::size_t> dependencies_ready(std::size_t i) const {
    Moment ready{m_out.start, 0};
    std::size_t binding = SIZE_MAX;
    for (std::size_t d : m_deps[i]) {
      const Moment& f = m_out.tasks[m_task_of[d]].finish;
      if (value(f) > value(ready) + k_eps) {
        ready = f;
        binding = d;
      }
    }
    return {ready, binding};
  }

  /// Who may do item `i`: its assignee, else the pool members with capacity; empty after `fail`.
  std::vector<std::size_t> candidates(std::size_t i) {
    const Item& it = m_plan.items[i];
    const auto& people = m_config.people;
    std::vector<std::size_t> out;
    if (it.assignee.has()) {
      auto p = m_ix.people().person(*it.assignee);
      if (!p) fail(i, fmt::format("assignee {} is not in people", *it.assignee));
      else if (people[*p].capacity_or_default() <= 0) fail(i, fmt::format("assignee {} has zero capacity", *it.assignee));
      else out.push_back(*p);
      return out;
    }
    for (std::size_t p : m_ix.people().pool())
      if (people[p].capacity_or_default() > 0) out.push_back(p);
    if (out.empty()) fail(i, "no assignee, and nobody in the pool has capacity");
    return out;
  }

  /// The candidate who can start earliest (the first of them on a tie), and when.
  std::optional<std::pair<std::size_t, Moment>> earliest_start(const std::vector<std::size_t>& people,
                                                               const Moment& dep_ready) const {
    std::optional<std::pair<std::size_t, Moment>> best;
    for (std::size_t p : people) {
      Moment lb = value(m_free_at[p]) > value(dep_ready) ? m_free_at[p] : dep_ready;
      if (best && value(lb) >= value(best->second) - k_eps) continue;
      auto s = normalize(m_cal, p, lb);
      if (s && (!best || value(*s) < value(best->second) - k_eps)) best = std::make_pair(p, *s);
    }
    return best;
  }

  /// Schedules item `i` (whose dependencies are all placed or failed), or records why it cannot be.
  void schedule_item(std::size_t i) {
    const Item& it = m_plan.items[i];
    std::optional<double> effort;
    if (it.remaining.has()) effort = *it.remaining * m_pv;
    else if (it.estimate.has()) effort = *it.estimate * m_pv;
    if (std::string blocked = blocked_by(i); !blocked.empty())
      return fail(i, fmt::format("depends on {}, which cannot be scheduled", blocked));
    if (!effort) return fail(i, "no estimate");
    auto [dep_ready, binding_dep] = dependencies_ready(i);
    auto people = candidates(i);
    if (people.empty()) return;
    auto best = earliest_start(people, dep_ready);
    if (!best)
      return fail(i, it.assignee.has() ? fmt::format("{} has no working day within 10 years", *it.assignee)
                                       : "nobody in the pool has a working day within 10 years");
    auto [person, start] = *best;
    double duration = *effort / m_config.people[person].capacity_or_default();
    auto finish = advance(m_cal, person, start, duration);
    if (!finish) return fail(i, fmt::format("would take {} more than 10 years", *m_config.people[person].id));
    place(Task{i, person, start, *finish, *effort, duration, {}, 0, false, {}}, dep_ready, binding_dep);
  }

  /// Adds a task, with the constraint that bound its start: a dependency, or the person's previous task.
  void place(Task t, const Moment& dep_ready, std::size_t binding_dep) {
    std::size_t person = t.person;
    if (binding_dep != SIZE_MAX && value(dep_ready) >= value(m_free_at[person]) - k_eps)
      t.chain_prev = m_task_of[binding_dep];
    else if (m_last_task[person] != SIZE_MAX && value(m_free_at[person]) > value(dep_ready) + k_eps)
      t.chain_prev = m_last_task[person];
    m_task_of[t.item] = m_out.tasks.size();
    m_free_at[person] = t.finish;
    m_last_task[person] = m_out.tasks.size();
    m_out.tasks.push_back(t);
  }

  /// Total float over dependency links only (CPM), in workdays.
  void compute_float() {
    auto& tasks = m_out.tasks;
    std::vector<double> es(tasks.size(), 0), lf(tasks.size(), 0);
    double project_end = 0;
    for (std::size_t k = 0; k < tasks.size(); ++k) {
      for (std::size_t d : m_deps[tasks[k].item])
        es[k] = std::max(es[k], es[m_task_of[d]] + tasks[m_task_of[d]].duration);
      project_end = std::max(project_end, es[k] + tasks[k].duration);
    }
    std::fill(lf.begin(), lf.end(), project_end);
    for (std::size_t k = tasks.size(); k-- > 0;) {
      double ls = lf[k] - tasks[k].duration;
      for (std::size_t d : m_deps[tasks[k].item]) lf[m_task_of[d]] = std::min(lf[m_task_of[d]], ls);
    }
    for (std::size_t k = 0; k < tasks.size(); ++k) {
      double fl = lf[k] - tasks[k].duration - es[k];
      tasks[k].total_float = std::fabs(fl) < 1e-6 ? 0 : fl;
    }
  }

  /// The critical chain: back from the latest finish through the constraints that bound each start.
  void mark_critical_chain() {
    auto& tasks = m_out.tasks;
    if (tasks.empty()) return;
    std::size_t last = 0;
    for (std::size_t k = 1; k < tasks.size(); ++k)
      if (value(tasks[k].finish) > value(tasks[last].finish) + k_eps) last = k;
    m_out.finish = tasks[last].finish.date;
    for (std::optional<std::size_t> k = last; k; k = tasks[*k].chain_prev) tasks[*k].critical = true;
  }

  /// Sprints: by team workdays since the sprint start.
  void assign_sprints() {
    const model::Config& c = m_config;
    if (!c.sprint_start.has() || !c.sprint_length.has() || !m_out.finish) return;
    Date s0 = *c.sprint_start;
    std::vector<int> count;  // team workdays in [s0, s0 + k]
    int running = 0;
    for (Date d = s0; d <= *m_out.finish; d = d + 1) {
      running += m_cal.team_workday(d);
      count.push_back(running);
    }
    for (auto& t : m_out.tasks) {
      if (t.finish.date < s0) continue;
      int k = std::max(1, count[static_cast<std::size_t>(t.finish.date - s0)]);
      t.sprint = (k - 1) / *c.sprint_length + 1;
    }
  }

  /// The forecast finish and status of milestone `m`, from its items.
  MilestoneRow milestone_row(std::size_t m) {
    const auto& ms = m_plan.milestones[m];
    MilestoneRow row;
    row.milestone = m;
    std::size_t members = 0;
    std::optional<Date> done_latest;
    bool done_undated = false;
    std::string unknown;
    for (std::size_t i : items_of(m)) {
      const Item& it = m_plan.items[i];
      auto st = it.status_or_default();
      if (st == model::Status::dropped) continue;
      ++members;
      if (st == model::Status::done) {
        if (it.done.has()) done_latest = done_latest ? std::max(*done_latest, *it.done) : *it.done;
        else done_undated = true;
      } else if (m_task_of[i] != SIZE_MAX) {
        const Task& t = m_out.tasks[m_task_of[i]];
        row.finish = row.finish ? std::max(*row.finish, t.finish.date) : t.finish.date;
        row.last_serial = std::max(row.last_serial, m_task_of[i] + 1);
      } else if (unknown.empty() && it.id.has()) {
        unknown = fmt::format("{} cannot be scheduled: {}", *it.id, m_failed[i].empty() ? "not ready" : m_failed[i]);
      }
    }
    if (members == 0) {
      row.why = "no items";
    } else if (!unknown.empty()) {
      row.why = unknown;
      row.finish.reset();
    } else if (row.last_serial == 0) {  // every item is done
      if (done_undated) row.why = "a done item has no 'done:' date";
      else row.finish = done_latest;
    }
    judge(row, ms);
    return row;
  }

  /// The items planned for milestone `m`, in file order (grouped on first use).
  const std::vector<std::size_t>& items_of(std::size_t m) {
    if (m_items_of.empty()) {
      m_items_of.resize(m_plan.milestones.size());
      for (std::size_t i = 0; i < m_plan.items.size(); ++i)
        if (auto owner = m_ix.milestone_of(i)) m_items_of[*owner].push_back(i);
    }
    return m_items_of[m];
  }

  /// On track or late, against the target, when the row has a finish and nothing made it unknown.
  void judge(MilestoneRow& row, const model::Milestone& ms) const {
    if (row.why.empty() && !ms.target.has()) row.why = "no target date";
    if (!row.why.empty()) return;
    if (*row.finish <= *ms.target) {
      row.status = MilestoneStatus::on_track;
    } else {
      row.status = MilestoneStatus::late;
      row.late_by = std::max(1, m_cal.team_workdays_between(*ms.target, *row.finish));
    }
  }

  const model::Plan& m_plan;
  const index::PlanIndex& m_ix;
  const model::Config& m_config;
  Calendar m_cal;
  double m_pv;
  Schedule m_out;
  std::vector<std::size_t> m_rank;           ///< priority rank of each undone item; k_left_out for the others
  graph::Adjacency m_deps;                   ///< undone dependencies of each undone item
  std::vector<std::size_t> m_task_of;        ///< task index of each item; SIZE_MAX when not scheduled
  std::vector<std::string> m_failed;         ///< reason, for unschedulable items
  std::vector<Moment> m_free_at;             ///< per person
  std::vector<std::size_t> m_last_task;      ///< per person; SIZE_MAX before the first
  std::vector<std::vector<std::size_t>> m_items_of;  ///< per milestone
};

}  // namespace

Schedule plan_schedule(const model::Plan& plan, const index::PlanIndex& ix, const priority::Ranking& ranking,
                       Date today) {
  return Scheduler(plan, ix, today).run(ranking);
}

Schedule plan_schedule(const model::Plan& plan, const priority::Ranking& ranking, Date today) {
  return plan_schedule(plan, index::PlanIndex(plan), ranking, today);
}

Schedule plan_schedule(const model::Plan& plan, const index::PlanIndex& ix, Date today) {
  return plan_schedule(plan, ix, priority::rank(plan, ix, priority::configured_model(plan)), today);
}

Schedule plan_schedule(const model::Plan& plan, Date today) { return plan_schedule(plan, index::PlanIndex(plan), today); }

}  // namespace tandem::schedule
