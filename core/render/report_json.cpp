#include <cmath>
#include <nlohmann/json.hpp>

#include "core/render/report.hpp"

namespace tandem::report {

namespace {

using nlohmann::json;

json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json milestones_json(const Inputs& in) {
  json out = json::array();
  const auto rows = milestone_table(in).rows;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& row = rows[k];
    std::optional<double> c = in.forecast ? in.forecast->milestones[k].chance : std::nullopt;
    // The one status of SPEC 8, spelt as schedule's JSON spells its own (SPEC 11: on_track, late,
    // unknown) plus at_risk (the plan meets the target, the forecast gives less than 50 %), with late_by.
    const auto& m = in.schedule.milestones[k];
    bool late = m.status == schedule::MilestoneStatus::late;
    bool at_risk = forecast::outlook(m, c) == "at risk";
    out.push_back({{"id", row[0]}, {"title", row[1]}, {"target", text_or_null(row[2])},
                   {"finish", text_or_null(row[3])}, {"status", at_risk ? "at_risk" : schedule::to_string(m.status)},
                   {"late_by", late ? json(m.late_by) : json(nullptr)}, {"p85", text_or_null(row[5])},
                   {"chance", c ? json(round_decimal(*c, 4)) : json(nullptr)}});
  }
  return out;
}

json load_json(const Inputs& in) {
  json people = json::array();
  for (const auto& pl : in.load.people) {
    json periods = json::array();
    for (const auto& p : pl.periods) {
      json late = json::array();  // as the load command's JSON has them
      for (std::size_t i : p.late) late.push_back(text_of(in.plan->items[i].id));
      periods.push_back({{"start", to_string(p.start)},
                         {"end", to_string(p.end)},
                         {"sprint", p.sprint ? json(*p.sprint) : json(nullptr)},
                         {"effort", std::round(p.effort * 1e4) / 1e4},
                         {"capacity", std::round(p.capacity * 1e4) / 1e4},
                         {"utilisation", p.utilisation ? json(std::round(*p.utilisation * 1e4) / 1e4) : json(nullptr)},
                         {"idle", p.idle},
                         {"overloaded", p.overloaded},
                         {"late", late}});
    }
    people.push_back({{"id", text_of(in.plan->config.people[pl.person].id)}, {"periods", periods}});
  }
  return people;
}

json flow_json(const Inputs& in) {
  if (!in.flow) return nullptr;
  json burnups = json::array(), throughput = json::array();
  for (const auto& b : in.flow->burnups) {
    json points = json::array();
    for (const auto& p : b.points) points.push_back({{"week", to_string(p.week)}, {"done", p.done}, {"scope", p.scope}});
    burnups.push_back({{"id", text_of(in.plan->milestones[b.milestone].id)}, {"weeks", points}});
  }
  for (const auto& [week, n] : in.flow->throughput) throughput.push_back({{"week", to_string(week)}, {"done", n}});
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  return {{"burnup", burnups},
          {"throughput", throughput},
          {"cycle_time", {{"p50", opt(in.flow->cycle_p50)}, {"p85", opt(in.flow->cycle_p85)}, {"items", in.flow->cycle_items}}}};
}

json violations_json(const Inputs& in) {
  if (!in.violations) return nullptr;
  json out = json::array();
  auto value = [](const std::optional<std::string>& v) {
    return v ? json::parse(*v, nullptr, false) : json(nullptr);
  };
  for (const auto& v : *in.violations)
    out.push_back({{"date", to_string(v.commit.date)}, {"commit", v.commit.id},
                   {"person", v.person.empty() ? json(nullptr) : json(v.person)}, {"kind", v.change.kind},
                   {"id", v.change.id}, {"field", v.change.field}, {"old", value(v.change.old_value)},
                   {"new", value(v.change.new_value)}, {"requirement", v.requirement}});
  return out;
}

json recent_json(const Inputs& in) {
  if (!in.recent) return nullptr;
  json out = json::array();
  for (const auto& c : *in.recent)
    out.push_back({{"date", c.date}, {"commit", c.commit}, {"who", c.who}, {"change", c.what}});
  return out;
}

json report_json(const Inputs& in) {
  json priorities = json::array();
  const auto top = priority_table(in, 10).rows;
  for (std::size_t k = 0; k < top.size(); ++k)
    priorities.push_back(
        {{"rank", in.ranking.rows[k].rank}, {"id", top[k][1]}, {"title", top[k][2]}, {"status", top[k][4]}});
  json risks_j = json::array();
  const auto top_risks = risk_table(in, 5).rows;
  for (std::size_t k = 0; k < top_risks.size(); ++k)
    risks_j.push_back({{"rank", in.risks.rows[k].rank}, {"id", top_risks[k][1]}, {"title", top_risks[k][2]}});
  json heat = json::array();
  for (const auto& p : in.risks.heatmap) heat.push_back(p);
  return {{"project", text_of(in.plan->config.project_name)}, {"today", to_string(in.today)},
          {"milestones", milestones_json(in)}, {"priorities", priorities}, {"load", load_json(in)}, {"flow", flow_json(in)}, {"risks", risks_j},
          {"violations", violations_json(in)},
          {"heatmap", heat}, {"recent_changes", recent_json(in)},
          {"recent_window", {{"from", to_string(recent_window(in).from)}, {"to", to_string(recent_window(in).to)}}},
          {"recent_note", text_or_null(in.recent_note)}};
}

}  // namespace

std::string render_json(const Inputs& in) {
  return report_json(in).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace tandem::report
