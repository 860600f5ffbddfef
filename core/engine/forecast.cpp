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

double occurrence_chance(int probability) { return 0.1 + 0.2 * (std::clamp(probability, 1, 5) - 1); }

std::vector<Date> completion_dates(const model::Plan& plan, const schedule::DoneDates& history) {
  std::vector<Date> out;
  for (const auto& it : plan.items) {
    if (it.status_or_default() != model::Status::done) continue;
    if (it.done.has()) {
      out.push_back(*it.done);
    } else if (it.id.has()) {
      if (auto found = history.find(*it.id); found != history.end()) out.push_back(found->second);
    }
  }
  return out;
}

std::optional<Forecast> run(const model::Plan& plan, const schedule::Schedule& sched,
                            const std::vector<Date>& completions, Date today, const Options& options) {
  return run(plan, index::PlanIndex(plan), sched, completions, today, options);
}

std::optional<Date> history_start(const std::vector<Date>& completions, Date today, int window) {
  std::optional<Date> first;
  for (Date d : completions)
    if (d < today && (!first || d < *first)) first = d;
  if (!first) return std::nullopt;
  return std::max(*first, today + (-window));
}

std::optional<Forecast> sample_history(const model::Config& config, const std::vector<Date>& completions, Date today,
                                       int window) {
  auto from = history_start(completions, today, window);
  if (!from) return std::nullopt;
  const Date window_start = today + (-window);
  Calendar cal(config);
  Forecast out;
  out.since_first_completion = *from > window_start;
  std::unordered_map<std::int32_t, int> per_day;
  for (Date d : completions) ++per_day[d.days];
  // Each team workday's sample: the items done on it and on the non-workdays since the previous one.
  int pending = 0;
  std::optional<Date> first_sampled;
  for (Date d = *from; d < today; d = d + 1) {
    if (auto it = per_day.find(d.days); it != per_day.end()) pending += it->second;
    if (!cal.team_workday(d)) continue;
    if (!first_sampled) first_sampled = d;
    out.samples.push_back(pending);
    out.history_items += static_cast<std::size_t>(pending);
    pending = 0;
  }
  if (pending > 0 && out.samples.empty() && out.since_first_completion) {
    // Every completion is on the non-workdays just before today: they count on the last workday before them.
    for (Date d = *from + (-1); d >= window_start && !first_sampled; d = d + (-1))
      if (cal.team_workday(d)) first_sampled = d;
    if (first_sampled) out.samples.push_back(0);
  }
  if (!out.samples.empty()) {  // after the last workday before today: counted on it
    out.samples.back() += pending;
    out.history_items += static_cast<std::size_t>(pending);
  }
  if (out.history_items == 0) return std::nullopt;
  out.history_from = out.since_first_completion ? *first_sampled : *from;
  if (out.history_from != *from) out.first_completion = *from;
  return out;
}

std::string no_history_reason(const std::vector<Date>& completions, Date today, int window) {
  const Date window_start = today + (-window);
  const std::string days = fmt::format("{} day{} before {}", window, window == 1 ? "" : "s", to_string(today));
  if (std::any_of(completions.begin(), completions.end(), [&](Date d) { return d >= window_start && d < today; }))
    return "the items done in the " + days + " fall on no team workday";
  return "no item was done in the " + days;
}

