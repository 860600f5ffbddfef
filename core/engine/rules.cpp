#include "core/engine/rules.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/plan/kinds.hpp"

namespace tandem {

namespace {
nlohmann::json requirement_json(const ownership::Requirement& r) {
  return {{r.all ? "all" : "any", r.roles}};
}
}  // namespace

std::string rules_yaml(const ownership::Rules& rules, bool from_config) {
  std::string out = from_config ? "# ownership rules in force: tandem.yaml's `ownership`, defaults where it is silent\n"
                                : "# ownership rules in force: tandem's defaults (tandem.yaml has no `ownership`)\n";
  out += "ownership:\n";
  auto effective = rules.effective();
  for (const auto& k : kinds::k_kinds) {
    std::string kind(k.name);
    const auto& kr = effective.at(kind);
    out += fmt::format("  {}:\n", kind);
    out += fmt::format("    create: {}\n", ownership::to_string(*kr.create));
    out += fmt::format("    delete: {}\n", ownership::to_string(*kr.remove));
    out += "    fields:\n";
    for (const auto& [field, req] : kr.fields) out += fmt::format("      {}: {}\n", field, ownership::to_string(req));
    out += fmt::format("      \"*\": {}\n", ownership::to_string(*kr.any_field));
  }
  return out;
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
