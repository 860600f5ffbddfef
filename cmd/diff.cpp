#include <fmt/format.h>

#include <map>

#include "cmd/common.hpp"
#include "core/engine/check.hpp"
#include "core/base/error.hpp"
#include "core/engine/priority.hpp"
#include "core/render/history.hpp"
#include "core/engine/schedule.hpp"

namespace tandem::cmd {

namespace {

struct Side {
  std::string label;
  std::unique_ptr<Source> source;
  std::optional<git_oid> commit;
};

struct Outlook {
  std::map<std::string, int> ranks;
  std::map<std::string, std::pair<std::optional<std::string>, std::string>> milestones;  // finish, status
};

/// Priority ranks and milestone forecasts of one side, or nullopt when its plan has errors.
std::optional<Outlook> outlook(const load::Location& where, const Source& source, const load::Options& options,
                               Date today) {
  Diagnostics diags;
  auto loaded = load::load(where, source, options, diags);
  check::run(loaded, today, diags);
  if (diags.has_errors()) return std::nullopt;
  const auto& plan = loaded.plan;
  Outlook o;
  auto ranking = priority::rank(plan, loaded.index, priority::configured_model(plan));
  for (const auto& row : ranking.rows) o.ranks[*plan.items[row.item].id] = row.rank;
  auto s = schedule::plan_schedule(plan, loaded.index, ranking, today);
  for (const auto& m : s.milestones) {
    const auto& ms = plan.milestones[m.milestone];
    if (!ms.id.has()) continue;
    std::string status = schedule::describe(m);
    o.milestones[*ms.id] = {m.finish ? std::optional(to_string(*m.finish)) : std::nullopt, status};
  }
  return o;
}

}  // namespace

void register_diff(CLI::App& app, Globals& g, int& exit_code) {
  auto* sub = app.add_subcommand("diff", "The semantic change between two versions of the plan, and what it does");
  sub->footer("No REV: HEAD against the working tree. One REV: REV against the working tree. Two: the first\n"
              "against the second. Shows items added, removed and changed, priority ranks that moved and\n"
              "milestone forecasts that moved. --format markdown is meant as a pull-request comment.\n"
              "Formats: text, json, csv (the changes), markdown.");
  static std::vector<std::string> revs;
  sub->add_option("REV", revs, "Revisions to compare")->expected(0, 2);
  sub->callback([&g, &exit_code] {
    using render::Format;
    Format f = format(g, {Format::text, Format::json, Format::csv, Format::markdown});
    auto options = load_options(g);
    auto where = load::locate(options);
    git::Repository repo(where.root);
    auto side = [&](const std::optional<std::string>& rev) {
      Side s;
      if (!rev) {
        s.label = "working tree";
        s.source = std::make_unique<WorkTreeSource>(where.root);
      } else {
        s.commit = repo.resolve(*rev);
        s.label = *rev;
        s.source = std::make_unique<git::TreeSource>(repo, *s.commit);
      }
      return s;
    };
    Side old_side = side(revs.empty() ? std::optional<std::string>("HEAD") : revs[0]);
    Side new_side = side(revs.size() == 2 ? std::optional<std::string>(revs[1]) : std::nullopt);

    history::Reader reader(&repo, where.config_path, options);
    auto version = [&](const Side& s) { return s.commit ? reader.at(*s.commit) : reader.read(*s.source); };
    render::DiffReport report;
    report.from = old_side.label;
    report.to = new_side.label;
    report.changes = history::diff(*version(old_side), *version(new_side));

    Date now = today(g);
    auto before = outlook(where, *old_side.source, options, now);
    auto after = outlook(where, *new_side.source, options, now);
    if (!before || !after) {
      report.notes.push_back(fmt::format("the plan in {} has errors (see 'tandem check'): ranks and forecasts not compared",
                                         !before ? old_side.label : new_side.label));
    } else {
      std::map<int, render::RankMove> moved;
      for (const auto& [id, rank] : after->ranks) {
        auto it = before->ranks.find(id);
        if (it == before->ranks.end() || it->second != rank)
          moved[rank] = {id, it == before->ranks.end() ? std::nullopt : std::optional(it->second), rank};
      }
      for (const auto& [rank, move] : moved) report.ranks.push_back(move);
      for (const auto& [id, rank] : before->ranks)
        if (!after->ranks.count(id)) report.ranks.push_back({id, rank, std::nullopt});
      for (const auto& [id, now_m] : after->milestones) {
        auto it = before->milestones.find(id);
        std::optional<std::string> old_finish = it == before->milestones.end() ? std::nullopt : it->second.first;
        std::string old_status = it == before->milestones.end() ? "new" : it->second.second;
        if (old_finish != now_m.first || old_status != now_m.second)
          report.milestones.push_back({id, old_finish, now_m.first, old_status, now_m.second});
      }
    }
    print(render::diff(report, f));
    exit_code = 0;
  });
}

}  // namespace tandem::cmd
