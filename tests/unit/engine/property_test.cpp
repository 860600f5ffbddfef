// Property tests of the engines on random plans from a seeded generator: whatever the plan, the
// schedule respects dependencies, people's capacity and calendars, schedules every schedulable item
// exactly once, dates milestones by their last item; forecast percentiles are ordered; and the same
// input gives byte-identical output in every format.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/engine/check.hpp"
#include "core/engine/forecast.hpp"
#include "core/engine/load.hpp"
#include "core/plan/load.hpp"
#include "core/engine/priority.hpp"
#include "core/render/tables.hpp"
#include "core/engine/risks.hpp"
#include "core/engine/schedule.hpp"
#include "support/engine_fixture.hpp"

using namespace tandem;

namespace {

constexpr double k_eps = 1e-6;
constexpr int k_seeds = 300;

/// One random plan: its files, and what the generator put in them (the oracle's view).
struct RandomPlan {
  std::map<std::string, std::string> files;
  Date start, today;
};

struct Gen {
  std::mt19937_64 rng;
  explicit Gen(std::uint64_t seed) : rng(seed) {}
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[static_cast<std::size_t>(uniform(0, static_cast<int>(v.size()) - 1))]; }
};

RandomPlan generate(std::uint64_t seed) {
  Gen g(seed);
  RandomPlan out;
  out.start = *make_date(2027, 1, 4) + g.uniform(0, 6);
  out.today = out.start + g.uniform(-5, 8);
  const char* day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  std::vector<std::string> workdays;
  for (int d = 0; d < 7; ++d)
    if (g.chance(d < 5 ? 0.85 : 0.2)) workdays.emplace_back(day_names[d]);
  if (workdays.empty()) workdays.emplace_back(day_names[g.uniform(0, 6)]);
  std::set<std::string> holidays;
  for (int i = g.uniform(0, 5); i > 0; --i) holidays.insert(to_string(out.start + g.uniform(-3, 60)));
  bool points = g.chance(0.3);

  std::string config = fmt::format("version: 1\nproject: {{name: P{}, start: {}}}\n", seed, to_string(out.start));
  config += "calendar:\n  workdays: [" + fmt::format("{}", fmt::join(workdays, ", ")) + "]\n";
  if (!holidays.empty()) config += "  holidays: [" + fmt::format("{}", fmt::join(holidays, ", ")) + "]\n";
  if (points || g.chance(0.5)) config += fmt::format("  sprint: {{start: {}, length: {}}}\n", to_string(out.start), g.uniform(5, 15));
  if (points) config += fmt::format("estimates: points\nvelocity: {}\n", g.uniform(5, 40));
  const std::vector<std::string> models = {"wsjf", "rice", "value", "moscow", "manual"};
  config += fmt::format("priority: {{model: {}}}\n", g.pick(models));
  config += fmt::format("forecast: {{runs: 200, seed: {}, window: {}}}\n", seed, g.uniform(20, 90));
  config += "people:\n  - {id: po, name: PO, roles: [product_owner]}\n  - {id: pm, name: PM, roles: [project_manager]}\n";
  const int developers = g.uniform(1, 4);
  std::vector<std::string> devs;
  const std::vector<std::string> capacities = {"1", "1", "0.5", "0.8", "0.25", "0.75"};
  for (int i = 1; i <= developers; ++i) {
    devs.push_back(fmt::format("d{}", i));
    config += fmt::format("  - {{id: d{}, name: Dev {}, roles: [developer], capacity: {}", i, i, g.pick(capacities));
    if (g.chance(0.5)) {
      config += ", off: [";
      for (int k = g.uniform(1, 3); k > 0; --k) {
        Date from = out.start + g.uniform(-5, 50);
        config += fmt::format("{{from: {}, to: {}}}{}", to_string(from), to_string(from + g.uniform(0, 9)), k > 1 ? ", " : "");
      }
      config += "]";
    }
    config += "}\n";
  }

  const int n_milestones = g.uniform(0, 3);
  std::string roadmap = "milestones:\n";
  for (int m = 1; m <= n_milestones; ++m)
    roadmap += fmt::format("  - {{id: M{}, title: m{}, target: {}{}}}\n", m, m, to_string(out.start + g.uniform(5, 80)),
                           m > 1 && g.chance(0.5) ? fmt::format(", depends_on: [M{}]", m - 1) : "");
  if (n_milestones == 0) roadmap = "milestones: []\n";

  const int n_items = g.uniform(1, 25);
  std::string backlog = "items:\n";
  std::vector<bool> dropped(static_cast<std::size_t>(n_items) + 1, false);
  const std::vector<std::string> estimates = {"0.5", "1", "1.5", "2", "3", "5", "8", "0.25"};
  const std::vector<std::string> moscow = {"must", "should", "could", "wont"};
  for (int i = 1; i <= n_items; ++i) {
    int kind = g.uniform(0, 99);
    std::string status = kind < 60 ? "todo" : kind < 75 ? "doing" : kind < 92 ? "done" : "dropped";
    dropped[static_cast<std::size_t>(i)] = status == "dropped";
    std::string it = fmt::format("  - {{id: I{}, title: item {}, status: {}", i, i, status);
    if (status == "done") {
      Date d = out.today + -g.uniform(1, 60);
      it += fmt::format(", done: {}", to_string(d));
    }
    if (status != "done" && status != "dropped" && g.chance(0.92)) it += ", estimate: " + g.pick(estimates);
    else if (g.chance(0.5)) it += ", estimate: " + g.pick(estimates);
    if (status == "doing" && g.chance(0.5)) it += ", remaining: " + g.pick(estimates);
    if (g.chance(0.6)) it += ", assignee: " + g.pick(devs);
    if (g.chance(0.7))
      it += fmt::format(", value: {}, time_criticality: {}, risk_reduction: {}, size: {}", g.uniform(1, 10),
                        g.uniform(0, 10), g.uniform(0, 10), g.uniform(1, 13));
    if (g.chance(0.4))
      it += fmt::format(", rice: {{reach: {}, impact: {}, confidence: 0.{}, effort: {}}}", g.uniform(1, 1000),
                        g.uniform(1, 3), g.uniform(1, 9), g.uniform(1, 8));
    if (g.chance(0.5)) it += ", moscow: " + g.pick(moscow);
    if (n_milestones > 0 && g.chance(0.5)) it += fmt::format(", milestone: M{}", g.uniform(1, n_milestones));
    std::vector<int> deps;
    for (int k = g.uniform(0, 3); k > 0 && i > 1; --k) {
      int d = g.uniform(1, i - 1);
      if (!dropped[static_cast<std::size_t>(d)] && std::find(deps.begin(), deps.end(), d) == deps.end()) deps.push_back(d);
    }
    if (!deps.empty()) {
      it += ", depends_on: [";
      for (std::size_t k = 0; k < deps.size(); ++k) it += fmt::format("{}I{}", k ? ", " : "", deps[k]);
      it += "]";
    }
    backlog += it + "}\n";
  }
  std::string risks = "risks:\n";
  int n_risks = g.uniform(0, 3);
  for (int r = 1; r <= n_risks; ++r) {
    int lo = g.uniform(0, 5);
    risks += fmt::format("  - {{id: R{}, title: r{}, probability: {}, impact: {}, delay: [{}, {}], affects: [{}]}}\n", r, r,
                         g.uniform(1, 5), g.uniform(1, 5), lo, lo + g.uniform(0, 5),
                         n_milestones > 0 && g.chance(0.5) ? fmt::format("M{}", g.uniform(1, n_milestones))
                                                           : fmt::format("I{}", g.uniform(1, n_items)));
  }
  if (n_risks == 0) risks = "risks: []\n";
  out.files = {{"tandem.yaml", config}, {"backlog.yaml", backlog}, {"roadmap.yaml", roadmap}, {"risks.yaml", risks}};
  return out;
}

