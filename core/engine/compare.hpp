#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/base/date.hpp"
#include "core/base/source.hpp"
#include "core/engine/status.hpp"
#include "core/plan/load.hpp"

namespace tandem::compare {

/// What one version of the plan leads to: each item's priority rank and each milestone's forecast.
struct Outlook {
  std::map<std::string, int> ranks;  ///< item id → rank (1-based)
  std::map<std::string, std::pair<std::optional<std::string>, status::Status>> milestones;  ///< id → finish, status
};

/// For a plan's done items without a `done:` date, the dates git history gives them (SPEC 6.1), which
/// the schedule (a done milestone's finish) and the forecast's completions use (default: none).
using Completions = std::function<schedule::DoneDates(const model::Plan&)>;

/// The outlook of a loaded plan on `today` (priority by the configured model, then the schedule and the
/// forecast): each milestone's status is the one status of `status::judge_all`, as every output shows it.
Outlook outlook(const model::Plan& plan, Date today, const Completions& completions = {});

/// Loads and checks the plan from `source` and computes its outlook; nullopt when the plan has errors
/// or a file of it cannot be read.
std::optional<Outlook> outlook(const load::Location& where, const Source& source, const load::Options& options,
                               Date today, const Completions& completions = {});

/// An item whose rank moved (or that appeared or disappeared: the absent side is nullopt).
struct RankMove {
  std::string id;
  std::optional<int> old_rank, new_rank;
};

/// A milestone whose forecast finish or status changed.
struct MilestoneMove {
  std::string id;
  std::optional<std::string> old_finish, new_finish;
  std::optional<status::Status> old_status;  ///< the one status before; nullopt for a new milestone
  status::Status new_status;
};

/// What changed from one outlook to the next.
struct Consequences {
  std::vector<RankMove> ranks;            ///< moved and new items by new rank, then removed items by id
  std::vector<MilestoneMove> milestones;  ///< by milestone id; removed milestones are not listed
};

/// The rank and milestone moves from `before` to `after`.
Consequences compare(const Outlook& before, const Outlook& after);

}  // namespace tandem::compare
