#pragma once
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/base/date.hpp"
#include "core/plan/index.hpp"
#include "core/plan/model.hpp"

namespace tandem::risks {

struct Row {
  std::size_t risk = 0;                 ///< index into plan.risks
  int rank = 0;                         ///< 1-based
  std::optional<int> exposure;          ///< probability × impact, 1..25
  std::string band;                     ///< low, medium, high, critical (empty without exposure)
  bool overdue = false;                 ///< review date before today
  std::vector<std::string> affects;     ///< as written
  std::vector<std::string> milestones;  ///< milestones affected directly or through affected items
};

struct Report {
  std::vector<Row> rows;                       ///< open risks, highest exposure first
  std::array<std::array<int, 5>, 5> heatmap{}; ///< heatmap[probability-1][impact-1]: count of listed risks
};

/// Open risks ranked by exposure, then impact, then file order (SPEC section 7); only those past
/// their review date when `overdue_only`.
Report rank(const model::Plan& plan, const index::PlanIndex& index, Date today, bool overdue_only);
/// The same, indexing the plan first.
Report rank(const model::Plan& plan, Date today, bool overdue_only);
/// Sets the heat map to the counts of the report's rows (after a filter dropped some).
void count_heat(const model::Plan& plan, Report& report);
/// low (1–4), medium (5–9), high (10–14), critical (15–25).
std::string_view band(int exposure);

}  // namespace tandem::risks