/// Loads a generated plan; fails the test on any error finding (the generator writes valid plans).
load::Loaded load_random(const RandomPlan& rp) {
  test::MemorySource source(rp.files);
  Diagnostics diags;
  auto loaded = load::load(load::Location{"/nonexistent", "tandem.yaml", false}, source, {}, diags);
  check::run(loaded, rp.today, diags);
  std::string errors;
  for (const auto& d : diags.sorted())
    if (d.severity == Severity::error) errors += format_diagnostic(d) + "\n";
  REQUIRE_MESSAGE(errors.empty(), errors, rp.files.at("tandem.yaml"), rp.files.at("backlog.yaml"));
  return loaded;
}

/// The oracle's calendar: is `d` a working day of `person`?
bool works(const model::Plan& plan, std::size_t person, Date d) {
  const auto& c = plan.config;
  if (!c.workdays[static_cast<std::size_t>(d.weekday())]) return false;
  for (const auto& h : c.holidays)
    if (*h == d) return false;
  for (const auto& r : c.people[person].off)
    if (r.from <= d && d <= r.to) return false;
  return true;
}

/// Workdays of `person` worked from `a` to `b` (fractions included), by the oracle's calendar.
double worked(const model::Plan& plan, std::size_t person, schedule::Moment a, schedule::Moment b) {
  if (a.date == b.date) return b.fraction - a.fraction;
  double days = -a.fraction - (1 - b.fraction);
  for (Date d = a.date; d <= b.date; d = d + 1) days += works(plan, person, d) ? 1 : 0;
  return days;
}

