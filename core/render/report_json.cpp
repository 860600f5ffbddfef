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
    // The status as schedule's JSON spells it (SPEC 11: on_track, late, unknown), with late_by.
    const auto& m = in.schedule.milestones[k];
    bool late = m.status == schedule::MilestoneStatus::late;
    out.push_back({{"id", row[0]}, {"title", row[1]}, {"target", text_or_null(row[2])},
                   {"finish", text_or_null(row[3])}, {"status", schedule::to_string(m.status)},
                   {"late_by", late ? json(m.late_by) : json(nullptr)}, {"p85", text_or_null(row[5])},
                   {"chance", c ? json(round_decimal(*c, 4)) : json(nullptr)}});
  }
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
          {"milestones", milestones_json(in)}, {"priorities", priorities}, {"risks", risks_j},
          {"heatmap", heat}, {"recent_changes", recent_json(in)},
          {"recent_window", {{"from", to_string(recent_window(in).from)}, {"to", to_string(recent_window(in).to)}}},
          {"recent_note", text_or_null(in.recent_note)}};
}

}  // namespace

std::string render_json(const Inputs& in) {
  return report_json(in).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace tandem::report
