#pragma once
#include <nlohmann/json_fwd.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/yaml.hpp"

namespace tandem::schema {

enum class Kind { config, backlog, roadmap, risks };

/// The JSON Schema text of a kind, as in schemas/<kind>.schema.json (compiled in).
std::string_view embedded(Kind kind);
/// "config", "backlog", "roadmap" or "risks".
std::string_view name(Kind kind);
std::optional<Kind> kind_from_name(std::string_view name);

/// YAML (core-schema typed) to JSON. Numbers that JSON cannot hold (infinite, NaN) become strings,
/// so that the schema rejects them as tandem does.
nlohmann::json to_json(const yaml::Node& node);

/// One schema violation: the path of the offending value (property names and 0-based indexes,
/// from the validated value) and valijson's description.
struct Violation {
  std::vector<std::string> path;
  std::string message;
};

/// Validates against the compiled-in schemas. The schemas' `format` keywords are not evaluated:
/// tandem checks dates itself, more strictly (leap years).
class Validator {
public:
  /// The validator for all kinds, built once.
  static const Validator& instance();
  /// Validates a whole document of `kind`.
  std::vector<Violation> validate(Kind kind, const nlohmann::json& doc) const;
  /// Validates one element of the kind's top-level list (an item, a milestone, a risk).
  std::vector<Violation> validate_element(Kind kind, const nlohmann::json& element) const;

  Validator();
  ~Validator();
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// The YAML node at `path` below `node` (following mapping keys and sequence indexes), or the
/// deepest node found on the way.
const yaml::Node& node_at(const yaml::Node& node, const std::vector<std::string>& path);

}  // namespace tandem::schema