/// True when moment `a` is at or after moment `b`, where the end of a day comes before the next day.
bool not_before(schedule::Moment a, schedule::Moment b) {
  if (a.date != b.date) return a.date > b.date;
  return a.fraction >= b.fraction - k_eps && b.fraction < 1 - k_eps;
}

std::string describe(const schedule::Moment& m) { return fmt::format("{}+{:.4f}", to_string(m.date), m.fraction); }

/// Everything the engines print for a plan, in every format, concatenated.
std::string all_output(const RandomPlan& rp) {
  auto loaded = load_random(rp);
  const auto& plan = loaded.plan;
  using render::Format;
  std::string out;
  auto ranking = priority::rank(plan, priority::configured_model(plan));
  auto s = schedule::plan_schedule(plan, ranking, rp.today);
  auto options = forecast::configured(plan.config);
  auto fc = forecast::run(plan, s, forecast::completion_dates(plan), rp.today, options);
  auto r = risks::rank(plan, rp.today, false);
  auto statuses = status::judge_all(plan, s, fc);
  for (auto f : {Format::text, Format::json, Format::csv, Format::markdown}) {
    out += render::priority(plan, ranking, f, 0);
    out += render::schedule(plan, s, statuses, f);
    if (fc) out += render::forecast(plan, *fc, s, statuses, options, f);
    out += render::risks(plan, r, f);
  }
  return out;
}

}  // namespace

