#include <filesystem>
#include <fmt/format.h>

#include "cmd/common.hpp"
#include "cmd/filters.hpp"
#include "core/base/output.hpp"
#include "core/git/done_dates.hpp"
#include "core/git/recent.hpp"
#include "core/base/error.hpp"
#include "core/render/report.hpp"

namespace tandem::cmd {

namespace fs = std::filesystem;

namespace {

/// The dates of the done items without a `done:` date (SPEC 6.1), as `schedule` and `forecast` give them:
/// from the report's walk (`walked`: the commits that made items done), else from the whole history
/// for those done before the walk's horizon.
schedule::DoneDates undated_done_dates(const Globals& g, const model::Plan& plan, const std::map<std::string, Date>& walked) {
  schedule::DoneDates out;
  bool missing = false;
  for (const auto& id : undated_done_items(plan)) {
    if (auto d = walked.find(id); d != walked.end()) out.emplace(id, d->second);
    else missing = true;
  }
  return missing ? history_done_dates(g, plan) : out;
}

}  // namespace

void add_report(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer(self.formats_line());
  static std::string output;
  sub.add_option("-o,--output", output, "Write the report to FILE instead of stdout, in the format its extension names (.html, .json, .md; --format wins)")->option_text("FILE");
  add_history_budget(sub, g);
  static std::string since;
  sub.add_option("--since", since, "Recent changes from DATE (YYYY-MM-DD) to today (default: the last 14 days)")
      ->option_text("DATE");
  static int window = 0;
  sub.add_option("--window", window, "Calendar days of completion history the forecast samples, at most (default: forecast.window, or 90)")
      ->option_text("DAYS")
      ->check(CLI::Range(1, 1'000'000));
  static bool fail_on_late = false, fail_on_risk = false;
  sub.add_flag("--fail-on-late", fail_on_late, "Exit 1 when a committed milestone is late (for CI)");
  sub.add_flag("--fail-on-risk", fail_on_risk, "Exit 1 when a committed milestone is late or at risk (for CI)");
  static filter::Filter only;
  add_filter_options(sub, only);
  sub.callback([&g, &self, &exit_code] {
    using render::Format;
    Format f = format(g, self, output);
    Date now = today(g);
    auto loaded = load_checked(g, now);
    if (!loaded) {
      exit_code = 1;
      return;
    }
    const auto& plan = loaded->plan;
    auto where = load::locate(load_options(g));
    report::Inputs in;
    in.plan = &plan;
    in.today = now;
    in.ranking = priority::rank(plan, loaded->index, priority::configured_model(plan));
    in.forecast_options = forecast::configured(plan.config);
    if (window > 0) in.forecast_options.window = window;
    if (!since.empty()) {
      in.since = date_option("--since", since);
      if (*in.since > now) throw Error(fmt::format("--since {} is after today ({})", since, to_string(now)));
    }
    // One walk of the history gives the recent changes and the items' dates; audit's judgement of the
    // window's range B..T (T: the commit of today) gives the violations.
    schedule::DoneDates dated;  // the history's dates of done items without `done:`
    if (where.in_git && g.rev.empty() && history::no_commits(load_options(g))) {
      in.recent.emplace();
      in.violations.emplace();
      in.recent_note = git::k_no_commits;
    } else if (where.in_git) {
      // History as far back as the burn-up's weeks and the forecast's window reach, no further.
      Date horizon = std::min(now + (-now.weekday() - 7 * (flow::k_weeks - 1)), now + (-in.forecast_options.window));
      auto h = history::report_history(load_options(g), g.rev, report::recent_window(in), horizon);
      in.recent = std::move(h.recent);
      in.shallow_cut = std::move(h.cut);
      in.violations = std::move(h.violations);  // audit B..T's, or nullopt with why
      in.violations_range = h.judged;
      in.violations_note = std::move(h.violations_note);
      in.violations_problems = h.audit_problems;
      dated = undated_done_dates(g, plan, h.done);
      in.flow = flow::compute(plan, loaded->index, {std::move(h.created), std::move(h.started), std::move(h.done)}, now);
    }
    if (!in.flow) {  // no history: throughput and cycle time from the files' dates; no burn-up
      in.flow = flow::compute(plan, loaded->index, {}, now);
      in.flow->burnups.clear();
    }
    if (f == Format::json && !in.shallow_cut.empty() && !g.quiet)  // the other formats say it in the report
      fmt::print(stderr, "tandem: note: {}\n", report::shallow_note(in));
    in.schedule = schedule::plan_schedule(plan, loaded->index, in.ranking, now, dated);
    in.forecast = forecast::run(plan, loaded->index, in.schedule, forecast::completion_dates(plan, dated), now,
                                in.forecast_options);
    in.statuses = status::judge_all(plan, in.schedule, in.forecast);  // before the filters choose rows
    in.risks = risks::rank(plan, loaded->index, now, false);
    // Computed over the whole plan; the filters then choose the rows shown.
    check_filter(only, *loaded);
    auto matched = filter::items(only, plan, loaded->index, in.schedule);
    bool by_item = !only.milestones.empty() || !only.tags.empty() || !only.statuses.empty();
    in.load = workload::compute(plan, loaded->index, in.schedule, by_item ? matched : std::vector<bool>{});
    filter::apply(only, plan, in.load);
    filter::apply(only, matched, in.ranking);
    if (in.forecast) filter::apply(only, plan, loaded->index, matched, *in.forecast);
    filter::apply(only, plan, loaded->index, matched, in.schedule);
    filter::apply(only, plan, loaded->index, matched, in.risks);
    if (in.flow) filter::apply(only, plan, loaded->index, matched, *in.flow);
    std::string text = f == Format::html ? report::render_html(in) : report::render(in, f);
    if (output.empty()) {
      print(text);
    } else {
      std::string target = output_target(output);
      for (const auto& file : plan.files)
        if (output_target((fs::path(plan.root) / file).string()) == target)
          throw Error(fmt::format("{} is a plan file: tandem never writes plan files", output));
      write_file_atomically(output, text);
    }
    exit_code = status::exit_code(plan, in.statuses, fail_on_late, fail_on_risk);
  });
}

}  // namespace tandem::cmd
