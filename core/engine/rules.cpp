#include "core/engine/rules.hpp"

#include "core/plan/edit.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/plan/kinds.hpp"

namespace tandem {

namespace {
nlohmann::json requirement_json(const ownership::Requirement& r) {
  return {{r.all ? "all" : "any", r.roles}};
}
}  // namespace

namespace {

/// A requirement as a YAML value: a role, a flow list of roles, or {all: [...]}.
edit::Value requirement_value(const ownership::Requirement& r) {
  using V = edit::Value;
  V roles{V::Kind::list, {}, {}, {}};
  for (const auto& role : r.roles) roles.items.push_back({V::Kind::string, role, {}, {}});
  if (r.all) return {V::Kind::map, {}, {}, {{"all", roles}}};
  if (roles.items.size() == 1) return roles.items.front();
  return roles;
}

}  // namespace

std::string rules_yaml(const ownership::Rules& rules, bool from_config) {
  using V = edit::Value;
  std::string out = from_config ? "# ownership rules in force: tandem.yaml's `ownership`, defaults where it is silent\n"
                                : "# ownership rules in force: tandem's defaults (tandem.yaml has no `ownership`)\n";
  auto effective = rules.effective();
  V kinds_map{V::Kind::map, {}, {}, {}, true};
  for (const auto& k : kinds::k_kinds) {
    std::string kind(k.name);
    const auto& kr = effective.at(kind);
    V fields{V::Kind::map, {}, {}, {}, true};
    for (const auto& [field, req] : kr.fields) fields.entries.push_back({field, requirement_value(req)});
    fields.entries.push_back({"*", requirement_value(*kr.any_field)});
    V section{V::Kind::map, {}, {}, {}, true};
    section.entries = {{"create", requirement_value(*kr.create)}, {"delete", requirement_value(*kr.remove)},
                       {"fields", fields}};
    kinds_map.entries.push_back({kind, section});
  }
  V doc{V::Kind::map, {}, {}, {{"ownership", kinds_map}}, true};
  return out + edit::emit_block(doc);
}

std::string rules_json(const ownership::Rules& rules) {
  nlohmann::json out = nlohmann::json::object();
  auto effective = rules.effective();
  for (const auto& k : kinds::k_kinds) {
    std::string kind(k.name);
    const auto& kr = effective.at(kind);
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [field, req] : kr.fields) fields[field] = requirement_json(req);
    fields["*"] = requirement_json(*kr.any_field);
    out[kind] = {{"create", requirement_json(*kr.create)}, {"delete", requirement_json(*kr.remove)}, {"fields", fields}};
  }
  return nlohmann::json{{"ownership", out}}.dump(2) + "\n";
}

}  // namespace tandem
