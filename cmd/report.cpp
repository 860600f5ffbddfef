#include <filesystem>
#include <fmt/format.h>
#include <fstream>

#include "cmd/common.hpp"
#include "core/git/recent.hpp"
#include "core/base/error.hpp"
#include "core/render/report.hpp"

namespace tandem::cmd {

namespace fs = std::filesystem;

void add_report(CLI::App& sub, const Command& self, Globals& g, int& exit_code) {
  sub.footer(self.formats_line());
  static std::string output;
  sub.add_option("-o,--output", output, "Write the report to FILE instead of stdout")->option_text("FILE");
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
    in.ranking = priority::rank(plan, priority::configured_model(plan));
    in.schedule = schedule::plan_schedule(plan, in.ranking, now);
    in.forecast_options = forecast::configured(plan.config);
    if (where.in_git) in.recent = history::recent_changes(load_options(g), g.rev, now, in.recent_days, in.shallow_cut);
    if (f == Format::json && !in.shallow_cut.empty())  // the other formats say it in the report
      fmt::print(stderr, "tandem: note: {}\n", report::shallow_note(in));
    in.forecast = forecast::run(plan, in.schedule, completion_dates(g, plan), now, in.forecast_options);
    in.risks = risks::rank(plan, now, false);
    std::string text = f == Format::html ? report::render_html(in) : report::render(in, f);
    if (output.empty()) {
      print(text);
    } else {
      std::error_code ec;
      fs::path target = fs::weakly_canonical(output, ec);
      for (const auto& file : plan.files)
        if (fs::weakly_canonical(fs::path(plan.root) / file, ec) == target)
          throw Error(fmt::format("{} is a plan file: tandem never writes plan files", output));
      std::ofstream out(output, std::ios::binary | std::ios::trunc);
      if (!out || !out.write(text.data(), static_cast<std::streamsize>(text.size())))
        throw Error(fmt::format("cannot write {}", output));
    }
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
