#pragma once
#include <nlohmann/json_fwd.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plan/yaml.hpp"

namespace tandem::schema {

enum class Kind { config, backlog, roadmap, risks };

/// The JSON Schema text of a kind, as in schemas/<kind>.schema.json (compiled in).
std::string_view embedded(Kind kind);
/// "config", "backlog", "roadmap" or "risks".
std::string_view name(Kind kind);
std::optional<Kind> kind_from_name(std::string_view name);

/// YAML (core-schema typed) to JSON. Whole numbers become JSON integers (3.0 as 3, as draft-07 counts
/// them), beyond 64 bits floating point; numbers that JSON cannot hold (infinite, NaN) become strings,
/// so that the schema rejects them as tandem does.
nlohmann::json to_json(const yaml::Node& node);

/// One schema violation: the path of the offending value (property names and 0-based indexes,
/// from the validated value) and valijson's description.
struct Violation {
  std::vector<std::string> path;
  std::string message;
};

/// Validates against the compiled-in schemas, as a backstop behind tandem's decoder. The schemas'
/// `format` and `pattern` keywords are not evaluated here: the decoder checks ids, emails and dates
/// itself (dates more strictly: leap years), and the schema agreement test holds the two to the same
/// verdicts. Nor is `patternProperties: {"^x-": {}}`: `x-` keys are dropped from the value instead
/// (valijson compiles a std::regex for every object it checks against patternProperties).
class Validator {
public:
  /// The validator for all kinds, without `format` and `pattern`; each kind is compiled on first use.
  static const Validator& instance();
  /// The same with the schemas' `pattern` and `patternProperties` keywords (std::regex: only for short
  /// trusted strings, in tests).
  static const Validator& with_patterns();
  /// Validates a whole document of `kind`.
  std::vector<Violation> validate(Kind kind, nlohmann::json doc) const;
  /// Validates one element of the kind's top-level list (an item, a milestone, a risk).
  std::vector<Violation> validate_element(Kind kind, nlohmann::json element) const;

  explicit Validator(bool patterns);
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
