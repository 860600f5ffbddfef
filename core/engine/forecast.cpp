#include "core/engine/forecast.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <unordered_map>

#include "core/engine/calendar.hpp"
#include "core/base/random.hpp"
#include "core/base/table.hpp"

namespace tandem::forecast {

Options configured(const model::Config& c) {
  Options o;
  if (c.forecast_runs.has()) o.runs = *c.forecast_runs;
  if (c.forecast_seed.has()) o.seed = static_cast<std::uint64_t>(*c.forecast_seed);
  if (c.forecast_window.has()) o.window = *c.forecast_window;
  return o;
}

std::string chance_text(double chance) {
  double percent = chance * 100;
  if (chance <= 0) return "0%";
  if (chance >= 1) return "100%";
  if (percent >= 1 && percent <= 99) return format_number(percent, 0) + "%";
  std::string one = fmt::format("{:.1f}", percent);
  if (one == "0.0") return "<0.1%";
  if (one == "100.0") return ">99.9%";
  return one + "%";
}

std::string outlook(const schedule::MilestoneRow& row, std::optional<double> chance) {
  if (row.status == schedule::MilestoneStatus::on_track && chance && *chance < 0.5) return "at risk";
  return schedule::describe(row);
}

double occurrence_chance(int probability) { return 0.1 + 0.2 * (std::clamp(probability, 1, 5) - 1); }

std::vector<Date> completion_dates(const model::Plan& plan) {
  std::vector<Date> out;
  for (const auto& it : plan.items)
    if (it.status_or_default() == model::Status::done && it.done.has()) out.push_back(*it.done);
  return out;
}

std::optional<Forecast> run(const model::Plan& plan, const schedule::Schedule& sched,
                            const std::vector<Date>& completions, Date today, const Options& options) {
  return run(plan, index::PlanIndex(plan), sched, completions, today, options);
}

std::optional<Forecast> run(const model::Plan& plan, const index::PlanIndex& ix, const schedule::Schedule& sched,
                            const std::vector<Date>& completions, Date today, const Options& options) {
  Calendar cal(plan.config);
  Forecast out;
  out.start = sched.start;

  // Daily throughput on each team workday of the window before today.
  std::unordered_map<std::int32_t, int> per_day;
  for (Date d : completions) ++per_day[d.days];
  for (Date d = today + (-options.window); d < today; d = d + 1) {
    if (!cal.team_workday(d)) continue;
    auto it = per_day.find(d.days);
    int n = it == per_day.end() ? 0 : it->second;
    out.samples.push_back(n);
    out.history_items += static_cast<std::size_t>(n);
  }
  if (out.history_items == 0) return std::nullopt;

  // Team workdays from the start: index k is the k-th workday of the runs.
  const int horizon = Calendar::k_horizon_days * 5 / 7;  // about ten years of workdays
  std::vector<Date> workdays;  // runs that end beyond these (about twenty years) have no date
  for (Date d = sched.start; d - sched.start < 2 * Calendar::k_horizon_days; d = d + 1)
    if (cal.team_workday(d)) workdays.push_back(d);

  // Milestones to forecast, by N.
  struct Target {
    std::size_t row;
    std::size_t n;
    std::vector<std::pair<double, std::array<int, 2>>> risks;  // chance, delay
  };
  std::vector<Target> targets;
  for (const auto& row : sched.milestones) {
    MilestoneForecast mf;
    mf.milestone = row.milestone;
    mf.items = row.last_serial;
    const auto& ms = plan.milestones[row.milestone];
    if (row.last_serial == 0) {
      mf.note = row.why.empty() ? "no undone items" : row.why;
      if (row.why.empty() && row.finish && ms.target.has()) mf.chance = *row.finish <= *ms.target ? 1.0 : 0.0;
    } else {
      Target t{out.milestones.size(), row.last_serial, {}};
      for (const auto& r : plan.risks) {
        if (r.status_or_default() != model::RiskStatus::open || !r.delay.has() || !r.probability.has()) continue;
        bool affects = false;
        for (const auto& a : r.affects.values) {
          auto via = ix.item(*a);
          affects = affects || (ms.id.has() && (*a == *ms.id || (via && plan.items[*via].milestone.has() &&
                                                                 *plan.items[*via].milestone == *ms.id)));
        }
        if (affects) t.risks.push_back({occurrence_chance(*r.probability), *r.delay});
      }
      targets.push_back(std::move(t));
    }
    out.milestones.push_back(std::move(mf));
  }
  std::sort(targets.begin(), targets.end(), [](const Target& a, const Target& b) { return a.n < b.n; });

  Random rng(options.seed);
  const std::size_t runs = static_cast<std::size_t>(options.runs);
  std::vector<std::vector<int>> results(targets.size());
  for (auto& r : results) r.reserve(runs);
  const int never = INT32_MAX;
  for (std::size_t run = 0; run < runs; ++run) {
    std::size_t next = 0, done = 0;
    for (int k = 0; next < targets.size(); ++k) {
      if (k >= horizon) {
        for (; next < targets.size(); ++next) results[next].push_back(never);
        break;
      }
      done += static_cast<std::size_t>(out.samples[rng.below(out.samples.size())]);
      while (next < targets.size() && done >= targets[next].n) results[next++].push_back(k);
    }
    for (std::size_t t = 0; t < targets.size(); ++t) {
      for (const auto& [chance, delay] : targets[t].risks) {
        if (rng.unit() >= chance) continue;
        int extra = delay[0] + static_cast<int>(rng.below(static_cast<std::uint64_t>(delay[1] - delay[0] + 1)));
        if (results[t].back() != never) results[t].back() += extra;
      }
    }
  }

  for (std::size_t t = 0; t < targets.size(); ++t) {
    auto& r = results[t];
    std::sort(r.begin(), r.end());
    MilestoneForecast& mf = out.milestones[targets[t].row];
    auto at = [&](int percent) -> std::optional<Date> {
      std::size_t idx = (static_cast<std::size_t>(percent) * runs + 99) / 100;
      int k = r[std::max<std::size_t>(idx, 1) - 1];
      if (k == never || static_cast<std::size_t>(k) >= workdays.size()) return std::nullopt;
      return workdays[static_cast<std::size_t>(k)];
    };
    mf.p50 = at(50);
    mf.p70 = at(70);
    mf.p85 = at(85);
    mf.p95 = at(95);
    if (!mf.p95) mf.note = "some runs take more than ten years at this throughput";
    const auto& ms = plan.milestones[mf.milestone];
    std::size_t on_time = 0;
    for (int k : r) {
      if (k == never || static_cast<std::size_t>(k) >= workdays.size()) continue;
      Date d = workdays[static_cast<std::size_t>(k)];
      mf.results.push_back(d);
      if (ms.target.has() && d <= *ms.target) ++on_time;
    }
    if (ms.target.has()) mf.chance = static_cast<double>(on_time) / static_cast<double>(runs);
  }
  return out;
}

}  // namespace tandem::forecast
