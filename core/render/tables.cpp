#include "core/render/tables.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base/table.hpp"
#include "core/base/text.hpp"

namespace tandem::render {

using nlohmann::json;

namespace {

/// " (--tag ui)" after a heading's subject, or "" without a filter.
std::string scoped(std::string_view scope) { return scope.empty() ? "" : fmt::format(" ({})", scope); }

std::string str(const model::Field<std::string>& f) { return f.has() ? *f : ""; }
json opt_date(const std::optional<Date>& d) { return d ? json(to_string(*d)) : json(nullptr); }
std::string date_cell(const std::optional<Date>& d) { return d ? to_string(*d) : ""; }
/// Rounds to 4 decimals for JSON so that output is stable and readable.
double round4(double v) { return round_decimal(v, 4); }

}  // namespace

std::string priority(const model::Plan& plan, const priority::Ranking& r, Format f, std::size_t limit,
                     std::string_view scope) {
  std::size_t n = limit ? std::min(limit, r.rows.size()) : r.rows.size();
  std::string_view model = model::to_string(r.model);
  if (f == Format::json) {
    json items = json::array();
    for (std::size_t k = 0; k < n; ++k) {
      const auto& row = r.rows[k];
      const auto& it = plan.items[row.item];
      items.push_back({{"rank", row.rank},
                       {"id", *it.id},
                       {"title", str(it.title)},
                       {"score", row.score ? json(round4(*row.score)) : json(nullptr)},
                       {"parts", row.parts},
                       {"bucket", row.bucket.empty() ? json(nullptr) : json(row.bucket)},
                       {"missing", row.missing},
                       {"status", model::to_string(it.status_or_default())},
                       {"blocked_by", row.blocked_by}});
    }
    return json{{"model", model}, {"items", items}, {"total", r.rows.size()}}.dump(2) + "\n";
  }
  Table t{{"rank", "id", "title", "score", "parts", "status", "blocked_by"}, {true, false, false, true}, {}};
  for (std::size_t k = 0; k < n; ++k) {
    const auto& row = r.rows[k];
    const auto& it = plan.items[row.item];
    std::string parts = row.missing.empty() ? row.parts : "missing " + join(row.missing, ", ");
    t.rows.push_back({std::to_string(row.rank), *it.id, f == Format::csv ? str(it.title) : ellipsize_columns(str(it.title), 48),
                      row.score ? format_number(*row.score) : "", parts,
                      std::string(model::to_string(it.status_or_default())),
                      join(row.blocked_by, f == Format::csv ? " " : ", ")});
  }
  if (f == Format::csv) return t.csv();
  if (r.rows.empty()) return fmt::format("No undone items{}.\n", scoped(scope));
  std::string head = fmt::format("Priority by {}{}: {} undone item{}{}", model, scoped(scope), r.rows.size(),
                                 r.rows.size() == 1 ? "" : "s", n < r.rows.size() ? fmt::format(", top {}", n) : "");
  if (f == Format::markdown) return "## " + head + "\n\n" + t.markdown();
  return head + "\n\n" + t.text();
}

void status_json(json& row, const status::Status& st) {
  row["status"] = st.key();
  row["late_by"] = st.kind == status::Kind::late ? json(st.late_by) : json(nullptr);
  row["plan_only"] = st.plan_only;
  row["why"] = st.why.empty() ? json(nullptr) : json(st.why);
}

status::Status status_from_json(const json& row) {
  status::Status st;
  for (auto kind : {status::Kind::on_track, status::Kind::at_risk, status::Kind::late, status::Kind::unknown}) {
    st.kind = kind;
    if (st.key() == row.at("status").get<std::string>()) break;
  }
  if (row.at("late_by").is_number_integer()) st.late_by = row["late_by"].get<int>();
  st.plan_only = row.at("plan_only").get<bool>();
  if (row.at("why").is_string()) st.why = row["why"].get<std::string>();
  return st;
}

namespace {

json opt_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json schedule_json(const model::Plan& plan, const schedule::Schedule& s, const std::vector<status::Status>& statuses) {
  const auto& people = plan.config.people;
  json items = json::array(), milestones = json::array(), unschedulable = json::array();
  for (const auto& t : s.tasks) {
    const auto& it = plan.items[t.item];
    items.push_back({{"id", *it.id},
                     {"title", str(it.title)},
                     {"person", str(people[t.person].id)},
                     {"start", to_string(t.start.date)},
                     {"finish", to_string(t.finish.date)},
                     {"sprint", t.sprint ? json(*t.sprint) : json(nullptr)},
                     {"float", round4(t.total_float)},
                     {"critical", t.critical},
                     {"effort", round4(t.effort)}});
  }
  for (const auto& m : s.milestones) {
    const auto& ms = plan.milestones[m.milestone];
    json row = {{"id", str(ms.id)},
                {"title", str(ms.title)},
                {"target", opt_date(ms.target.value)},
                {"committed", ms.committed.has() && *ms.committed},
                {"finish", opt_date(m.finish)},
                {"done", m.done},
                {"scope", m.scope},
                {"done_share", opt_number(done_share(m.done, m.scope))}};
    status_json(row, statuses[m.milestone]);
    milestones.push_back(std::move(row));
  }
  for (const auto& u : s.unschedulable) unschedulable.push_back({{"id", *plan.items[u.item].id}, {"reason", u.reason}});
  return json{{"start", to_string(s.start)}, {"finish", opt_date(s.finish)}, {"items", items},
              {"milestones", milestones}, {"unschedulable", unschedulable}};
}

/// The scheduled items; in CSV titles are whole and `critical` is true/false.
Table schedule_items(const model::Plan& plan, const schedule::Schedule& s, Format f) {
  Table items{{"id", "title", "person", "start", "finish", "sprint", "float", "critical"},
              {false, false, false, false, false, true, true, false}, {}};
  for (const auto& t : s.tasks) {
    const auto& it = plan.items[t.item];
    items.rows.push_back({*it.id, f == Format::csv ? str(it.title) : ellipsize_columns(str(it.title), 40),
                          str(plan.config.people[t.person].id), to_string(t.start.date), to_string(t.finish.date),
                          t.sprint ? std::to_string(*t.sprint) : "", format_number(t.total_float),
                          f == Format::csv ? (t.critical ? "true" : "false") : (t.critical ? "yes" : "")});
  }
  return items;
}

Table schedule_milestones(const model::Plan& plan, const schedule::Schedule& s,
                         const std::vector<status::Status>& statuses) {
  Table ms{{"milestone", "title", "target", "finish", "done", "status"}, {false, false, false, false, true}, {}};
  for (const auto& m : s.milestones) {
    const auto& mm = plan.milestones[m.milestone];
    const auto& st = statuses[m.milestone];
    std::string status = st.text();
    if (mm.committed.has() && *mm.committed && st.kind == status::Kind::late) status += " (committed)";
    ms.rows.push_back({str(mm.id), ellipsize_columns(str(mm.title), 40), mm.target.has() ? to_string(*mm.target) : "",
                       date_cell(m.finish), done_text(m.done, m.scope), status});
  }
  return ms;
}

}  // namespace

std::string done_text(std::size_t done, std::size_t scope) {
  if (scope == 0) return "";
  return fmt::format("{}/{} ({}%)", done, scope, format_number(100.0 * static_cast<double>(done) / static_cast<double>(scope), 0));
}

std::optional<double> done_share(std::size_t done, std::size_t scope) {
  if (scope == 0) return std::nullopt;
  return round4(static_cast<double>(done) / static_cast<double>(scope));
}

std::string to_go_text(std::size_t items, std::size_t ranked_before) {
  if (ranked_before == 0) return std::to_string(items);
  return fmt::format("{} (incl. {} ranked before it)", items, ranked_before);
}

std::string history_text(const forecast::Forecast& fc, const forecast::Options& o) {
  std::string done = fmt::format("{} item{} done on {} workday{}", fc.history_items, fc.history_items == 1 ? "" : "s",
                                 fc.samples.size(), fc.samples.size() == 1 ? "" : "s");
  if (fc.since_first_completion && fc.first_completion)
    return fmt::format("{} since the first completion on {} (not a workday: counted on {})", done,
                       to_string(*fc.first_completion), to_string(fc.history_from));
  if (fc.since_first_completion) return done + " since the first completion on " + to_string(fc.history_from);
  return fmt::format("{} in the last {} days (since {})", done, o.window, to_string(fc.history_from));
}

std::string schedule(const model::Plan& plan, const schedule::Schedule& s, const std::vector<status::Status>& statuses,
                     Format f, std::string_view scope) {
  if (f == Format::json) return schedule_json(plan, s, statuses).dump(2) + "\n";
  Table items = schedule_items(plan, s, f);
  if (f == Format::csv) return items.csv();
  Table ms = schedule_milestones(plan, s, statuses);
  Table un{{"id", "reason"}, {}, {}};
  for (const auto& u : s.unschedulable) un.rows.push_back({*plan.items[u.item].id, u.reason});
  if (items.rows.empty() && ms.rows.empty() && un.rows.empty()) return fmt::format("Nothing to schedule{}.\n", scoped(scope));
  std::string head = s.finish ? fmt::format("Schedule from {} to {}{}: {} item{} planned", to_string(s.start),
                                            to_string(*s.finish), scoped(scope), s.tasks.size(), s.tasks.size() == 1 ? "" : "s")
                              : fmt::format("Schedule from {}{}: no item planned", to_string(s.start), scoped(scope));
  std::string out;
  if (f == Format::markdown) {
    out = "## " + head + "\n\n" + (items.rows.empty() ? "" : items.markdown());
    if (!ms.rows.empty()) out += "\n### Milestones\n\n" + ms.markdown();
    if (!un.rows.empty()) out += "\n### Unschedulable\n\n" + un.markdown();
    return out;
  }
  out = head + "\n\n" + (items.rows.empty() ? "" : items.text());
  if (!ms.rows.empty()) out += "\nMilestones\n\n" + ms.text();
  if (!un.rows.empty()) out += "\nUnschedulable\n\n" + un.text();
  return out;
}

namespace {

json forecast_json(const model::Plan& plan, const forecast::Forecast& fc, const schedule::Schedule& s,
                   const std::vector<status::Status>& statuses, const forecast::Options& o) {
  json ms = json::array();
  for (const auto& m : fc.milestones) {
    const auto& mm = plan.milestones[m.milestone];
    const schedule::MilestoneRow* row = nullptr;
    for (const auto& r : s.milestones) row = r.milestone == m.milestone ? &r : row;
    json j = {{"id", str(mm.id)},
              {"title", str(mm.title)},
              {"items", m.items},
              {"ranked_before", m.ranked_before},
              {"done", row ? json(row->done) : json(nullptr)},
              {"scope", row ? json(row->scope) : json(nullptr)},
              {"done_share", row ? opt_number(done_share(row->done, row->scope)) : json(nullptr)},
              {"p50", opt_date(m.p50)},
              {"p70", opt_date(m.p70)},
              {"p85", opt_date(m.p85)},
              {"p95", opt_date(m.p95)},
              {"target", opt_date(mm.target.value)},
              {"chance", m.chance ? json(round4(*m.chance)) : json(nullptr)},
              {"note", m.note.empty() ? json(nullptr) : json(m.note)}};
    status_json(j, statuses[m.milestone]);
    ms.push_back(std::move(j));
  }
  return json{{"start", to_string(fc.start)}, {"runs", o.runs}, {"seed", o.seed}, {"window", o.window},
              {"history_from", to_string(fc.history_from)}, {"history_items", fc.history_items},
              {"history_workdays", fc.samples.size()}, {"milestones", ms}, {"note", nullptr}};
}

}  // namespace

std::string forecast_without_history(Date start, const forecast::Options& o, std::string_view reason) {
  json out{{"start", to_string(start)}, {"runs", o.runs}, {"seed", o.seed}, {"window", o.window},
           {"history_from", nullptr}, {"history_items", 0}, {"history_workdays", 0}, {"milestones", json::array()},
           {"note", fmt::format("no usable throughput history: {}", reason)}};
  return out.dump(2) + "\n";
}

std::string forecast(const model::Plan& plan, const forecast::Forecast& fc, const schedule::Schedule& s,
                     const std::vector<status::Status>& statuses, const forecast::Options& o, Format f,
                     std::string_view scope) {
  if (f == Format::json) return forecast_json(plan, fc, s, statuses, o).dump(2) + "\n";
  const bool csv = f == Format::csv;
  Table t{{"milestone", "to go", "done", "p50", "p70", "p85", "p95", "target", "chance", "status"},
          {false, true, true, false, false, false, false, false, true, false}, {}};
  if (csv) t.headers = {"milestone", "items", "ranked_before", "done", "scope", "p50", "p70", "p85", "p95", "target", "chance", "status"};
  for (const auto& m : fc.milestones) {
    const auto& mm = plan.milestones[m.milestone];
    const schedule::MilestoneRow* row = nullptr;
    for (const auto& r : s.milestones) row = r.milestone == m.milestone ? &r : row;
    std::string chance = m.chance ? (csv ? format_number(*m.chance, 4) : forecast::chance_text(*m.chance)) : "";
    const auto& st = statuses[m.milestone];
    std::vector<std::string> cells{str(mm.id)};
    if (csv) {
      cells.insert(cells.end(), {std::to_string(m.items), std::to_string(m.ranked_before),
                                 row ? std::to_string(row->done) : "", row ? std::to_string(row->scope) : ""});
    } else {
      cells.insert(cells.end(), {to_go_text(m.items, m.ranked_before), row ? done_text(row->done, row->scope) : ""});
    }
    cells.insert(cells.end(), {date_cell(m.p50), date_cell(m.p70), date_cell(m.p85), date_cell(m.p95),
                               mm.target.has() ? to_string(*mm.target) : "", chance,
                               csv ? std::string(st.key()) : st.text()});
    t.rows.push_back(std::move(cells));
  }
  if (f == Format::csv) return t.csv();
  if (fc.milestones.empty()) return fmt::format("No milestones to forecast{}.\n", scoped(scope));
  std::string head = fmt::format("Forecast from {}{}: {} runs (seed {}), throughput of {}", to_string(fc.start),
                                 scoped(scope), o.runs, o.seed, history_text(fc, o));
  std::string notes;
  for (const auto& m : fc.milestones)
    if (!m.note.empty()) notes += fmt::format("{}: {}\n", str(plan.milestones[m.milestone].id), m.note);
  notes += "To go: undone items up to the milestone's last one in the schedule's order, including other items "
           "ranked before it. Done: done / scope.\n";
  if (f == Format::markdown) return "## " + head + "\n\n" + t.markdown() + "\n" + notes;
  return head + "\n\n" + t.text() + "\n" + notes;
}

std::string utilisation_text(const std::optional<double>& u) {
  return u ? format_number(*u * 100, 0) + "%" : "-";
}

std::string period_name(const workload::Period& p) {
  return p.sprint ? fmt::format("sprint {}", *p.sprint) : "week of " + to_string(p.start);
}

std::string load(const model::Plan& plan, const workload::Load& l, Format f, std::string_view scope) {
  const auto& people = plan.config.people;
  auto late_ids = [&](const workload::Period& p, const char* sep) {
    std::vector<std::string> ids;
    for (std::size_t i : p.late) ids.push_back(str(plan.items[i].id));
    return join(ids, sep);
  };
  if (f == Format::json) {
    json rows = json::array();
    for (const auto& pl : l.people) {
      json periods = json::array();
      for (const auto& p : pl.periods) {
        json late = json::array();
        for (std::size_t i : p.late) late.push_back(str(plan.items[i].id));
        periods.push_back({{"start", to_string(p.start)},
                           {"end", to_string(p.end)},
                           {"sprint", p.sprint ? json(*p.sprint) : json(nullptr)},
                           {"effort", round4(p.effort)},
                           {"capacity", round4(p.capacity)},
                           {"utilisation", p.utilisation ? json(round4(*p.utilisation)) : json(nullptr)},
                           {"idle", p.idle},
                           {"overloaded", p.overloaded},
                           {"late", late}});
      }
      rows.push_back({{"id", str(people[pl.person].id)}, {"periods", periods}});
    }
    return json{{"periods", l.sprints ? "sprints" : "weeks"}, {"people", rows}}.dump(2) + "\n";
  }
  Table t{{"person", "period", "start", "end", "effort", "capacity", "utilisation", "flag"},
          {false, false, false, false, true, true, true, false}, {}};
  if (f == Format::csv) t.headers = {"person", "sprint", "start", "end", "effort", "capacity", "utilisation", "idle",
                                     "overloaded", "late"};
  for (const auto& pl : l.people)
    for (const auto& p : pl.periods) {
      std::string who = str(people[pl.person].id);
      if (f == Format::csv) {
        t.rows.push_back({who, p.sprint ? std::to_string(*p.sprint) : "", to_string(p.start), to_string(p.end),
                          format_number(p.effort, 4), format_number(p.capacity, 4),
                          p.utilisation ? format_number(*p.utilisation, 4) : "", p.idle ? "true" : "false",
                          p.overloaded ? "true" : "false", late_ids(p, " ")});
        continue;
      }
      std::string flag = p.overloaded ? "overloaded: " + late_ids(p, ", ") + " due, finish later" : p.idle ? "idle" : "";
      t.rows.push_back({who, period_name(p), to_string(p.start), to_string(p.end), format_number(p.effort, 1),
                        format_number(p.capacity, 1), utilisation_text(p.utilisation), flag});
    }
  if (f == Format::csv) return t.csv();
  std::string head = fmt::format("Load per person and {}{}: {} {}", l.sprints ? "sprint" : "week", scoped(scope), l.people.size(),
                                 l.people.size() == 1 ? "person" : "people");
  std::string note = fmt::format("\nidle: below {}% of capacity; overloaded: an assigned item due in the period (its "
                                 "milestone's target) finishes after it\n",
                                 format_number(workload::k_idle_below * 100, 0));
  if (f == Format::markdown) return "## " + head + "\n\n" + t.markdown() + note;
  return head + "\n\n" + t.text() + note;
}

namespace {

json risks_json(const model::Plan& plan, const risks::Report& r) {
  json rows = json::array();
  for (const auto& row : r.rows) {
    const auto& rk = plan.risks[row.risk];
    rows.push_back({{"rank", row.rank},
                    {"id", str(rk.id)},
                    {"title", str(rk.title)},
                    {"exposure", row.exposure ? json(*row.exposure) : json(nullptr)},
                    {"band", row.band.empty() ? json(nullptr) : json(row.band)},
                    {"owner", rk.owner.has() ? json(*rk.owner) : json(nullptr)},
                    {"response", rk.response.has() ? json(model::to_string(*rk.response)) : json(nullptr)},
                    {"review", opt_date(rk.review.value)},
                    {"overdue", row.overdue},
                    {"affects", row.affects},
                    {"milestones", row.milestones}});
  }
  json heat = json::array();
  for (const auto& p : r.heatmap) heat.push_back(p);
  return json{{"risks", rows}, {"heatmap", heat}};
}

/// The risk ranking; in CSV titles are whole, items and milestones space-separated, overdue a column.
Table risk_rows(const model::Plan& plan, const risks::Report& r, Format f) {
  Table t{{"rank", "id", "title", "exposure", "band", "owner", "response", "review", "affects"},
          {true, false, false, true}, {}};
  for (const auto& row : r.rows) {
    const auto& rk = plan.risks[row.risk];
    std::string review = rk.review.has() ? to_string(*rk.review) : "";
    if (row.overdue) review += f == Format::csv ? "" : " (overdue)";
    std::vector<std::string> affects = row.affects;
    for (const auto& m : row.milestones)
      if (std::find(affects.begin(), affects.end(), m) == affects.end()) affects.push_back("→" + m);
    t.rows.push_back({std::to_string(row.rank), str(rk.id),
                      f == Format::csv ? str(rk.title) : ellipsize_columns(str(rk.title), 40),
                      row.exposure ? std::to_string(*row.exposure) : "", row.band, str(rk.owner),
                      rk.response.has() ? std::string(model::to_string(*rk.response)) : "", review,
                      join(affects, f == Format::csv ? " " : ", ")});
  }
  if (f == Format::csv) {
    t.headers.push_back("overdue");
    for (std::size_t k = 0; k < r.rows.size(); ++k) t.rows[k].push_back(r.rows[k].overdue ? "true" : "false");
  }
  return t;
}

/// Heat map: probability 5 (top) to 1, impact 1 to 5; empty cells "." in text.
Table heat_map(const risks::Report& r, Format f) {
  Table heat{{"probability \\ impact", "1", "2", "3", "4", "5"}, {false, true, true, true, true, true}, {}};
  for (int p = 5; p >= 1; --p) {
    std::vector<std::string> row{std::to_string(p)};
    for (int i = 1; i <= 5; ++i) {
      int n = r.heatmap[static_cast<std::size_t>(p - 1)][static_cast<std::size_t>(i - 1)];
      row.push_back(n ? std::to_string(n) : (f == Format::markdown ? "" : "."));
    }
    heat.rows.push_back(row);
  }
  return heat;
}

}  // namespace

std::string risks(const model::Plan& plan, const risks::Report& r, Format f, bool overdue_only, std::string_view scope) {
  if (f == Format::json) return risks_json(plan, r).dump(2) + "\n";
  Table t = risk_rows(plan, r, f);
  if (f == Format::csv) return t.csv();
  // Nothing to show is one sentence, not a header-only table and an empty heat map.
  std::string which = scoped(scope);
  if (r.rows.empty()) return fmt::format("No {} risks{}.\n", overdue_only ? "overdue" : "open", which);
  Table heat = heat_map(r, f);
  std::string head = fmt::format("{} risks{}: {}", overdue_only ? "Overdue" : "Open", which, r.rows.size());
  if (f == Format::markdown) return "## " + head + "\n\n" + t.markdown() + "\n### Heat map\n\n" + heat.markdown();
  return head + "\n\n" + t.text() + "\nHeat map (count of risks)\n\n" + heat.text();
}

}  // namespace tandem::render
