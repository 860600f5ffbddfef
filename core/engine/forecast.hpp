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
  int window = 90;  ///< calendar days of history before today
};

/// Options from tandem.yaml's `forecast` section (defaults where absent).
Options configured(const model::Config& config);

struct MilestoneForecast {
  std::size_t milestone = 0;           ///< index into plan.milestones
  std::size_t items = 0;               ///< N: undone items up to its last item in serial order
  std::optional<Date> p50, p70, p85, p95;
  std::optional<double> chance;        ///< share of runs done on or before the target
  std::string note;                    ///< why there is no forecast, or what is unusual
  std::vector<Date> results;           ///< every run's date, sorted (empty without a forecast)
};

struct Forecast {
  Date start;                          ///< first day of the runs (the schedule's start)
  std::vector<int> samples;            ///< items completed on each workday of the window
  std::size_t history_items = 0;       ///< completions inside the window
  std::vector<MilestoneForecast> milestones;
};

/// Completion dates known from the plan files: each done item's `done:` date.
std::vector<Date> completion_dates(const model::Plan& plan);

/// The Monte Carlo throughput forecast of SPEC section 6; nullopt when there is no usable history
/// (no completion on any workday of the window).
std::optional<Forecast> run(const model::Plan& plan, const index::PlanIndex& index, const schedule::Schedule& schedule,
                            const std::vector<Date>& completions, Date today, const Options& options);
/// The same, indexing the plan first.
std::optional<Forecast> run(const model::Plan& plan, const schedule::Schedule& schedule,
                            const std::vector<Date>& completions, Date today, const Options& options);

/// A chance (0..1) as a percentage, the one rounding of every command: one decimal below 1 % and above
/// 99 % ("0.1%", "99.8%"), else a whole number ("85%"); exactly 0 and 1 are "0%" and "100%", and a chance
/// that is neither never prints as one of them ("<0.1%", ">99.9%").
std::string chance_text(double chance);

/// The one status of a milestone that weighs plan and forecast (SPEC 8): the schedule's "late by N
/// workdays" or "unknown" as they are; "at risk" when the plan meets the target but the forecast gives
/// less than a 50 % chance; else "on track".
std::string outlook(const schedule::MilestoneRow& row, std::optional<double> chance);

/// The chance that a risk of probability 1..5 occurs: 0.1, 0.3, 0.5, 0.7, 0.9.
double occurrence_chance(int probability);

}  // namespace tandem::forecast
