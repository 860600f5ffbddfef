#include "core/plan/init.hpp"

#include "core/plan/schema.hpp"

namespace tandem::init {

namespace {

constexpr const char* k_config = R"(# yaml-language-server: $schema=.tandem/schemas/config.schema.json
# tandem's configuration: the team, who decides what, and the calendar.
# `tandem check` validates all plan files; `tandem rules` prints who may change what.
version: 1
project:
  name: My project
  start: 2027-01-04            # planning never starts before this date

calendar:
  workdays: [mon, tue, wed, thu, fri]
  holidays: []                 # non-working days for everyone, e.g. [2027-04-05]
  # sprint: {start: 2027-01-04, length: 14}   # fixed sprints, length in calendar days

people:
  - id: pat
    name: Pat Owner
    email: pat@example.com     # commit author emails map people to their roles
    roles: [product_owner]     # owns what and why: scope (adding, dropping), value, order
  - id: max
    name: Max Manager
    email: max@example.com
    roles: [project_manager]   # owns how and when: dates, people, risks
  - id: dev
    name: Dana Developer
    email: dana@example.com
    roles: [developer]
    capacity: 1.0              # share of each workday for backlog work

priority:
  model: wsjf                  # wsjf | rice | value | moscow | manual
)";

constexpr const char* k_backlog = R"(# yaml-language-server: $schema=.tandem/schemas/backlog.schema.json
# The backlog: the order of items is the manual priority order.
items:
  - id: ITEM-1
    title: First thing users need
    owner: pat                 # the accountable product owner
    milestone: M1
    value: 8                   # WSJF: user/business value
    time_criticality: 5
    risk_reduction: 2
    size: 3                    # WSJF job size
    estimate: 2                # effort in workdays
    acceptance:
      - A user can do the first thing
  - id: ITEM-2
    title: Second thing, built on the first
    owner: pat
    milestone: M1
    value: 5
    time_criticality: 3
    risk_reduction: 1
    size: 2
    estimate: 3
    depends_on: [ITEM-1]
)";

constexpr const char* k_roadmap = R"(# yaml-language-server: $schema=.tandem/schemas/roadmap.schema.json
# Milestones: an uncommitted target is the project manager's plan; once `committed: true`, moving
# the target (or committing it) is a joint decision of product owner and project manager.
milestones:
  - id: M1
    title: First release
    goal: Users can do the first two things
    owner: max
    target: 2027-03-01
    committed: false
)";

constexpr const char* k_risks = R"(# yaml-language-server: $schema=.tandem/schemas/risks.schema.json
# The risk register: exposure = probability x impact (each 1..5).
risks:
  - id: R1
    title: A key person may be unavailable
    owner: max
    probability: 2
    impact: 3
    response: mitigate
    mitigation: Pair on every item
    review: 2027-02-01
    affects: [M1]
    delay: [1, 5]              # workdays of delay if it occurs
)";

}  // namespace

std::vector<std::pair<std::string, std::string>> starter_files() {
  std::vector<std::pair<std::string, std::string>> files = {
      {"tandem.yaml", k_config}, {"backlog.yaml", k_backlog}, {"roadmap.yaml", k_roadmap}, {"risks.yaml", k_risks}};
  for (auto kind : {schema::Kind::config, schema::Kind::backlog, schema::Kind::roadmap, schema::Kind::risks})
    files.emplace_back(".tandem/schemas/" + std::string(schema::name(kind)) + ".schema.json",
                       std::string(schema::embedded(kind)));
  return files;
}

}  // namespace tandem::init
