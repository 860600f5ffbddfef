#include "core/engine/status.hpp"

#include <fmt/format.h>

namespace tandem::status {

std::string Status::word() const {
  switch (kind) {
    case Kind::on_track: return "on track";
    case Kind::at_risk: return "at risk";
    case Kind::late: return fmt::format("late by {} workday{}", late_by, late_by == 1 ? "" : "s");
    case Kind::unknown: break;
  }
  return "unknown";
}

std::string Status::text() const {
  std::string out = word();
  if (kind == Kind::unknown && !why.empty()) out += ": " + why;
  if (plan_only && kind != Kind::unknown) out += " (plan only: no throughput history)";
  return out;
}

std::string_view Status::key() const {
  switch (kind) {
    case Kind::on_track: return "on_track";
    case Kind::at_risk: return "at_risk";
    case Kind::late: return "late";
    case Kind::unknown: break;
  }
  return "unknown";
}

Status judge(const schedule::MilestoneRow& row, const forecast::MilestoneForecast* fc, bool plan_only) {
  Status s;
  s.plan_only = plan_only;
  if (fc) s.chance = fc->chance;
  switch (row.status) {
    case schedule::MilestoneStatus::unknown:
      s.why = row.why;
      return s;
    case schedule::MilestoneStatus::late:
      s.kind = Kind::late;
      s.late_by = row.late_by;
      return s;
    case schedule::MilestoneStatus::on_track: break;
  }
  s.kind = s.chance && *s.chance < 0.5 ? Kind::at_risk : Kind::on_track;
  return s;
}

std::vector<Status> judge_all(const model::Plan& plan, const schedule::Schedule& sched,
                              const std::optional<forecast::Forecast>& fc) {
  std::vector<Status> out(plan.milestones.size());
  for (const auto& row : sched.milestones) {
    const forecast::MilestoneForecast* mf = nullptr;
    if (fc)
      for (const auto& m : fc->milestones)
        if (m.milestone == row.milestone) mf = &m;
    if (row.milestone < out.size()) out[row.milestone] = judge(row, mf, !fc);
  }
  return out;
}

int exit_code(const model::Plan& plan, const std::vector<Status>& statuses, bool fail_on_late, bool fail_on_risk) {
  if (!fail_on_late && !fail_on_risk) return 0;
  for (std::size_t m = 0; m < statuses.size() && m < plan.milestones.size(); ++m) {
    const auto& ms = plan.milestones[m];
    if (ms.committed.has() && *ms.committed && statuses[m].fails(fail_on_risk)) return 1;
  }
  return 0;
}

}  // namespace tandem::status
