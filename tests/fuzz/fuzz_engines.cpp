// Fuzzes the engines: the input is a whole plan (tandem.yaml, then `#=> NAME` lines starting the
// other files). When it loads without errors, it is ranked by every model, scheduled, forecast and
// its risks ranked, and each result is rendered in every format.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/engine/check.hpp"
#include "core/base/date.hpp"
#include "core/engine/forecast.hpp"
#include "core/engine/priority.hpp"
#include "core/render/tables.hpp"
#include "core/engine/risks.hpp"
#include "core/engine/schedule.hpp"
#include "core/engine/status.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tandem;
  std::string text(reinterpret_cast<const char*>(data), size);
  fuzz::MemorySource source(fuzz::split_files(text, "tandem.yaml"));
  Diagnostics diags;
  Date today = *make_date(2027, 1, 4);
  using render::Format;
  const Format formats[] = {Format::text, Format::json, Format::csv, Format::markdown};
  try {
    auto loaded = load::load(fuzz::location(), source, fuzz::options(), diags);
    check::run(loaded, today, diags);
    if (diags.has_errors()) return 0;
    const auto& plan = loaded.plan;
    for (auto m : {model::PriorityModel::wsjf, model::PriorityModel::rice, model::PriorityModel::value,
                   model::PriorityModel::moscow, model::PriorityModel::manual}) {
      auto ranking = priority::rank(plan, m);
      for (auto f : formats) (void)render::priority(plan, ranking, f, 0);
    }
    auto ranking = priority::rank(plan, priority::configured_model(plan));
    auto s = schedule::plan_schedule(plan, ranking, today);
    auto options = forecast::configured(plan.config);
    options.runs = std::min(options.runs, 200);  // the number of runs changes nothing but the time taken
    auto fc = forecast::run(plan, s, forecast::completion_dates(plan), today, options);
    auto statuses = status::judge_all(plan, s, fc);  // the one status every output shows
    for (auto f : formats) (void)render::schedule(plan, s, statuses, f);
    if (fc)
      for (auto f : formats) (void)render::forecast(plan, *fc, s, statuses, options, f);
    for (bool overdue : {false, true}) {
      auto r = risks::rank(plan, today, overdue);
      for (auto f : formats) (void)render::risks(plan, r, f);
    }
  } catch (const Error&) {
    return 0;
  }
  return 0;
}
