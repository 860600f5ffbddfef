#include <cmath>
#include <nlohmann/json.hpp>

#include "core/render/report.hpp"
#include "core/render/tables.hpp"

namespace tandem::report {

namespace {

using nlohmann::json;

json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json milestones_json(const Inputs& in) {
  json out = json::array();
  for (const auto& m : in.schedule.milestones) {
    const auto& ms = in.plan->milestones[m.milestone];
    const auto* fc = milestone_forecast(in, m.milestone);
    auto st = milestone_status(in, m);  // the one status of SPEC 8, spelt as SPEC 11 says
    auto share = render::done_share(m.done, m.scope);
    out.push_back({{"id", text_of(ms.id)}, {"title", text_of(ms.title)}, {"target", text_or_null(date_text(ms.target.value))},
                   {"finish", text_or_null(date_text(m.finish))}, {"done", m.done}, {"scope", m.scope},
                   {"done_share", share ? json(*share) : json(nullptr)}});
    render::status_json(out.back(), st);
    out.back()["p85"] = text_or_null(date_text(fc ? fc->p85 : std::nullopt));
    out.back()["chance"] = fc && fc->chance ? json(round_decimal(*fc->chance, 4)) : json(nullptr);
  }
  return out;
}

/// Which throughput history the forecast sampled, or null without a forecast.
json forecast_json(const Inputs& in) {
  if (!in.forecast) return nullptr;
  const auto& fc = *in.forecast;
  return {{"window", in.forecast_options.window}, {"history_from", to_string(fc.history_from)},
          {"history_items", fc.history_items}, {"history_workdays", fc.samples.size()}};
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
                   {"id", v.change.kind == "config" ? json(nullptr) : json(v.change.id)}, {"field", v.change.field},
                   {"old", value(v.change.old_value)}, {"new", value(v.change.new_value)},
                   {"requirement", v.requirement}, {"code", v.code}});
  return out;
}

/// The range whose violations the report shows (`audit BASE..HEAD`; base null for the whole history).
json violations_range_json(const Inputs& in) {
  if (!in.violations_range) return nullptr;
  const auto& r = *in.violations_range;
  return {{"base", r.base ? json(r.base->hex()) : json(nullptr)}, {"head", r.head.hex()}};
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
  const auto top_risks = risk_table(in, k_top_risks).rows;
  for (std::size_t k = 0; k < top_risks.size(); ++k)
    risks_j.push_back({{"rank", in.risks.rows[k].rank}, {"id", top_risks[k][1]}, {"title", top_risks[k][2]}});
  json heat = json::array();
  for (const auto& p : in.risks.heatmap) heat.push_back(p);
  return {{"project", text_of(in.plan->config.project_name)}, {"today", to_string(in.today)},
          {"milestones", milestones_json(in)}, {"forecast", forecast_json(in)}, {"priorities", priorities}, {"load", load_json(in)}, {"flow", flow_json(in)}, {"risks", risks_j},
          {"violations", violations_json(in)}, {"violations_range", violations_range_json(in)},
          {"violations_note", text_or_null(in.violations_note)},
          {"violations_problems", in.violations ? json(in.violations_problems) : json(nullptr)},
          {"heatmap", heat}, {"recent_changes", recent_json(in)},
          {"recent_window", {{"from", to_string(recent_window(in).from)}, {"to", to_string(recent_window(in).to)}}},
          {"recent_note", text_or_null(in.recent_note)}};
}

}  // namespace

std::string render_json(const Inputs& in) {
  return report_json(in).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace tandem::report
