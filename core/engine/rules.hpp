#pragma once
#include <string>

#include "core/plan/ownership.hpp"

namespace tandem {

/// The rules in force as the `ownership:` YAML of SPEC section 3, with a comment saying where they come from.
std::string rules_yaml(const ownership::Rules& rules, bool from_config);
/// The rules in force as JSON: {"ownership": {kind: {"create", "delete", "fields": {name: requirement}}}},
/// a requirement being {"any": [roles]} or {"all": [roles]}.
std::string rules_json(const ownership::Rules& rules);

}  // namespace tandem