namespace {

/// A milestone the runs forecast: its row in the forecast, N, and the open risks that delay it.
struct Target {
  std::size_t row;
  std::size_t n;
  std::vector<std::pair<double, std::array<int, 2>>> risks;  // chance, delay
};

const int k_never = INT32_MAX;

/// The open risks with a delay and a probability that affect milestone `ms` or one of its items.
std::vector<std::pair<double, std::array<int, 2>>> delaying_risks(const model::Plan& plan, const index::PlanIndex& ix,
                                                                  const model::Milestone& ms) {
  std::vector<std::pair<double, std::array<int, 2>>> out;
  for (const auto& r : plan.risks) {
    if (r.status_or_default() != model::RiskStatus::open || !r.delay.has() || !r.probability.has()) continue;
    bool affects = false;
    for (const auto& a : r.affects.values) {
      auto via = ix.item(*a);
      affects = affects || (ms.id.has() && (*a == *ms.id || (via && plan.items[*via].milestone.has() &&
                                                             *plan.items[*via].milestone == *ms.id)));
    }
    if (affects) out.push_back({occurrence_chance(*r.probability), *r.delay});
  }
  return out;
}

/// Per milestone: N, the undone items up to and including its last undone item in the schedule's serial
/// order (SPEC 6 step 3), those the schedule could not place included, and how many of N are its own.
/// Its undone items outside the order (a dependency cycle) come after it.
std::vector<std::array<std::size_t, 2>> items_to_go(const model::Plan& plan, const index::PlanIndex& ix,
                                                    const schedule::Schedule& sched) {
  std::vector<std::size_t> position(plan.items.size(), 0);  // 1 + serial position; 0 outside the order
  for (std::size_t k = 0; k < sched.order.size(); ++k) position[sched.order[k]] = k + 1;
  std::vector<std::size_t> last(plan.milestones.size(), 0), outside(plan.milestones.size(), 0);
  std::vector<std::array<std::size_t, 2>> out(plan.milestones.size(), {0, 0});
  for (std::size_t i = 0; i < plan.items.size(); ++i) {
    auto m = ix.milestone_of(i);
    if (!m || !plan.items[i].undone()) continue;
    ++out[*m][1];
    if (position[i] == 0) ++outside[*m];
    last[*m] = std::max(last[*m], position[i]);
  }
  for (std::size_t m = 0; m < out.size(); ++m) out[m][0] = last[m] + outside[m];
  return out;
}

/// One forecast row per milestone of the schedule (a note where there is nothing to forecast), and the
/// milestones the runs forecast, by N.
std::vector<Target> milestone_targets(const model::Plan& plan, const index::PlanIndex& ix,
                                      const schedule::Schedule& sched, Forecast& out) {
  std::vector<Target> targets;
  const auto to_go = items_to_go(plan, ix, sched);
  for (const auto& row : sched.milestones) {
    MilestoneForecast mf;
    mf.milestone = row.milestone;
    const auto [n, own] = to_go[row.milestone];
    mf.items = n;
    mf.ranked_before = n - own;
    const auto& ms = plan.milestones[row.milestone];
    if (n == 0) {
      mf.note = row.why.empty() ? "no undone items" : row.why;
      if (row.why.empty() && row.finish && ms.target.has()) mf.chance = *row.finish <= *ms.target ? 1.0 : 0.0;
    } else {
      targets.push_back(Target{out.milestones.size(), n, delaying_risks(plan, ix, ms)});
    }
    out.milestones.push_back(std::move(mf));
  }
  std::sort(targets.begin(), targets.end(), [](const Target& a, const Target& b) { return a.n < b.n; });
  return targets;
}

/// The Monte Carlo runs: per target, the workday index (from the start) of each run's finish, or k_never.
std::vector<std::vector<int>> simulate(const std::vector<int>& samples, const std::vector<Target>& targets,
                                       const Options& options) {
  const int horizon = Calendar::k_horizon_days * 5 / 7;  // about ten years of workdays
  Random rng(options.seed);
  const std::size_t runs = static_cast<std::size_t>(options.runs);
  std::vector<std::vector<int>> results(targets.size());
  for (auto& r : results) r.reserve(runs);
  for (std::size_t run = 0; run < runs; ++run) {
    std::size_t next = 0, done = 0;
    for (int k = 0; next < targets.size(); ++k) {
      if (k >= horizon) {
        for (; next < targets.size(); ++next) results[next].push_back(k_never);
        break;
      }
      done += static_cast<std::size_t>(samples[rng.below(samples.size())]);
      while (next < targets.size() && done >= targets[next].n) results[next++].push_back(k);
    }
    for (std::size_t t = 0; t < targets.size(); ++t) {
      for (const auto& [chance, delay] : targets[t].risks) {
        if (rng.unit() >= chance) continue;
        int extra = delay[0] + static_cast<int>(rng.below(static_cast<std::uint64_t>(delay[1] - delay[0] + 1)));
        if (results[t].back() != k_never) results[t].back() += extra;
      }
    }
  }
  return results;
}

/// Percentiles, dates and the chance of meeting the target of one milestone from its runs (`r`, sorted).
void summarize(const model::Plan& plan, const std::vector<int>& r, const std::vector<Date>& workdays,
               MilestoneForecast& mf) {
  const std::size_t runs = r.size();
  auto at = [&](int percent) -> std::optional<Date> {
    std::size_t idx = (static_cast<std::size_t>(percent) * runs + 99) / 100;
    int k = r[std::max<std::size_t>(idx, 1) - 1];
    if (k == k_never || static_cast<std::size_t>(k) >= workdays.size()) return std::nullopt;
    return workdays[static_cast<std::size_t>(k)];
  };
  mf.p50 = at(50);
  mf.p70 = at(70);
  mf.p85 = at(85);
  mf.p95 = at(95);
  // A run within the horizon but past the dates (which stop at k_last_date) ends after the last date.
  bool past_last = std::any_of(r.begin(), r.end(), [&](int k) { return k != k_never && static_cast<std::size_t>(k) >= workdays.size(); });
  if (past_last) mf.note = fmt::format("some runs end after {}, the last date tandem handles", to_string(k_last_date));
  else if (!mf.p95) mf.note = "some runs take more than ten years at this throughput";
  const auto& ms = plan.milestones[mf.milestone];
  std::size_t on_time = 0;
  for (int k : r) {
    if (k == k_never || static_cast<std::size_t>(k) >= workdays.size()) continue;
    Date d = workdays[static_cast<std::size_t>(k)];
    mf.results.push_back(d);
    if (ms.target.has() && d <= *ms.target) ++on_time;
  }
  if (ms.target.has()) mf.chance = static_cast<double>(on_time) / static_cast<double>(runs);
}

}  // namespace

std::optional<Forecast> run(const model::Plan& plan, const index::PlanIndex& ix, const schedule::Schedule& sched,
                            const std::vector<Date>& completions, Date today, const Options& options) {
  auto history = sample_history(plan.config, completions, today, options.window);
  if (!history) return std::nullopt;
  Forecast out = std::move(*history);
  out.start = sched.start;

  // Team workdays from the start: index k is the k-th workday of the runs.
  Calendar cal(plan.config);
  // Runs that end beyond these (about twenty years, and at most k_last_date) have no date.
  std::vector<Date> workdays;
  for (Date d = sched.start; d - sched.start < 2 * Calendar::k_horizon_days && d <= k_last_date; d = d + 1)
    if (cal.team_workday(d)) workdays.push_back(d);

  auto targets = milestone_targets(plan, ix, sched, out);
  auto results = simulate(out.samples, targets, options);
  for (std::size_t t = 0; t < targets.size(); ++t) {
    std::sort(results[t].begin(), results[t].end());
    summarize(plan, results[t], workdays, out.milestones[targets[t].row]);
  }
  return out;
}

}  // namespace tandem::forecast
