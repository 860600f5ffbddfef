#include "core/engine/flow.hpp"

#include <algorithm>
#include <cmath>

namespace tandem::flow {

namespace {

Date monday(Date d) { return d + (-d.weekday()); }

std::optional<Date> lookup(const std::map<std::string, Date>& m, const std::string& id) {
  auto it = m.find(id);
  return it == m.end() ? std::nullopt : std::optional<Date>(it->second);
}

/// The nearest-rank percentile of sorted values.
double percentile(const std::vector<double>& sorted, int p) {
  std::size_t rank = (static_cast<std::size_t>(p) * sorted.size() + 99) / 100;
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

}  // namespace

Flow compute(const model::Plan& plan, const index::PlanIndex& ix, const ItemDates& h, Date today) {
  Flow out;
  const std::size_t n = plan.items.size();
  std::vector<std::optional<Date>> added(n), done(n);
  std::vector<double> cycles;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& it = plan.items[i];
    std::string id = it.id.has() ? *it.id : "";
    added[i] = lookup(h.created, id).value_or(today);
    if (it.status_or_default() == model::Status::done) {
      done[i] = it.done.has() ? std::optional<Date>(*it.done) : lookup(h.done, id);
      auto started = it.started.has() ? std::optional<Date>(*it.started) : lookup(h.started, id);
      if (done[i] && started && *started <= *done[i]) cycles.push_back(*done[i] - *started);
    }
  }

  Date this_week = monday(today);
  Date first_week = this_week + -7 * (k_weeks - 1);
  for (int w = 0; w < k_weeks; ++w) out.throughput.emplace_back(first_week + 7 * w, 0);
  for (std::size_t i = 0; i < n; ++i)
    if (done[i] && *done[i] >= first_week && *done[i] <= today) ++out.throughput[static_cast<std::size_t>((*done[i] - first_week) / 7)].second;

  for (std::size_t m = 0; m < plan.milestones.size(); ++m) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < n; ++i)
      if (ix.milestone_of(i) == m && plan.items[i].status_or_default() != model::Status::dropped) members.push_back(i);
    if (members.empty()) continue;
    Date start = this_week;
    for (std::size_t i : members) start = std::min(start, monday(*added[i]));
    start = std::max(start, first_week);
    BurnUp b{m, {}};
    for (Date w = start; w <= this_week; w = w + 7) {
      Date end = std::min(w + 6, today);
      BurnPoint p{w, 0, 0};
      for (std::size_t i : members) {
        p.scope += *added[i] <= end;
        // Done counts once it is in scope; a done item with no known date (done before the history the
        // report reads) counts as done from the start.
        bool is_done = plan.items[i].status_or_default() == model::Status::done;
        p.done += is_done && std::max(done[i].value_or(*added[i]), *added[i]) <= end;
      }
      b.points.push_back(p);
    }
    out.burnups.push_back(std::move(b));
  }

  std::sort(cycles.begin(), cycles.end());
  out.cycle_items = cycles.size();
  if (!cycles.empty()) {
    out.cycle_p50 = percentile(cycles, 50);
    out.cycle_p85 = percentile(cycles, 85);
  }
  return out;
}

}  // namespace tandem::flow
