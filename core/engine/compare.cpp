#include "core/engine/compare.hpp"

#include "core/base/error.hpp"
#include "core/engine/check.hpp"
#include "core/engine/forecast.hpp"
#include "core/engine/priority.hpp"
#include "core/engine/schedule.hpp"
#include "core/engine/status.hpp"

namespace tandem::compare {

Outlook outlook(const model::Plan& plan, Date today, const Completions& completions) {
  Outlook o;
  index::PlanIndex ix(plan);
  auto ranking = priority::rank(plan, ix, priority::configured_model(plan));
  for (const auto& row : ranking.rows) o.ranks[*plan.items[row.item].id] = row.rank;
  const auto dated = completions ? completions(plan) : schedule::DoneDates{};
  auto s = schedule::plan_schedule(plan, ix, ranking, today, dated);
  auto fc = forecast::run(plan, ix, s, forecast::completion_dates(plan, dated), today, forecast::configured(plan.config));
  auto statuses = status::judge_all(plan, s, fc);
  for (const auto& m : s.milestones) {
    const auto& ms = plan.milestones[m.milestone];
    if (!ms.id.has()) continue;
    o.milestones[*ms.id] = {m.finish ? std::optional(to_string(*m.finish)) : std::nullopt,
                            statuses[m.milestone]};
  }
  return o;
}

std::optional<Outlook> outlook(const load::Location& where, const Source& source, const load::Options& options,
                               Date today, const Completions& completions) {
  Diagnostics diags;
  try {
    auto loaded = load::load(where, source, options, diags);
    check::run(loaded, today, diags);
    if (diags.has_errors()) return std::nullopt;
    return outlook(loaded.plan, today, completions);
  } catch (const Error&) {  // a file that cannot be read: `diff` names it among the unparseable files
    return std::nullopt;
  }
}

Consequences compare(const Outlook& before, const Outlook& after) {
  Consequences out;
  std::map<int, RankMove> moved;
  for (const auto& [id, rank] : after.ranks) {
    auto it = before.ranks.find(id);
    if (it == before.ranks.end() || it->second != rank)
      moved[rank] = {id, it == before.ranks.end() ? std::nullopt : std::optional(it->second), rank};
  }
  for (const auto& [rank, move] : moved) out.ranks.push_back(move);
  for (const auto& [id, rank] : before.ranks)
    if (!after.ranks.count(id)) out.ranks.push_back({id, rank, std::nullopt});
  for (const auto& [id, now_m] : after.milestones) {
    auto it = before.milestones.find(id);
    std::optional<std::string> old_finish = it == before.milestones.end() ? std::nullopt : it->second.first;
    auto old_status = it == before.milestones.end() ? std::nullopt : std::optional(it->second.second);
    // Only a forecast that moved: a status that changed with the target alone is the target's change.
    if (old_finish != now_m.first)
      out.milestones.push_back({id, old_finish, now_m.first, old_status, now_m.second});
  }
  return out;
}

}  // namespace tandem::compare
