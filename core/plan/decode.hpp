#pragma once
#include <string>
#include <string_view>

#include "core/base/diagnostic.hpp"
#include "core/plan/model.hpp"
#include "core/plan/yaml.hpp"

namespace tandem::decode {

/// Where decoded values come from, and where findings go. `structural` is set when a finding that
/// the JSON Schema also reports (type, key, enum, range, pattern) was made since it was last cleared.
struct Context {
  Diagnostics& diags;
  std::string file;
  model::FileIndex index = 0;
  bool structural = false;

  void error(std::string code, Mark mark, std::string message, std::string hint = {}, bool schema = true);
};

/// Decodes tandem.yaml's root mapping into `config`; `ownership` is left to `ownership::decode`.
void decode_config(const yaml::Node& root, Context& ctx, model::Config& config);
/// Fills the defaults of SPEC 1.1 into `config` where `roles`, `separate`, `accountable` (per kind) or `pool`
/// was not written; a second call changes nothing. The defaulted values carry line 0.
void resolve_defaults(model::Config& config);
/// Checks the root of a list file: a mapping with the one key `list_key` (plus `x-` keys) holding a list.
void decode_list_root(const yaml::Node& root, Context& ctx, std::string_view list_key);
void decode_item(const yaml::Node& node, Context& ctx, model::Item& item);
void decode_milestone(const yaml::Node& node, Context& ctx, model::Milestone& milestone);
void decode_risk(const yaml::Node& node, Context& ctx, model::Risk& risk);

/// True when `s` is a valid id: `^[A-Za-z][A-Za-z0-9_.-]*$`, at most 128 bytes.
bool is_valid_id(std::string_view s);

}  // namespace tandem::decode
