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
  /// N: undone items up to its last undone item in the schedule's serial order (Schedule::order), those
  /// the schedule could not place included (a throughput forecast counts items, not estimates)
  std::size_t items = 0;
  std::size_t ranked_before = 0;       ///< of N, the items of other milestones (or none) before it in that order
  std::optional<Date> p50, p70, p85, p95;
  std::optional<double> chance;        ///< share of runs done on or before the target
  std::string note;                    ///< why there is no forecast, or what is unusual
  std::vector<Date> results;           ///< every run's date, sorted (empty without a forecast)
};

struct Forecast {
  Date start;                          ///< first day of the runs (the schedule's start)
  /// First day of the throughput history: today − window, or, when the first recorded completion is later,
  /// the team workday on which that completion counts.
  Date history_from;
  bool since_first_completion = false; ///< history_from is the first completion's (the window reaches before it)
  /// With since_first_completion, the first completion's own date when it is not history_from (a day that is
  /// not a team workday: it counts on history_from).
  std::optional<Date> first_completion;
  /// Items counted on each team workday from history_from to yesterday: those done on it, and those done
  /// on the non-workdays just before it (after the last workday: on the last workday).
  std::vector<int> samples;
  std::size_t history_items = 0;       ///< completions inside the window, all counted in samples
  std::vector<MilestoneForecast> milestones;
};

/// Completion dates of the plan's done items: each one's `done:` date, else its date in `history`
/// (the commit that made it done, SPEC 6.1); a done item with neither is not used.
std::vector<Date> completion_dates(const model::Plan& plan, const schedule::DoneDates& history = {});

/// The first calendar day of the throughput history (SPEC 6): the later of today − `window` calendar days
/// and the first completion before today; nullopt when no completion is before today.
std::optional<Date> history_start(const std::vector<Date>& completions, Date today, int window);

/// The throughput history of SPEC 6 (`history_from`, `since_first_completion`, `first_completion`,
/// `samples`, `history_items`; the rest empty): every completion from `history_start` to yesterday
/// counts, one dated on a day that is not a team workday on the next team workday, or, when there is
/// none before today, on the last one (which is also where the history starts when that completion is
/// the first). Nullopt when no completion counts: none in the window, or no team workday in it.
std::optional<Forecast> sample_history(const model::Config& config, const std::vector<Date>& completions, Date today,
                                       int window);
/// Why sample_history gives nothing, for people: "no item was done in the 90 days before 2026-11-16", or
/// "the items done in the 2 days before 2026-11-16 fall on no team workday".
std::string no_history_reason(const std::vector<Date>& completions, Date today, int window);

/// The Monte Carlo throughput forecast of SPEC section 6; nullopt when there is no usable history
/// (sample_history).
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
