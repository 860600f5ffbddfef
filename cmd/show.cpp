// `tandem show ID` and `tandem list` (SPEC 12): one record with everything tandem computes about it,
// and the backlog items as a table with the filters of section 5.
#include <fmt/format.h>

#include "cmd/common.hpp"
#include "cmd/filters.hpp"
#include "core/base/error.hpp"
#include "core/base/text.hpp"
#include "core/render/show.hpp"

namespace tandem::cmd {

namespace {

/// The record `id`, or tandem::Error with the closest id.
const index::Record& record_of(const load::Loaded& loaded, const std::string& id) {
  if (const auto* rec = loaded.index.find(id)) return *rec;
  std::vector<std::string> ids;
  for (const auto& it : loaded.plan.items)
    if (it.id.has()) ids.push_back(*it.id);
  for (const auto& m : loaded.plan.milestones)
    if (m.id.has()) ids.push_back(*m.id);
  for (const auto& r : loaded.plan.risks)
    if (r.id.has()) ids.push_back(*r.id);
  auto hint = did_you_mean(id, ids);
  throw Error(fmt::format("no item, milestone or risk has the id '{}'{}", escape_control(id), hint.empty() ? "" : "; " + hint));
}

/// The file that holds the record.
std::size_t file_of(const model::Plan& plan, const index::Record& rec) {
  switch (rec.kind) {
    case index::Kind::item: return plan.items[rec.index].file;
    case index::Kind::milestone: return plan.milestones[rec.index].file;
    default: return plan.risks[rec.index].file;
  }
}

}  // namespace

void add_show(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("Every field as written, then what tandem computes: rank, planned dates and float, milestone,\n"
             "the risks that affect it (directly or through its milestone), and its last change in git\n"
             "(the last entry of 'tandem log ID').\n" +
             self.formats_line());
  static std::string id;
  sub.add_option("ID", id, "An item, milestone or risk id")->required();
  add_history_budget(sub, g);
  sub.callback([&g, &self, &exit_code] {
    auto f = format(g, self);
    Date now = today(g);
    auto loaded = load_checked(g, now, true);
    if (!loaded) {
      exit_code = 1;
      return;
    }
    const auto& plan = loaded->plan;
    const auto& rec = record_of(*loaded, id);
    auto ranking = priority::rank(plan, loaded->index, priority::configured_model(plan));
    const auto dated = history_done_dates(g, plan);
    auto schedule = schedule::plan_schedule(plan, loaded->index, ranking, now, dated);
    auto risks = risks::rank(plan, loaded->index, now, false);
    auto fc = forecast::run(plan, loaded->index, schedule, forecast::completion_dates(plan, dated), now,
                            forecast::configured(plan.config));
    auto statuses = status::judge_all(plan, schedule, fc);  // the one status, as schedule and report give it
    render::Shown shown{&*loaded, &rec, {}, &ranking, &schedule, &statuses, &risks, std::nullopt, {}};
    auto in = plan_input(g);
    const auto& path = plan.files[file_of(plan, rec)];
    shown.fields = render::written_fields(*loaded, *in.source, path, kinds::k_lists[std::size_t(rec.kind)].list_key, id);
    try {
      auto log = history::record_log(load_options(g), g.rev, id);
      if (log.entries.empty()) shown.no_change = "no commit changed it";
      else shown.last_change = log.entries.back();
    } catch (const Error& e) {  // outside git, or a history tandem cannot read: the rest still stands
      shown.no_change = e.what();
    }
    print(render::show(shown, f));
    exit_code = 0;
  });
}

void add_list(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer("The backlog items in file order, with their rank, status, person (the scheduled one, else the\n"
             "assignee) and milestone. " +
             self.formats_line());
  static filter::Filter only;
  add_filter_options(sub, only);
  sub.callback([&g, &self, &exit_code] {
    auto r = start_report(g, self);
    if (!r) {
      exit_code = 1;
      return;
    }
    const auto& plan = r->plan();
    const auto& ix = r->loaded.index;
    check_filter(only, r->loaded);
    auto ranking = priority::rank(plan, ix, priority::configured_model(plan));
    auto s = schedule::plan_schedule(plan, ix, ranking, r->today);
    print(render::list(r->loaded, ranking, s, filter::items(only, plan, ix, s), filter::describe(only), r->format));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
