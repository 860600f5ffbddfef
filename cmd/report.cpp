#include <filesystem>
#include <fmt/format.h>

#include "cmd/common.hpp"
#include "core/base/output.hpp"
#include "core/git/recent.hpp"
#include "core/base/error.hpp"
#include "core/render/report.hpp"

namespace tandem::cmd {

namespace fs = std::filesystem;

void add_report(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer(self.formats_line());
  static std::string output;
  sub.add_option("-o,--output", output, "Write the report to FILE instead of stdout")->option_text("FILE");
  static std::string since;
  sub.add_option("--since", since, "Recent changes from DATE (YYYY-MM-DD) to today (default: the last 14 days)")
      ->option_text("DATE");
  sub.callback([&g, &self, &exit_code] {
    using render::Format;
    Format f = format(g, self);
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
    in.schedule = schedule::plan_schedule(plan, loaded->index, in.ranking, now);
    in.forecast_options = forecast::configured(plan.config);
    if (!since.empty()) {
      in.since = parse_date(since);
      if (!in.since) throw Error(fmt::format("--since '{}' is not a valid date (YYYY-MM-DD)", since));
      if (*in.since > now) throw Error(fmt::format("--since {} is after today ({})", since, to_string(now)));
    }
    if (where.in_git && g.rev.empty() && history::no_commits(load_options(g))) {
      in.recent.emplace();
      in.recent_note = git::k_no_commits;
    } else if (where.in_git) {
      in.recent = history::recent_changes(load_options(g), g.rev, report::recent_window(in), in.shallow_cut);
    }
    if (f == Format::json && !in.shallow_cut.empty())  // the other formats say it in the report
      fmt::print(stderr, "tandem: note: {}\n", report::shallow_note(in));
    in.forecast = forecast::run(plan, loaded->index, in.schedule, completion_dates(g, plan), now, in.forecast_options);
    in.risks = risks::rank(plan, loaded->index, now, false);
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
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