TEST_CASE("random plans: the schedule keeps dependencies, capacity and calendars, and schedules each item once") {
  int with_tasks = 0, with_milestones = 0;
  for (int seed = 1; seed <= k_seeds; ++seed) {
    CAPTURE(seed);
    auto rp = generate(static_cast<std::uint64_t>(seed));
    auto loaded = load_random(rp);
    const auto& plan = loaded.plan;
    auto s = schedule::plan_schedule(plan, rp.today);
    double point = schedule::point_value(plan.config);
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < plan.items.size(); ++i) index[*plan.items[i].id] = i;

    // Every undone item is scheduled exactly once or listed unschedulable, never both.
    std::map<std::size_t, const schedule::Task*> task_of;
    for (const auto& t : s.tasks) {
      CHECK_MESSAGE(task_of.emplace(t.item, &t).second, "scheduled twice: ", *plan.items[t.item].id);
    }
    std::set<std::size_t> unschedulable;
    for (const auto& u : s.unschedulable) CHECK(unschedulable.insert(u.item).second);
    for (std::size_t i = 0; i < plan.items.size(); ++i) {
      const auto& it = plan.items[i];
      CAPTURE(*it.id);
      bool undone = it.undone();
      CHECK(task_of.count(i) + unschedulable.count(i) == (undone ? 1u : 0u));
      // An undone item with an effort whose dependencies are all schedulable is scheduled.
      if (undone && (it.estimate.has() || it.remaining.has())) {
        bool blocked = false;
        for (const auto& d : it.depends_on.values) {
          std::size_t j = index.at(*d);
          if (plan.items[j].undone() && !task_of.count(j)) blocked = true;
        }
        CHECK(task_of.count(i) == (blocked ? 0u : 1u));
      }
    }
    if (!s.tasks.empty()) ++with_tasks;

    for (const auto& t : s.tasks) {
      const auto& it = plan.items[t.item];
      CAPTURE(*it.id);
      CAPTURE(describe(t.start));
      CAPTURE(describe(t.finish));
      // Nothing starts before the schedule does, or before all its dependencies finish.
      CHECK(t.start.date >= s.start);
      for (const auto& d : it.depends_on.values) {
        auto dep = task_of.find(index.at(*d));
        if (dep == task_of.end()) continue;  // done
        CAPTURE(*d);
        CAPTURE(describe(dep->second->finish));
        CHECK(not_before(t.start, dep->second->finish));
      }
      // An assigned item goes to its assignee.
      if (it.assignee.has()) CHECK(*plan.config.people[t.person].id == *it.assignee);
      // Work starts and ends on the person's working days (never a holiday, an off day or a weekend
      // outside calendar.workdays), and takes effort ÷ capacity of their workdays.
      double effort = (it.remaining.has() ? *it.remaining : *it.estimate) * point;
      double capacity = plan.config.people[t.person].capacity_or_default();
      CHECK(t.effort == doctest::Approx(effort));
      CHECK(t.duration == doctest::Approx(effort / capacity));
      if (effort > 0) {
        CHECK(works(plan, t.person, t.start.date));
        CHECK(works(plan, t.person, t.finish.date));
        CHECK(t.start.fraction < 1 - k_eps);
        CHECK(t.finish.fraction > k_eps);
        CHECK(worked(plan, t.person, t.start, t.finish) == doctest::Approx(effort / capacity).epsilon(1e-6));
      }
    }
    // Nobody works on two items at once.
    std::map<std::size_t, std::vector<const schedule::Task*>> by_person;
    for (const auto& t : s.tasks) by_person[t.person].push_back(&t);
    for (auto& [person, tasks] : by_person) {
      std::stable_sort(tasks.begin(), tasks.end(), [](const auto* a, const auto* b) {
        return a->start.date != b->start.date ? a->start.date < b->start.date : a->start.fraction < b->start.fraction;
      });
      for (std::size_t k = 1; k < tasks.size(); ++k) {
        if (tasks[k]->effort == 0 || tasks[k - 1]->effort == 0) continue;
        CAPTURE(*plan.items[tasks[k - 1]->item].id);
        CAPTURE(*plan.items[tasks[k]->item].id);
        CHECK(not_before(tasks[k]->start, tasks[k - 1]->finish));
      }
    }
    // A milestone's forecast is its last item's finish.
    for (const auto& m : s.milestones) {
      const auto& ms = plan.milestones[m.milestone];
      CAPTURE(*ms.id);
      std::optional<Date> last;
      bool all = true, any = false;
      for (std::size_t i = 0; i < plan.items.size(); ++i) {
        const auto& it = plan.items[i];
        if (!it.milestone.has() || *it.milestone != *ms.id || !it.undone()) continue;
        any = true;
        auto t = task_of.find(i);
        if (t == task_of.end()) all = false;
        else if (!last || t->second->finish.date > *last) last = t->second->finish.date;
      }
      if (any && all) {
        ++with_milestones;
        REQUIRE(m.finish.has_value());
        CHECK(*m.finish == *last);
      }
      if (any && !all) CHECK(m.status == schedule::MilestoneStatus::unknown);
    }
    if (s.finish && !s.tasks.empty()) {
      Date latest = s.tasks.front().finish.date;
      for (const auto& t : s.tasks) latest = std::max(latest, t.finish.date);
      CHECK(*s.finish == latest);
    }
  }
  // The generator is not degenerate.
  CHECK(with_tasks > k_seeds * 8 / 10);
  CHECK(with_milestones > k_seeds / 4);
}

