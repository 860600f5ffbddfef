#include "core/render/report_data.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

#include "core/render/tables.hpp"

namespace tandem::report {

namespace {

/// Rows of the milestone table: id, title, target, planned finish, done, status, P85, chance.
std::vector<std::vector<std::string>> milestone_rows(const Inputs& in) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : in.schedule.milestones) {
    const auto& ms = in.plan->milestones[m.milestone];
    const auto* fc = milestone_forecast(in, m.milestone);
    rows.push_back({text_of(ms.id), text_of(ms.title), ms.target.has() ? to_string(*ms.target) : "",
                    date_text(m.finish), render::done_text(m.done, m.scope), milestone_status(in, m).text(),
                    date_text(fc ? fc->p85 : std::nullopt), chance_text(fc ? fc->chance : std::nullopt)});
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
std::string chance_text(const std::optional<double>& c) { return c ? forecast::chance_text(*c) : ""; }

const forecast::MilestoneForecast* milestone_forecast(const Inputs& in, std::size_t milestone) {
  if (!in.forecast) return nullptr;
  for (const auto& m : in.forecast->milestones)
    if (m.milestone == milestone) return &m;
  return nullptr;
}

status::Status milestone_status(const Inputs& in, const schedule::MilestoneRow& row) {
  if (row.milestone < in.statuses.size()) return in.statuses[row.milestone];
  return status::judge(row, milestone_forecast(in, row.milestone), !in.forecast);
}

Table milestone_table(const Inputs& in) {
  return Table{{"milestone", "title", "target", "planned finish", "done", "status", "P85", "chance"},
               {false, false, false, false, true, false, false, true}, milestone_rows(in)};
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

std::string risks_cut(const Inputs& in) {
  if (in.risks.rows.size() <= k_top_risks) return "";
  return fmt::format("The top {} of {} open risks; `tandem risks` lists all.", k_top_risks, in.risks.rows.size());
}

Table load_table(const Inputs& in) {
  Table t{{"person"}, {false}, {}};
  if (in.load.people.empty()) return t;
  const auto& first = in.load.people.front().periods;
  std::size_t n = std::min(first.size(), k_load_periods);
  for (std::size_t k = 0; k < n; ++k) {
    t.headers.push_back(first[k].sprint ? fmt::format("S{}", *first[k].sprint) : to_string(first[k].start).substr(5));
    t.right.push_back(true);
  }
  for (const auto& pl : in.load.people) {
    std::vector<std::string> row{text_of(in.plan->config.people[pl.person].id)};
    for (std::size_t k = 0; k < n; ++k)
      row.push_back(render::utilisation_text(pl.periods[k].utilisation) + (pl.periods[k].overloaded ? "!" : ""));
    t.rows.push_back(std::move(row));
  }
  return t;
}

namespace {
std::string week_label(Date monday) { return to_string(monday).substr(5); }
}  // namespace

Table burnup_table(const Inputs& in) {
  Table t{{"milestone"}, {false}, {}};
  if (!in.flow || in.flow->burnups.empty()) return t;
  std::size_t weeks = std::min(k_flow_weeks, in.flow->throughput.size());
  const auto& all = in.flow->throughput;  // every burn-up ends in this week
  for (std::size_t k = all.size() - weeks; k < all.size(); ++k) {
    t.headers.push_back(week_label(all[k].first));
    t.right.push_back(true);
  }
  for (const auto& b : in.flow->burnups) {
    std::vector<std::string> row{text_of(in.plan->milestones[b.milestone].id)};
    for (std::size_t k = all.size() - weeks; k < all.size(); ++k) {
      auto p = std::find_if(b.points.begin(), b.points.end(), [&](const flow::BurnPoint& x) { return x.week == all[k].first; });
      row.push_back(p == b.points.end() ? "" : fmt::format("{}/{}", p->done, p->scope));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string burnup_none(const Inputs& in) {
  if (!in.recent) return "skipped: the plan is not in a git repository.";
  return in.recent_note + ".";
}

Table throughput_table(const Inputs& in) {
  Table t{{"week"}, {false}, {}};
  if (!in.flow) return t;
  const auto& all = in.flow->throughput;
  std::size_t weeks = std::min(k_flow_weeks, all.size());
  std::vector<std::string> row{"done"};
  for (std::size_t k = all.size() - weeks; k < all.size(); ++k) {
    t.headers.push_back(week_label(all[k].first));
    t.right.push_back(true);
    row.push_back(std::to_string(all[k].second));
  }
  t.rows.push_back(std::move(row));
  return t;
}

std::string cycle_text(const Inputs& in) {
  if (!in.flow || !in.flow->cycle_p50) return "Cycle time: no done item has both a start and a done date.";
  auto days = [](double d) { return format_number(d, 1) + (d == 1 ? " day" : " days"); };
  return fmt::format("Cycle time (started → done): P50 {}, P85 {}, over {} item{}.", days(*in.flow->cycle_p50),
                     days(*in.flow->cycle_p85), in.flow->cycle_items, in.flow->cycle_items == 1 ? "" : "s");
}

std::string violations_heading(const Inputs& in) {
  if (in.since) return "Ownership violations since " + to_string(*in.since);
  return fmt::format("Ownership violations in the last {} days", in.recent_days);
}

std::string violations_problems(const Inputs& in) {
  if (!in.violations || in.violations_problems == 0 || !in.violations_range) return "";
  const auto& r = *in.violations_range;
  return fmt::format("`tandem audit {}{}` also finds {} problem{} that fail{} it (a plan file version that did not "
                     "parse or could not be read, whose changes are not judged here, or an error in tandem.yaml).",
                     r.base ? r.base->short_hex() + ".." : "", r.head.short_hex(), in.violations_problems,
                     in.violations_problems == 1 ? "" : "s", in.violations_problems == 1 ? "s" : "");
}

Table violations_table(const Inputs& in) {
  Table t{{"date", "commit", "who", "change", "needs"}, {}, {}};
  if (!in.violations) return t;
  for (const auto& v : *in.violations) {
    const auto& c = v.change;
    std::string subject = c.kind == "config" ? "tandem.yaml" : c.id;
    std::string what = c.field == "create"   ? subject + " created"
                       : c.field == "delete" ? subject + " deleted"
                       : c.field == "order"  ? subject + " moved in the " + c.kind + " order"
                                             : fmt::format("{} {}: {} → {}", subject, c.field,
                                                           history::display(c.old_value, c.new_value), history::display(c.new_value, c.old_value));
    t.rows.push_back({to_string(v.commit.date), v.commit.short_id,
                      v.person.empty() ? "unknown person <" + v.commit.author_email + ">" : v.person, what,
                      v.requirement});
  }
  return t;
}

std::string violations_none(const Inputs& in) {
  if (!in.violations_note.empty()) return "Not judged: " + in.violations_note + ".";
  if (!in.violations) return "Skipped: the plan is not in a git repository.";
  if (!in.recent_note.empty()) return recent_none(in);
  return in.violations->empty() ? "None." : "";
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

Table heat_table(const Inputs& in, std::string_view empty) {
  Table heat{{"probability \\ impact", "1", "2", "3", "4", "5"}, {false, true, true, true, true, true}, {}};
  for (int p = 5; p >= 1; --p) {
    std::vector<std::string> row{std::to_string(p)};
    for (int i = 1; i <= 5; ++i) {
      int n = in.risks.heatmap[static_cast<std::size_t>(p - 1)][static_cast<std::size_t>(i - 1)];
      row.push_back(n ? std::to_string(n) : std::string(empty));
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
