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

std::optional<int> sprint_of(const model::Config& c, Date date) {
  if (!c.sprint_start.has() || !c.sprint_length.has() || date < *c.sprint_start) return std::nullopt;
  return (date - *c.sprint_start) / *c.sprint_length + 1;
}

int sprint_workdays(const model::Config& c) {
  if (!c.sprint_length.has()) return 0;
  Date start = c.sprint_start.has() ? *c.sprint_start : Date{0};
  int n = 0;
  for (int d = 0; d < *c.sprint_length; ++d) n += c.workdays[static_cast<std::size_t>((start + d).weekday())];
  return n;
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
    if (in_pool) capacity += p.capacity_or_default() * sprint_workdays(c);
  }
  return capacity / *c.velocity;
}

namespace {

/// The serial list schedule of SPEC section 5, in named steps; `run` calls them in order.
class Scheduler {
 public:
  Scheduler(const model::Plan& plan, const index::PlanIndex& ix, Date today, const DoneDates& history)
      : m_plan(plan), m_ix(ix), m_history(history), m_config(plan.config), m_cal(plan.config), m_pv(point_value(plan.config)) {
    const model::Config& c = m_config;
    m_out.start = c.project_start.has() ? std::max(*c.project_start, today) : today;
  }

  Schedule run(const priority::Ranking& ranking) {
    link_undone(ranking);
    m_out.order = graph::topological_order(m_deps, m_rank);
    for (std::size_t i : m_out.order) schedule_item(i);
    compute_float_and_chain();
    assign_sprints();
    for (std::size_t m = 0; m < m_plan.milestones.size(); ++m) m_out.milestones.push_back(milestone_row(m));
    return std::move(m_out);
  }

