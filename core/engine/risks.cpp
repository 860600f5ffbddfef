#include "core/engine/risks.hpp"

#include <algorithm>

namespace tandem::risks {

std::string_view band(int exposure) {
  if (exposure >= 15) return "critical";
  if (exposure >= 10) return "high";
  if (exposure >= 5) return "medium";
  return "low";
}

Report rank(const model::Plan& plan, Date today, bool overdue_only) {
  return rank(plan, index::PlanIndex(plan), today, overdue_only);
}

Report rank(const model::Plan& plan, const index::PlanIndex& ix, Date today, bool overdue_only) {
  Report out;

  for (std::size_t i = 0; i < plan.risks.size(); ++i) {
    const auto& r = plan.risks[i];
    if (r.status_or_default() != model::RiskStatus::open) continue;
    Row row;
    row.risk = i;
    row.overdue = r.review.has() && *r.review < today;
    if (overdue_only && !row.overdue) continue;
    if (r.probability.has() && r.impact.has()) {
      row.exposure = *r.probability * *r.impact;
      row.band = std::string(band(*row.exposure));
    }
    auto add_milestone = [&](std::string_view m) {
      if (std::find(row.milestones.begin(), row.milestones.end(), m) == row.milestones.end())
        row.milestones.emplace_back(m);
    };
    for (const auto& a : r.affects.values) {
      row.affects.push_back(*a);
      if (ix.milestone(*a)) add_milestone(*a);
      else if (auto it = ix.item(*a); it && plan.items[*it].milestone.has()) add_milestone(*plan.items[*it].milestone);
    }
    out.rows.push_back(std::move(row));
  }
  std::stable_sort(out.rows.begin(), out.rows.end(), [&](const Row& a, const Row& b) {
    int ea = a.exposure.value_or(0), eb = b.exposure.value_or(0);
    if (ea != eb) return ea > eb;
    const auto& ra = plan.risks[a.risk];
    const auto& rb = plan.risks[b.risk];
    int ia = ra.impact.has() ? *ra.impact : 0, ib = rb.impact.has() ? *rb.impact : 0;
    if (ia != ib) return ia > ib;
    return a.risk < b.risk;
  });
  int rank = 0;
  for (auto& row : out.rows) row.rank = ++rank;
  count_heat(plan, out);
  return out;
}

void count_heat(const model::Plan& plan, Report& report) {
  report.heatmap = {};
  for (const auto& row : report.rows) {
    const auto& r = plan.risks[row.risk];
    if (row.exposure)
      ++report.heatmap[static_cast<std::size_t>(*r.probability - 1)][static_cast<std::size_t>(*r.impact - 1)];
  }
}

}  // namespace tandem::risks
