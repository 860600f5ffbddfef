// Fuzzes tandem.yaml: the input is the configuration of a small fixed plan, which is loaded and
// checked; when it has no errors, the plan is also ranked and scheduled under it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/engine/check.hpp"
#include "core/base/date.hpp"
#include "core/engine/priority.hpp"
#include "core/render/tables.hpp"
#include "core/engine/schedule.hpp"
#include "core/engine/status.hpp"
#include "fuzz_common.hpp"

namespace {

constexpr const char* k_backlog = R"(items:
  - {id: A, title: a, owner: carol, estimate: 3, value: 5, time_criticality: 3, risk_reduction: 1, size: 3, milestone: M1}
  - {id: B, title: b, assignee: carol, estimate: 2, depends_on: [A], moscow: must, milestone: M1}
  - {id: C, title: c, estimate: 1, status: doing, rice: {reach: 10, impact: 2, confidence: 0.5, effort: 2}}
  - {id: D, title: d, status: done, done: 2027-01-02}
)";
constexpr const char* k_roadmap = R"(milestones:
  - {id: M1, title: first, target: 2027-02-01, owner: alice}
  - {id: M2, title: second, target: 2027-03-01, depends_on: [M1]}
)";
constexpr const char* k_risks = R"(risks:
  - {id: R1, title: r, probability: 3, impact: 4, owner: bob, affects: [A, M2], review: 2027-01-10}
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tandem;
  std::string text(reinterpret_cast<const char*>(data), size);
  fuzz::MemorySource source({{"tandem.yaml", text},
                             {"backlog.yaml", k_backlog},
                             {"roadmap.yaml", k_roadmap},
                             {"risks.yaml", k_risks},
                             {"plan/extra.yaml", "items: [{id: E, title: e, estimate: 1}]\n"},
                             {"plan/escape.yaml", "items: []\n"}});
  Diagnostics diags;
  Date today = *make_date(2027, 1, 4);
  try {
    auto loaded = load::load(fuzz::location(), source, fuzz::options(), diags);
    check::run(loaded, today, diags);
    if (diags.has_errors()) return 0;
    const auto& plan = loaded.plan;
    auto ranking = priority::rank(plan, priority::configured_model(plan));
    auto s = schedule::plan_schedule(plan, ranking, today);
    (void)render::schedule(plan, s, status::judge_all(plan, s, std::nullopt), render::Format::json);
    (void)render::priority(plan, ranking, render::Format::text, 0);
  } catch (const Error&) {
    return 0;
  }
  return 0;
}