 private:
  /// The serial rank of each undone item and its undone dependencies. Work in progress first (SPEC 5
  /// step 5): the `doing` items, in priority order, rank before every `todo` item, so that each starts
  /// at the schedule's start (once its dependencies allow) before its person's other work.
  void link_undone(const priority::Ranking& ranking) {
    const auto& items = m_plan.items;
    const std::size_t n = items.size();
    m_rank.assign(n, graph::k_left_out);
    std::size_t next = 0;
    for (bool doing : {true, false})
      for (const auto& row : ranking.rows)
        if ((items[row.item].status_or_default() == model::Status::doing) == doing) m_rank[row.item] = next++;
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

  /// When the dependencies of `i` let it start: the latest of their finishes and the schedule's start.
  Moment dependencies_ready(std::size_t i) const {
    Moment ready{m_out.start, 0};
    for (std::size_t d : m_deps[i]) {
      const Moment& f = m_out.tasks[m_task_of[d]].finish;
      if (value(f) > value(ready) + k_eps) ready = f;
    }
    return ready;
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

  /// Where a candidate would do an item: who, from when, until when.
  struct Placement {
    std::size_t person = 0;
    Moment start, finish;
  };

  /// The candidate who would finish `effort` earliest (ties: the earlier start, then the first of them,
  /// which is order in `people`), so work never goes to someone about to leave when a colleague would
  /// finish first. Nothing when nobody has a working day within the horizon.
  std::optional<Placement> earliest_finish(const std::vector<std::size_t>& people, const Moment& dep_ready,
                                           double effort) const {
    std::optional<Placement> best;
    for (std::size_t p : people) {
      Moment lb = value(m_free_at[p]) > value(dep_ready) ? m_free_at[p] : dep_ready;
      // A candidate who cannot start before the best finish cannot finish earlier.
      if (best && value(lb) >= value(best->finish) - k_eps) continue;
      auto s = normalize(m_cal, p, lb);
      if (!s) continue;
      auto f = advance(m_cal, p, *s, effort / m_config.people[p].capacity_or_default());
      if (!f) continue;
      if (!best || value(*f) < value(best->finish) - k_eps ||
          (value(*f) <= value(best->finish) + k_eps && value(*s) < value(best->start) - k_eps))
        best = Placement{p, *s, *f};
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
    Moment dep_ready = dependencies_ready(i);
    auto people = candidates(i);
    if (people.empty()) return;
    auto best = earliest_finish(people, dep_ready, *effort);
    if (!best) {
      if (!it.assignee.has()) return fail(i, "nobody in the pool has a working day within 10 years");
      std::size_t p = people.front();
      if (!normalize(m_cal, p, std::max(m_free_at[p], dep_ready, [](auto& a, auto& b) { return value(a) < value(b); })))
        return fail(i, fmt::format("{} has no working day within 10 years", *it.assignee));
      return fail(i, fmt::format("would take {} more than 10 years", *it.assignee));
    }
    if (best->finish.date > k_last_date)
      return fail(i, fmt::format("it would finish after {}, the last date tandem handles", to_string(k_last_date)));
    double duration = *effort / m_config.people[best->person].capacity_or_default();
    place(Task{i, best->person, best->start, best->finish, *effort, duration, {}, 0, false});
  }

  /// Adds a task after its person's previous one.
  void place(Task t) {
    m_task_of[t.item] = m_out.tasks.size();
    m_prev_same_person.push_back(m_last_task[t.person]);
    m_free_at[t.person] = t.finish;
    m_last_task[t.person] = m_out.tasks.size();
    m_out.tasks.push_back(t);
  }

  /// Float and the critical chain on the scheduled network: the dependency links plus each person's
  /// succession as scheduled. The forward pass is the schedule itself (each task's scheduled start is
  /// its earliest start); the backward pass runs from the project's finish in reverse serial order
  /// (every predecessor of a task comes before it in that order). Float is LS − ES on the team's
  /// workday clock, and the chain is exactly the zero-float tasks, so the two never disagree.
  void compute_float_and_chain() {
    auto& tasks = m_out.tasks;
    if (tasks.empty()) return;
    std::size_t last = 0;
    for (std::size_t k = 1; k < tasks.size(); ++k)
      if (value(tasks[k].finish) > value(tasks[last].finish) + k_eps) last = k;
    m_out.finish = tasks[last].finish.date;
    // clock[d]: team workdays in [start, start + d); a moment is that count plus its fraction of a team workday.
    std::vector<int> clock(static_cast<std::size_t>(*m_out.finish - m_out.start) + 2, 0);
    for (std::size_t d = 1; d < clock.size(); ++d) clock[d] = clock[d - 1] + m_cal.team_workday(m_out.start + int(d - 1));
    auto at = [&](const Moment& m) {
      auto d = static_cast<std::size_t>(m.date - m_out.start);
      return clock[d] + (m_cal.team_workday(m.date) ? m.fraction : 0.0);
    };
    double end = at(tasks[last].finish);
    std::vector<double> late_finish(tasks.size(), end);
    for (std::size_t k = tasks.size(); k-- > 0;) {
      double fl = late_finish[k] - at(tasks[k].finish);
      if (std::fabs(fl) < 1e-6) fl = 0;
      tasks[k].total_float = fl;
      tasks[k].critical = fl == 0;
      double late_start = at(tasks[k].start) + fl;
      auto tighten = [&](std::size_t p) { late_finish[p] = std::min(late_finish[p], late_start); };
      for (std::size_t d : m_deps[tasks[k].item]) tighten(m_task_of[d]);
      if (m_prev_same_person[k] != SIZE_MAX) tighten(m_prev_same_person[k]);
    }
  }

  /// Sprints are fixed calendar periods: sprint n covers [start + (n−1)·length, start + n·length).
  void assign_sprints() {
    const model::Config& c = m_config;
    if (!c.sprint_start.has() || !c.sprint_length.has()) return;
    for (auto& t : m_out.tasks) t.sprint = sprint_of(c, t.finish.date);
  }

  /// The forecast finish and status of milestone `m`, from its items.
  MilestoneRow milestone_row(std::size_t m) {
    const auto& ms = m_plan.milestones[m];
    MilestoneRow row;
    row.milestone = m;
    std::size_t members = 0;
    std::optional<Date> done_latest;
    bool done_undated = false, undone = false;
    std::string unknown;
    for (std::size_t i : items_of(m)) {
      const Item& it = m_plan.items[i];
      auto st = it.status_or_default();
      if (st == model::Status::dropped) continue;
      ++members;
      if (st == model::Status::done) {
        ++row.done;
        auto on = done_date(it);
        if (on) done_latest = done_latest ? std::max(*done_latest, *on) : *on;
        else done_undated = true;
      } else if (m_task_of[i] != SIZE_MAX) {
        const Task& t = m_out.tasks[m_task_of[i]];
        row.finish = row.finish ? std::max(*row.finish, t.finish.date) : t.finish.date;
        undone = true;
      } else if (unknown.empty() && it.id.has()) {
        unknown = fmt::format("{} cannot be scheduled: {}", *it.id, m_failed[i].empty() ? "not ready" : m_failed[i]);
      }
    }
    row.scope = members;
    if (members == 0) {
      row.why = "no items";
    } else if (!unknown.empty()) {
      row.why = unknown;
      row.finish.reset();
    } else if (!undone) {  // every item is done
      if (done_undated) row.why = "a done item has no 'done:' date and no commit made it done";
      else row.finish = done_latest;
    }
    judge(row, ms);
    return row;
  }

  /// When done item `it` was done: its `done:` date, else the commit that made it done (SPEC 6.1).
  std::optional<Date> done_date(const Item& it) const {
    if (it.done.has()) return *it.done;
    if (!it.id.has()) return std::nullopt;
    auto found = m_history.find(*it.id);
    return found == m_history.end() ? std::nullopt : std::optional(found->second);
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
  const DoneDates& m_history;                ///< history's dates of done items without `done:`
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
  std::vector<std::size_t> m_prev_same_person;  ///< per task: its person's previous task; SIZE_MAX for none
  std::vector<std::vector<std::size_t>> m_items_of;  ///< per milestone
};

}  // namespace

Schedule plan_schedule(const model::Plan& plan, const index::PlanIndex& ix, const priority::Ranking& ranking,
                       Date today, const DoneDates& history) {
  return Scheduler(plan, ix, today, history).run(ranking);
}

Schedule plan_schedule(const model::Plan& plan, const priority::Ranking& ranking, Date today, const DoneDates& history) {
  return plan_schedule(plan, index::PlanIndex(plan), ranking, today, history);
}

Schedule plan_schedule(const model::Plan& plan, const index::PlanIndex& ix, Date today, const DoneDates& history) {
  return plan_schedule(plan, ix, priority::rank(plan, ix, priority::configured_model(plan)), today, history);
}

Schedule plan_schedule(const model::Plan& plan, Date today, const DoneDates& history) {
  return plan_schedule(plan, index::PlanIndex(plan), today, history);
}

}  // namespace tandem::schedule
