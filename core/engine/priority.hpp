#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/plan/index.hpp"
#include "core/plan/model.hpp"

namespace tandem::priority {

/// One ranked undone item.
struct Row {
  std::size_t item = 0;                ///< index into plan.items
  int rank = 0;                        ///< 1-based
  std::optional<double> score;         ///< nullopt when the model cannot score it (or manual)
  std::string parts;                   ///< how the score was computed, e.g. "(8 + 5 + 3) / 5"
  std::string bucket;                  ///< moscow bucket
  std::vector<std::string> missing;    ///< fields the model needs that the item lacks
  std::vector<std::string> blocked_by; ///< undone items it depends on
};

/// The ranking of SPEC section 4.
struct Ranking {
  model::PriorityModel model = model::PriorityModel::wsjf;
  std::vector<Row> rows;  ///< best first
};

/// Ranks the undone (todo, doing) items of `plan` by `model`.
Ranking rank(const model::Plan& plan, const index::PlanIndex& index, model::PriorityModel model);
/// The same, indexing the plan first.
Ranking rank(const model::Plan& plan, model::PriorityModel model);
/// The model configured in tandem.yaml (wsjf by default).
model::PriorityModel configured_model(const model::Plan& plan);
/// Parses a model name; nullopt when unknown.
std::optional<model::PriorityModel> parse_model(std::string_view name);

}  // namespace tandem::priority
