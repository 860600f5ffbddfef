#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/date.hpp"
#include "core/plan/index.hpp"
#include "core/plan/model.hpp"
#include "core/engine/schedule.hpp"

namespace tandem::forecast {

struct Options {
  int runs = 10000;
  std::uint64_t seed = 1;
  int window = 90;  ///< calendar days of history before today, at most (`--window`)
};

/// Options from tandem.yaml's `forecast` section (defaults where absent).
Options configured(const model::Config& config);

struct MilestoneForecast {
  std::size_t milestone = 0;           ///< index into plan.milestones
  std::size_t items = 0;               ///< N: undone items up to its last item in serial order
  std::size_t ranked_before = 0;       ///< of N, the items of other milestones (or none) scheduled before it
  std::optional<Date> p50, p70, p85, p95;
  std::optional<double> chance;        ///< share of runs done on or before the target
  std::string note;                    ///< why there is no forecast, or what is unusual
  std::vector<Date> results;           ///< every run's date, sorted (empty without a forecast)
};

struct Forecast {
  Date start;                          ///< first day of the runs (the schedule's start)
  /// First day of the throughput history: the later of today − window and the first recorded completion.
  Date history_from;
  bool since_first_completion = false; ///< history_from is the first completion (the window reaches before it)
  std::vector<int> samples;            ///< items completed on each workday from history_from to yesterday
  std::size_t history_items = 0;       ///< completions inside the window
  std::vector<MilestoneForecast> milestones;
};

/// Completion dates known from the plan files: each done item's `done:` date.
std::vector<Date> completion_dates(const model::Plan& plan);

/// The first day of the throughput history (SPEC 6): the later of today − `window` calendar days and the
/// first completion before today; nullopt when no completion is before today.
std::optional<Date> history_start(const std::vector<Date>& completions, Date today, int window);

/// The Monte Carlo throughput forecast of SPEC section 6; nullopt when there is no usable history
/// (no completion on any workday from `history_start` to yesterday).
std::optional<Forecast> run(const model::Plan& plan, const index::PlanIndex& index, const schedule::Schedule& schedule,
                            const std::vector<Date>& completions, Date today, const Options& options);
/// The same, indexing the plan first.
std::optional<Forecast> run(const model::Plan& plan, const schedule::Schedule& schedule,
                            const std::vector<Date>& completions, Date today, const Options& options);

/// A chance (0..1) as a percentage, the one rounding of every command: one decimal below 1 % and above
/// 99 % ("0.1%", "99.8%"), else a whole number ("85%"); exactly 0 and 1 are "0%" and "100%", and a chance
/// that is neither never prints as one of them ("<0.1%", ">99.9%").
std::string chance_text(double chance);

/// The chance that a risk of probability 1..5 occurs: 0.1, 0.3, 0.5, 0.7, 0.9.
double occurrence_chance(int probability);

}  // namespace tandem::forecast