TEST_CASE("random plans: critical exactly when float is 0, the last finish is critical, floats are never negative") {
  int with_slack = 0;
  for (int seed = 1; seed <= k_seeds; ++seed) {
    CAPTURE(seed);
    auto rp = generate(static_cast<std::uint64_t>(seed));
    auto loaded = load_random(rp);
    auto s = schedule::plan_schedule(loaded.plan, rp.today);
    if (s.tasks.empty()) continue;
    const schedule::Task* last = &s.tasks.front();
    for (const auto& t : s.tasks)
      if (t.finish.date > last->finish.date || (t.finish.date == last->finish.date && t.finish.fraction > last->finish.fraction))
        last = &t;
    CHECK(last->critical);
    CHECK(last->total_float == 0);
    for (const auto& t : s.tasks) {
      CAPTURE(*loaded.plan.items[t.item].id);
      CHECK(t.critical == (t.total_float == 0));
      CHECK(t.total_float >= 0);
      // Float never exceeds the time from the task's finish to the project's finish.
      CHECK(t.total_float <= (*s.finish - t.finish.date) + 1 + k_eps);
      with_slack += t.total_float > 0;
    }
  }
  CHECK(with_slack > k_seeds / 2);
}

TEST_CASE("random plans: load puts every task's effort in its person's periods and never above capacity") {
  for (int seed = 1; seed <= k_seeds; ++seed) {
    CAPTURE(seed);
    auto rp = generate(static_cast<std::uint64_t>(seed));
    auto loaded = load_random(rp);
    auto s = schedule::plan_schedule(loaded.plan, rp.today);
    auto l = workload::compute(loaded.plan, loaded.index, s);
    std::map<std::size_t, double> scheduled, counted;
    for (const auto& t : s.tasks) scheduled[t.person] += t.effort;
    for (const auto& pl : l.people) {
      Date previous_end = pl.periods.empty() ? Date{} : pl.periods.front().start + (-1);
      for (const auto& p : pl.periods) {
        CHECK(p.start == previous_end + 1);  // periods tile the calendar
        previous_end = p.end;
        counted[pl.person] += p.effort;
        CHECK(p.effort <= p.capacity + 1e-6);
        if (p.utilisation) CHECK(p.idle == (*p.utilisation < workload::k_idle_below));
      }
    }
    for (const auto& [person, effort] : scheduled) CHECK(counted[person] == doctest::Approx(effort));
  }
}

TEST_CASE("random plans: forecast percentiles are ordered P50 <= P70 <= P85 <= P95") {
  int forecasts = 0;
  for (int seed = 1; seed <= k_seeds; ++seed) {
    CAPTURE(seed);
    auto rp = generate(static_cast<std::uint64_t>(seed));
    auto loaded = load_random(rp);
    const auto& plan = loaded.plan;
    auto s = schedule::plan_schedule(plan, rp.today);
    auto fc = forecast::run(plan, s, forecast::completion_dates(plan), rp.today, forecast::configured(plan.config));
    if (!fc) continue;
    for (const auto& m : fc->milestones) {
      CHECK(std::is_sorted(m.results.begin(), m.results.end()));
      if (!m.p50) continue;
      ++forecasts;
      CHECK(*m.p50 >= fc->start);
      CHECK(*m.p50 <= *m.p70);
      CHECK(*m.p70 <= *m.p85);
      if (m.p95) CHECK(*m.p85 <= *m.p95);
      if (m.chance) CHECK((*m.chance >= 0 && *m.chance <= 1));
    }
  }
  CHECK(forecasts > k_seeds / 4);
}

TEST_CASE("random plans: the same input gives byte-identical output in every format") {
  for (int seed = 1; seed <= k_seeds / 3; ++seed) {
    CAPTURE(seed);
    auto rp = generate(static_cast<std::uint64_t>(seed));
    auto first = all_output(rp);
    auto again = all_output(generate(static_cast<std::uint64_t>(seed)));
    CHECK(first == again);
  }
}
