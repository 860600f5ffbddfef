#include "core/render/report_data.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace tandem::report {

namespace {

/// Rows of the milestone table: id, title, target, planned finish, status, P85, chance.
std::vector<std::vector<std::string>> milestone_rows(const Inputs& in) {
  std::vector<std::vector<std::string>> rows;
  for (std::size_t k = 0; k < in.schedule.milestones.size(); ++k) {
    const auto& m = in.schedule.milestones[k];
    const auto& ms = in.plan->milestones[m.milestone];
    std::optional<Date> p85;
    std::optional<double> chance;
    if (in.forecast) {
      p85 = in.forecast->milestones[k].p85;
      chance = in.forecast->milestones[k].chance;
    }
    std::string status = schedule::describe(m);
    if (m.status == schedule::MilestoneStatus::unknown) status += ": " + m.why;
    rows.push_back({text_of(ms.id), text_of(ms.title), ms.target.has() ? to_string(*ms.target) : "",
                    date_text(m.finish), status, date_text(p85), chance_text(chance)});
  }
  return rows;
}

/// Bars in the HTML Gantt chart: the whole critical chain up to k_gantt_critical bars, and the earliest
/// other items up to k_gantt_bars in all; the other scheduled items go to a table under it.
constexpr std::size_t k_gantt_bars = 80;
constexpr std::size_t k_gantt_critical = 250;

}  // namespace

std::string text_of(const model::Field<std::string>& f) { return f.has() ? *f : ""; }
std::string date_text(const std::optional<Date>& d, const char* none) { return d ? to_string(*d) : none; }
std::string chance_text(const std::optional<double>& c) { return c ? format_number(*c * 100, 0) + "%" : ""; }

Table milestone_table(const Inputs& in) {
  return Table{{"milestone", "title", "target", "planned finish", "status", "P85", "chance"},
               {false, false, false, false, false, false, true}, milestone_rows(in)};
}

Table priority_table(const Inputs& in, std::size_t n) {
  Table t{{"rank", "id", "title", "score", "status"}, {true, false, false, true}, {}};
  for (std::size_t k = 0; k < std::min(n, in.ranking.rows.size()); ++k) {
    const auto& row = in.ranking.rows[k];
    const auto& it = in.plan->items[row.item];
    t.rows.push_back({std::to_string(row.rank), *it.id, text_of(it.title), row.score ? format_number(*row.score) : "",
                      std::string(model::to_string(it.status_or_default()))});
  }
  return t;
}

Table risk_table(const Inputs& in, std::size_t n) {
  Table t{{"rank", "id", "title", "exposure", "band", "owner", "review"}, {true, false, false, true}, {}};
  for (std::size_t k = 0; k < std::min(n, in.risks.rows.size()); ++k) {
    const auto& row = in.risks.rows[k];
    const auto& r = in.plan->risks[row.risk];
    t.rows.push_back({std::to_string(row.rank), text_of(r.id), text_of(r.title),
                      row.exposure ? std::to_string(*row.exposure) : "", row.band, text_of(r.owner),
                      (r.review.has() ? to_string(*r.review) : "") + (row.overdue ? " (overdue)" : "")});
  }
  return t;
}

history::Window recent_window(const Inputs& in) {
  return {in.since.value_or(in.today + (-in.recent_days)), in.today};
}

std::string recent_heading(const Inputs& in) {
  if (in.since) return "Changes since " + to_string(*in.since);
  return fmt::format("Changes in the last {} days", in.recent_days);
}

std::string recent_none(const Inputs& in) {
  if (!in.recent) return "Skipped: the plan is not in a git repository.";
  if (!in.recent_note.empty())
    return static_cast<char>(std::toupper(static_cast<unsigned char>(in.recent_note[0]))) + in.recent_note.substr(1) + ".";
  return in.recent->empty() ? "No changes to the plan." : "";
}

Table recent_table(const Inputs& in, std::size_t n) {
  Table t{{"date", "commit", "who", "change"}, {}, {}};
  if (!in.recent) return t;
  for (std::size_t k = 0; k < std::min(n, in.recent->size()); ++k) {
    const auto& c = (*in.recent)[k];
    t.rows.push_back({c.date, c.commit, c.who, c.what});
  }
  return t;
}

Table heat_table(const Inputs& in) {
  Table heat{{"probability \\ impact", "1", "2", "3", "4", "5"}, {false, true, true, true, true, true}, {}};
  for (int p = 5; p >= 1; --p) {
    std::vector<std::string> row{std::to_string(p)};
    for (int i = 1; i <= 5; ++i) {
      int n = in.risks.heatmap[static_cast<std::size_t>(p - 1)][static_cast<std::size_t>(i - 1)];
      row.push_back(n ? std::to_string(n) : "");
    }
    heat.rows.push_back(row);
  }
  return heat;
}

std::vector<const schedule::Task*> chart_tasks(const Inputs& in, std::size_t max_items) {
  std::vector<const schedule::Task*> all;
  for (const auto& t : in.schedule.tasks) all.push_back(&t);
  std::stable_sort(all.begin(), all.end(), [](const schedule::Task* a, const schedule::Task* b) {
    if (a->critical != b->critical) return a->critical;
    return a->start.date < b->start.date;
  });
  if (all.size() > max_items) all.resize(max_items);
  std::stable_sort(all.begin(), all.end(), [](const schedule::Task* a, const schedule::Task* b) {
    return std::make_pair(a->start.date, a->finish.date) < std::make_pair(b->start.date, b->finish.date);
  });
  return all;
}

Table rest_table(const Inputs& in, const std::vector<const schedule::Task*>& shown) {
  std::vector<bool> in_chart(in.schedule.tasks.size(), false);
  for (const auto* t : shown) in_chart[static_cast<std::size_t>(t - in.schedule.tasks.data())] = true;
  Table table{{"id", "title", "person", "start", "finish", "float", "critical"},
              {false, false, false, false, false, true}, {}};
  for (std::size_t k = 0; k < in.schedule.tasks.size(); ++k) {
    if (in_chart[k]) continue;
    const auto& t = in.schedule.tasks[k];
    const auto& it = in.plan->items[t.item];
    table.rows.push_back({*it.id, text_of(it.title), text_of(in.plan->config.people[t.person].id),
                          to_string(t.start.date), to_string(t.finish.date), format_number(t.total_float),
                          t.critical ? "yes" : ""});
  }
  return table;
}

std::size_t critical_count(const Inputs& in) {
  return static_cast<std::size_t>(std::count_if(in.schedule.tasks.begin(), in.schedule.tasks.end(),
                                                [](const schedule::Task& t) { return t.critical; }));
}

std::size_t gantt_bars(const Inputs& in) {
  return std::max(k_gantt_bars, std::min(critical_count(in), k_gantt_critical));
}

std::string shallow_note(const Inputs& in) {
  if (in.shallow_cut.empty()) return "";
  return fmt::format("Left out: {} {}, where this shallow clone begins (the parent is not here); fetch more history "
                     "to see {} (git fetch --deepen, or fetch-depth: 0 in GitHub Actions).",
                     in.shallow_cut.size() == 1 ? "commit" : "commits", fmt::join(in.shallow_cut, ", "),
                     in.shallow_cut.size() == 1 ? "its changes" : "their changes");
}

}  // namespace tandem::report
