#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <set>

#include "cmd/common.hpp"
#include "core/base/output.hpp"
#include "core/git/audit.hpp"
#include "core/base/error.hpp"
#include "core/render/report.hpp"

namespace tandem::cmd {

namespace fs = std::filesystem;

namespace {

/// The plan's changes in commits of the last `days` days, newest first. In a shallow clone, the commits
/// whose parent is missing cannot be compared with it: they are left out and listed in `cut`.
std::vector<report::RecentChange> recent_changes(const Globals& g, const load::Location& where, Date today, int days,
                                                 std::vector<std::string>& cut) {
  auto options = load_options(g);
  git::Repository repo(where.root);
  git_oid head = repo.resolve(g.rev.empty() ? "HEAD" : g.rev);
  auto authority = audit::authority_at(repo, head, where.config_path, options);
  history::Reader reader(&repo, where.config_path, options);
  Diagnostics ignored;
  std::vector<report::RecentChange> out;
  for (const auto& oid : repo.since(head, static_cast<std::int64_t>((today + (-days)).days) * 86400)) {
    auto commit = repo.lookup(oid);
    auto info = repo.info(commit.get());
    if (auto parent = repo.parent(commit.get(), 0); parent && !repo.contains(*parent)) {
      cut.push_back(info.short_id);
      continue;
    }
    const model::Person* p = authority.person(info.author_email);
    std::string who = p && p->id.has() ? *p->id : "unknown person <" + info.author_email + ">";
    auto changes = audit::changes_of(repo, reader, commit.get(), ignored, info);
    std::map<std::string, int> created;  // a commit that adds many records is one line per kind
    for (const auto& c : changes)
      if (c.field == "create" && c.kind != "config") ++created[c.kind];
    for (const auto& [kind, n] : created)
      if (n > 3) out.push_back({to_string(info.date), info.short_id, who, fmt::format("{} {} records created", n, kind)});
    for (const auto& c : changes) {
      if (c.field == "create" && c.kind != "config" && created[c.kind] > 3) continue;
      std::string subject = c.kind == "config" ? "tandem.yaml" : c.id;
      std::string what = c.field == "create"   ? subject + " created"
                         : c.field == "delete" ? subject + " deleted"
                         : c.field == "order"  ? subject + " moved in the " + c.kind + " order"
                                               : fmt::format("{} {}: {} → {}", subject, c.field, history::display(c.old_value),
                                                             history::display(c.new_value));
      out.push_back({to_string(info.date), info.short_id, who, what});
    }
  }
  return out;
}

}  // namespace

void register_report(CLI::App& app, Globals& g, int& exit_code) {
  auto* sub = app.add_subcommand("report", "One status report: milestones, priorities, risks, recent changes");
  sub->footer("Formats: text, json, markdown (with a Mermaid gantt chart), html (one self-contained file).");
  static std::string output;
  sub->add_option("-o,--output", output, "Write the report to FILE instead of stdout")->option_text("FILE");
  sub->callback([&g, &exit_code] {
    using render::Format;
    Format f = format(g, {Format::text, Format::json, Format::markdown, Format::html});
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
    if (where.in_git) in.recent = recent_changes(g, where, now, in.recent_days, in.shallow_cut);
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
