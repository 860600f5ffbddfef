#include "core/engine/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <queue>
#include <unordered_map>

#include "core/engine/calendar.hpp"
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

Schedule plan_schedule(const model::Plan& plan, const priority::Ranking& ranking, Date today) {
  const model::Config& c = plan.config;
  const auto& items = plan.items;
  Calendar cal(c);
  Schedule out;
  out.start = c.project_start.has() ? std::max(*c.project_start, today) : today;
  const double pv = point_value(c);

  std::unordered_map<std::string_view, std::size_t> item_index, person_index;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].id.has()) item_index.emplace(*items[i].id, i);
  for (std::size_t p = 0; p < c.people.size(); ++p)
    if (c.people[p].id.has()) person_index.emplace(*c.people[p].id, p);

  std::vector<std::string> pool_roles;  // the default pool is resolved by `load`
  for (const auto& r : c.pool.values) pool_roles.push_back(*r);
  std::vector<std::size_t> pool;
  for (std::size_t p = 0; p < c.people.size(); ++p)
    for (const auto& r : c.people[p].roles.values)
      if (std::find(pool_roles.begin(), pool_roles.end(), *r) != pool_roles.end()) {
        pool.push_back(p);
        break;
      }

  // Priority rank of each undone item, its undone dependencies and dependents.
  const std::size_t n = items.size();
  std::vector<std::size_t> rank(n, SIZE_MAX);
  for (std::size_t r = 0; r < ranking.rows.size(); ++r) rank[ranking.rows[r].item] = r;
  std::vector<std::vector<std::size_t>> deps(n), dependents(n);
  std::vector<std::size_t> waiting(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (rank[i] == SIZE_MAX) continue;
    for (const auto& d : items[i].depends_on.values) {
      auto it = item_index.find(*d);
      if (it == item_index.end() || rank[it->second] == SIZE_MAX) continue;  // done, dropped or unknown
      deps[i].push_back(it->second);
      dependents[it->second].push_back(i);
      ++waiting[i];
    }
  }

  std::vector<std::size_t> task_of(n, SIZE_MAX);
  std::vector<std::string> failed(n);  // reason, for unschedulable items
  std::vector<Moment> free_at(c.people.size(), Moment{out.start, 0});
  std::vector<std::size_t> last_task(c.people.size(), SIZE_MAX);

  auto by_rank = [&](std::size_t a, std::size_t b) { return rank[a] > rank[b]; };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(by_rank)> ready(by_rank);
  for (std::size_t i = 0; i < n; ++i)
    if (rank[i] != SIZE_MAX && waiting[i] == 0) ready.push(i);

  auto fail = [&](std::size_t i, std::string reason) {
    failed[i] = std::move(reason);
    out.unschedulable.push_back({i, failed[i]});
  };

  while (!ready.empty()) {
    std::size_t i = ready.top();
    ready.pop();
    for (std::size_t d : dependents[i])
      if (--waiting[d] == 0) ready.push(d);
    const Item& it = items[i];

    std::optional<double> effort;
    if (it.remaining.has()) effort = *it.remaining * pv;
    else if (it.estimate.has()) effort = *it.estimate * pv;
    std::string blocked;
    for (std::size_t d : deps[i])
      if (task_of[d] == SIZE_MAX) {
        blocked = *items[d].id;
        break;
      }
    if (!blocked.empty()) {
      fail(i, fmt::format("depends on {}, which cannot be scheduled", blocked));
      continue;
    }
    if (!effort) {
      fail(i, "no estimate");
      continue;
    }

    // The latest finish among its dependencies, if later than the schedule's start, binds its start.
    Moment dep_ready{out.start, 0};
    std::size_t binding_dep = SIZE_MAX;
    for (std::size_t d : deps[i]) {
      const Moment& f = out.tasks[task_of[d]].finish;
      if (value(f) > value(dep_ready) + k_eps) {
        dep_ready = f;
        binding_dep = d;
      }
    }

    std::vector<std::size_t> candidates;
    if (it.assignee.has()) {
      auto p = person_index.find(*it.assignee);
      if (p == person_index.end()) {
        fail(i, fmt::format("assignee {} is not in people", *it.assignee));
        continue;
      }
      if (c.people[p->second].capacity_or_default() <= 0) {
        fail(i, fmt::format("assignee {} has zero capacity", *it.assignee));
        continue;
      }
      candidates.push_back(p->second);
    } else {
      for (std::size_t p : pool)
        if (c.people[p].capacity_or_default() > 0) candidates.push_back(p);
      if (candidates.empty()) {
        fail(i, "no assignee, and nobody in the pool has capacity");
        continue;
      }
    }

    std::optional<std::pair<std::size_t, Moment>> best;
    for (std::size_t p : candidates) {
      Moment lb = value(free_at[p]) > value(dep_ready) ? free_at[p] : dep_ready;
      if (best && value(lb) >= value(best->second) - k_eps) continue;
      auto s = normalize(cal, p, lb);
      if (s && (!best || value(*s) < value(best->second) - k_eps)) best = std::make_pair(p, *s);
    }
    if (!best) {
      fail(i, it.assignee.has() ? fmt::format("{} has no working day within 10 years", *it.assignee)
                                : "nobody in the pool has a working day within 10 years");
      continue;
    }
    auto [person, start] = *best;
    double capacity = c.people[person].capacity_or_default();
    double duration = *effort / capacity;
    auto finish = advance(cal, person, start, duration);
    if (!finish) {
      fail(i, fmt::format("would take {} more than 10 years", *c.people[person].id));
      continue;
    }

    Task t;
    t.item = i;
    t.person = person;
    t.start = start;
    t.finish = *finish;
    t.effort = *effort;
    t.duration = duration;
    if (binding_dep != SIZE_MAX && value(dep_ready) >= value(free_at[person]) - k_eps)
      t.chain_prev = task_of[binding_dep];
    else if (last_task[person] != SIZE_MAX && value(free_at[person]) > value(dep_ready) + k_eps)
      t.chain_prev = last_task[person];
    task_of[i] = out.tasks.size();
    free_at[person] = *finish;
    last_task[person] = out.tasks.size();
    out.tasks.push_back(t);
  }

  // Total float over dependency links only (CPM), in workdays.
  std::vector<double> es(out.tasks.size(), 0), lf(out.tasks.size(), 0);
  double project_end = 0;
  for (std::size_t k = 0; k < out.tasks.size(); ++k) {
    for (std::size_t d : deps[out.tasks[k].item]) es[k] = std::max(es[k], es[task_of[d]] + out.tasks[task_of[d]].duration);
    project_end = std::max(project_end, es[k] + out.tasks[k].duration);
  }
  std::fill(lf.begin(), lf.end(), project_end);
  for (std::size_t k = out.tasks.size(); k-- > 0;) {
    double ls = lf[k] - out.tasks[k].duration;
    for (std::size_t d : deps[out.tasks[k].item]) lf[task_of[d]] = std::min(lf[task_of[d]], ls);
  }
  for (std::size_t k = 0; k < out.tasks.size(); ++k) {
    double fl = lf[k] - out.tasks[k].duration - es[k];
    out.tasks[k].total_float = std::fabs(fl) < 1e-6 ? 0 : fl;
  }

  // The critical chain: back from the latest finish through the constraints that bound each start.
  if (!out.tasks.empty()) {
    std::size_t last = 0;
    for (std::size_t k = 1; k < out.tasks.size(); ++k)
      if (value(out.tasks[k].finish) > value(out.tasks[last].finish) + k_eps) last = k;
    out.finish = out.tasks[last].finish.date;
    for (std::optional<std::size_t> k = last; k; k = out.tasks[*k].chain_prev) out.tasks[*k].critical = true;
  }

  // Sprints: by team workdays since the sprint start.
  if (c.sprint_start.has() && c.sprint_length.has() && out.finish) {
    Date s0 = *c.sprint_start;
    std::vector<int> count;  // team workdays in [s0, s0 + k]
    int running = 0;
    for (Date d = s0; d <= *out.finish; d = d + 1) {
      running += cal.team_workday(d);
      count.push_back(running);
    }
    for (auto& t : out.tasks) {
      if (t.finish.date < s0) continue;
      int k = std::max(1, count[static_cast<std::size_t>(t.finish.date - s0)]);
      t.sprint = (k - 1) / *c.sprint_length + 1;
    }
  }

  // Milestones.
  for (std::size_t m = 0; m < plan.milestones.size(); ++m) {
    const auto& ms = plan.milestones[m];
    MilestoneRow row;
    row.milestone = m;
    std::size_t members = 0;
    std::optional<Date> done_latest;
    bool done_undated = false;
    std::string unknown;
    for (std::size_t i = 0; i < n; ++i) {
      const Item& it = items[i];
      if (!it.milestone.has() || !ms.id.has() || *it.milestone != *ms.id) continue;
      auto st = it.status_or_default();
      if (st == model::Status::dropped) continue;
      ++members;
      if (st == model::Status::done) {
        if (it.done.has()) done_latest = done_latest ? std::max(*done_latest, *it.done) : *it.done;
        else done_undated = true;
        continue;
      }
      if (task_of[i] != SIZE_MAX) {
        const Task& t = out.tasks[task_of[i]];
        row.finish = row.finish ? std::max(*row.finish, t.finish.date) : t.finish.date;
        row.last_serial = std::max(row.last_serial, task_of[i] + 1);
      } else if (unknown.empty() && it.id.has()) {
        unknown = fmt::format("{} cannot be scheduled: {}", *it.id, failed[i].empty() ? "not ready" : failed[i]);
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
    if (row.why.empty() && !ms.target.has()) row.why = "no target date";
    if (row.why.empty()) {
      if (*row.finish <= *ms.target) {
        row.status = MilestoneStatus::on_track;
      } else {
        row.status = MilestoneStatus::late;
        row.late_by = std::max(1, cal.team_workdays_between(*ms.target, *row.finish));
      }
    }
    out.milestones.push_back(std::move(row));
  }
  return out;
}

Schedule plan_schedule(const model::Plan& plan, Date today) {
  return plan_schedule(plan, priority::rank(plan, priority::configured_model(plan)), today);
}

}  // namespace tandem::schedule
