#include "core/engine/priority.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "core/base/table.hpp"

namespace tandem::priority {

using model::Item;
using model::PriorityModel;

model::PriorityModel configured_model(const model::Plan& plan) {
  return plan.config.priority_model.has() ? *plan.config.priority_model : PriorityModel::wsjf;
}

std::optional<PriorityModel> parse_model(std::string_view name) {
  for (auto m : {PriorityModel::wsjf, PriorityModel::rice, PriorityModel::value, PriorityModel::moscow,
                 PriorityModel::manual})
    if (model::to_string(m) == name) return m;
  return std::nullopt;
}

namespace {

struct Key {
  int bucket = 0;               // moscow bucket (0 must … 3 wont, 4 none); 0 for other models
  bool scored = false;
  double score = 0;
  double cost_of_delay = -HUGE_VAL;
  double size = HUGE_VAL;
  std::size_t order = 0;        // file order
};

std::optional<double> cost_of_delay(const Item& it) {
  if (!it.value.has() || !it.time_criticality.has() || !it.risk_reduction.has()) return std::nullopt;
  return *it.value + *it.time_criticality + *it.risk_reduction;
}

void score_wsjf(const Item& it, Row& row, Key& key) {
  if (!it.value.has()) row.missing.push_back("value");
  if (!it.time_criticality.has()) row.missing.push_back("time_criticality");
  if (!it.risk_reduction.has()) row.missing.push_back("risk_reduction");
  if (!it.size.has()) row.missing.push_back("size");
  if (!row.missing.empty()) return;
  double cod = *cost_of_delay(it);
  key.scored = true;
  key.score = cod / *it.size;
  row.score = key.score;
  row.parts = fmt::format("({} + {} + {}) / {}", format_number(*it.value), format_number(*it.time_criticality),
                          format_number(*it.risk_reduction), format_number(*it.size));
}

}  // namespace

Ranking rank(const model::Plan& plan, PriorityModel m) { return rank(plan, index::PlanIndex(plan), m); }

Ranking rank(const model::Plan& plan, const index::PlanIndex& ix, PriorityModel m) {
  Ranking out;
  out.model = m;

  std::vector<std::pair<Key, Row>> rows;
  for (std::size_t i = 0; i < plan.items.size(); ++i) {
    const Item& it = plan.items[i];
    if (!it.undone() || !it.id.has()) continue;
    Row row;
    Key key;
    row.item = i;
    key.order = i;
    if (auto cod = cost_of_delay(it)) key.cost_of_delay = *cod;
    if (it.size.has()) key.size = *it.size;
    switch (m) {
      case PriorityModel::wsjf: score_wsjf(it, row, key); break;
      case PriorityModel::rice:
        if (!it.rice.has()) {
          row.missing.push_back("rice");
        } else {
          const auto& r = *it.rice;
          key.scored = true;
          key.score = r.reach * r.impact * r.confidence / r.effort;
          row.score = key.score;
          row.parts = fmt::format("{} × {} × {} / {}", format_number(r.reach), format_number(r.impact),
                                  format_number(r.confidence), format_number(r.effort));
        }
        break;
      case PriorityModel::value:
        if (!it.value.has()) row.missing.push_back("value");
        if (!it.estimate.has()) row.missing.push_back("estimate");
        if (row.missing.empty()) {
          key.scored = true;
          key.score = *it.value / *it.estimate;
          row.score = key.score;
          row.parts = fmt::format("{} / {}", format_number(*it.value), format_number(*it.estimate));
        }
        break;
      case PriorityModel::moscow:
        if (!it.moscow.has()) {
          row.missing.push_back("moscow");
          key.bucket = 4;
        } else {
          key.bucket = static_cast<int>(*it.moscow);
          row.bucket = std::string(model::to_string(*it.moscow));
          // WSJF inside the bucket; an item without WSJF ranks last in its bucket.
          Row inner;
          Key inner_key;
          score_wsjf(it, inner, inner_key);
          key.scored = true;
          key.score = inner_key.scored ? inner_key.score : -HUGE_VAL;
          row.score = inner.score;
          row.parts = inner.score ? row.bucket + ", WSJF " + inner.parts : row.bucket + ", no WSJF";
          if (!inner.score) row.missing = inner.missing;
        }
        break;
      case PriorityModel::manual:
        key.scored = true;
        key.score = 0;
        row.parts = "file order";
        break;
    }
    for (const auto& d : it.depends_on.values) {
      auto dep = ix.item(*d);
      if (dep && plan.items[*dep].undone()) row.blocked_by.push_back(*d);
    }
    rows.emplace_back(key, std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [m](const auto& a, const auto& b) {
    const Key& x = a.first;
    const Key& y = b.first;
    if (x.scored != y.scored) return x.scored;
    if (!x.scored) return x.order < y.order;  // unscored: file order
    if (m == PriorityModel::manual) return x.order < y.order;
    if (x.bucket != y.bucket) return x.bucket < y.bucket;
    if (x.score != y.score) return x.score > y.score;
    if (x.cost_of_delay != y.cost_of_delay) return x.cost_of_delay > y.cost_of_delay;
    if (x.size != y.size) return x.size < y.size;
    return x.order < y.order;
  });
  int rank = 0;
  for (auto& [key, row] : rows) {
    row.rank = ++rank;
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace tandem::priority
