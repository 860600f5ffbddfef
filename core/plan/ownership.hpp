#pragma once
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/plan/decode.hpp"
#include "core/base/diagnostic.hpp"
#include "core/plan/yaml.hpp"

namespace tandem::ownership {

/// Who must approve a change: any one of `roles`, or every one of them when `all`.
struct Requirement {
  std::vector<std::string> roles;
  std::vector<Mark> role_marks;  ///< where each role was written (line 0 for defaults)
  bool all = false;
};

/// The rules of one file kind. Unset entries fall back as `Rules::create/remove/field` describe.
struct KindRules {
  std::optional<Requirement> create, remove, any_field, shorthand;
  std::vector<std::pair<std::string, Requirement>> fields;  ///< named fields, in file order
};

/// The ownership rules in force for backlog, roadmap, risks and config.
struct Rules {
  std::map<std::string, KindRules> kinds;    ///< rules written in tandem.yaml, by kind
  std::map<std::string, KindRules> defaults; ///< SPEC section 3 defaults, by kind

  /// Requirement to add a record of `kind`: `create`, else the section's `"*"`, else the default.
  const Requirement& create(const std::string& kind) const;
  /// Requirement to delete a record of `kind`.
  const Requirement& remove(const std::string& kind) const;
  /// Requirement to change `field` of a record of `kind` (`order` for the list's order), where `flags` are
  /// the record's boolean fields that are true before or after the change and `values` the field's old
  /// and new values (as `value_text` gives them): `FIELD=VALUE` for a value in `values`, else
  /// `FIELD if FLAG` for a flag in `flags`, else the named field, else `fields."*"`, else the section's
  /// `"*"`, else the default.
  const Requirement& field(const std::string& kind, const std::string& field,
                           const std::vector<std::string>& flags = {},
                           const std::vector<std::string>& values = {}) const;
  /// Every rule in force, after defaults, per kind: create, delete, each named field, "*".
  std::map<std::string, KindRules> effective() const;
};

/// The rules of SPEC section 3, used where `ownership` is absent.
std::map<std::string, KindRules> default_rules();

/// Decodes the `ownership` node (nullptr when absent) into rules over the defaults.
Rules decode(const yaml::Node* node, decode::Context& ctx);

/// The key of a conditional rule: "target if committed".
std::string conditional_key(std::string_view field, std::string_view flag);
/// The key of a value rule: "status=dropped".
std::string value_key(std::string_view field, std::string_view value);

/// A rule's key in parts: "status=dropped" → {status, "", dropped}; "target if committed" → {target,
/// committed, ""}; "title" → {title, "", ""}.
struct Key {
  std::string field, flag, value;
  bool is_value = false;  ///< written `FIELD=VALUE` (the value may be empty)
};
Key parse_key(const std::string& key);

/// The text a value rule compares with a field's value: a string as it is, a number in its shortest
/// form ("3", "2.5"), true or false; nullopt for a list, a mapping or null (no value rule matches those).
std::optional<std::string> value_text(const nlohmann::json& value);
/// `value_text` of each present value (canonical JSON texts, as history gives them), for `Rules::field`.
std::vector<std::string> value_texts(const std::optional<std::string>& old_value,
                                     const std::optional<std::string>& new_value);

/// "product_owner", "[developer, project_manager]" or "{all: [product_owner, project_manager]}".
std::string to_string(const Requirement& r);
/// Every field name a kind knows ("backlog" → id, title, …, order).
const std::vector<std::string>& field_names(const std::string& kind);

}  // namespace tandem::ownership
