#include "core/plan/ownership.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base/date.hpp"
#include "core/base/text.hpp"
#include "core/plan/kinds.hpp"

namespace tandem::ownership {

namespace {

/// The names of every kind with ownership rules, in the order `tandem rules` prints them.
const std::vector<std::string>& kind_names() {
  static const auto k_names = [] {
    std::vector<std::string> names;
    for (const auto& kind : kinds::k_kinds) names.emplace_back(kind.name);
    return names;
  }();
  return k_names;
}

/// The requirement a table's default describes.
Requirement requirement(const kinds::OwnerDefault& d) {
  Requirement r;
  for (auto role : d.roles)
    if (!role.empty()) r.roles.emplace_back(role);
  r.all = d.all;
  return r;
}

void decode_requirement(const yaml::Node& v, decode::Context& ctx, std::optional<Requirement>& out) {
  Requirement r;
  auto add_roles = [&](const yaml::Node& list) {
    for (const auto& e : list.items) {
      if (e->type != yaml::Type::string || !decode::is_valid_id(e->text)) {
        ctx.error("wrong-type", e->mark, "a role in a requirement must be a role name");
        continue;
      }
      if (std::find(r.roles.begin(), r.roles.end(), e->text) != r.roles.end()) {
        ctx.error("duplicate-value", e->mark, fmt::format("role '{}' is listed twice in a requirement", e->text));
        continue;
      }
      r.roles.emplace_back(e->text);
      r.role_marks.push_back(e->mark);
    }
  };
  if (v.type == yaml::Type::string && decode::is_valid_id(v.text)) {
    r.roles.emplace_back(v.text);
    r.role_marks.push_back(v.mark);
  } else if (v.type == yaml::Type::sequence) {
    add_roles(v);
  } else if (v.type == yaml::Type::mapping && v.entries.size() == 1 && v.entries[0].first->text == "all" &&
             v.entries[0].second->type == yaml::Type::sequence) {
    r.all = true;
    add_roles(*v.entries[0].second);
  } else {
    ctx.error("wrong-type", v.mark,
              "a requirement is a role, a list of roles (any one), or {all: [roles]} (every one)");
    return;
  }
  if (r.roles.empty()) {
    ctx.error("wrong-type", v.mark, "a requirement names at least one role");
    return;
  }
  out = std::move(r);
}

/// The boolean fields of a kind: the flags a conditional key `FIELD if FLAG` may name.
std::vector<std::string> flag_names(const std::string& kind) {
  std::vector<std::string> out;
  if (const auto* k = kinds::find(kind))
    for (const auto& f : k->fields)
      if (f.type == kinds::Type::boolean) out.emplace_back(f.name);
  return out;
}

/// A number in the form value rules compare: the shortest that reads back ("3", "2.5").
std::string number_text(double d) { return fmt::format("{}", d); }

/// The value of a value rule `FIELD=VALUE` as it compares with the field's values (`value_text`), or
/// nullopt with an error at `mark` when the field has no such value.
std::optional<std::string> rule_value(const std::string& kind, const Key& key, const Mark& mark,
                                      decode::Context& ctx) {
  const auto* info = kinds::find(kind);
  const auto* f = info ? kinds::field(*info, key.field) : nullptr;
  using T = kinds::Type;
  std::string text = fmt::format("'{}'", ellipsize(value_key(key.field, key.value)));
  if (!f || f->type == T::id_list || f->type == T::string_set || f->type == T::string_list || f->type == T::rice ||
      f->type == T::delay || f->type == T::section) {
    ctx.error("unknown-key", mark, fmt::format("{}: a value rule needs a field with one value ({} of {} is not one)",
                                               text, key.field, kind));
    return std::nullopt;
  }
  auto bad = [&](std::string what, std::string hint = {}) -> std::optional<std::string> {
    ctx.error("invalid-value", mark, fmt::format("{}: {}", text, what), std::move(hint));
    return std::nullopt;
  };
  if (key.value.empty()) return bad("a value rule names the value after '=' (e.g. status=dropped)");
  switch (f->type) {
    case T::enumeration: {
      std::vector<std::string> names(f->values.begin(), f->values.end());
      if (std::find(names.begin(), names.end(), key.value) == names.end())
        return bad(fmt::format("{} is one of {}", key.field, join(names, ", ")), did_you_mean(key.value, names));
      return key.value;
    }
    case T::number:
    case T::integer: {
      // Digits with an optional fraction, as the schema's pattern has it: -?[0-9]+(\.[0-9]+)?
      std::string_view v = key.value;
      if (v.starts_with('-')) v.remove_prefix(1);
      auto dot = v.find('.');
      auto digits = [](std::string_view d) { return !d.empty() && d.find_first_not_of("0123456789") == d.npos; };
      if (!digits(v.substr(0, dot)) || (dot != v.npos && !digits(v.substr(dot + 1))))
        return bad(key.field + " is a number (digits, with a decimal point where needed)");
      return number_text(std::strtod(key.value.c_str(), nullptr));
    }
    case T::boolean:
      if (key.value != "true" && key.value != "false") return bad(key.field + " is true or false");
      return key.value;
    case T::date:
      if (!parse_date(key.value)) return bad(key.field + " is a date, YYYY-MM-DD");
      return key.value;
    case T::id:
      if (!decode::is_valid_id(key.value)) return bad(key.field + " is an id");
      return key.value;
    default:
      return key.value;
  }
}

/// One entry of a section's `fields`: `FIELD`, `FIELD if FLAG` or `FIELD=VALUE`, and its requirement.
void decode_field_rule(const std::string& kind, const yaml::Node& fk, const yaml::Node& fv, decode::Context& ctx,
                       KindRules& kr) {
  Key key = parse_key(std::string(fk.text));
  if (!key.flag.empty()) {
    auto flags = flag_names(kind);
    if (std::find(flags.begin(), flags.end(), key.flag) == flags.end()) {
      ctx.error("unknown-key", fk.mark,
                flags.empty() ? fmt::format("'{}': {} has no boolean field to be a condition", ellipsize(fk.text), kind)
                              : fmt::format("'{}': the condition must be a boolean field of {} ({})",
                                            ellipsize(fk.text), kind, join(flags, ", ")),
                flags.empty() ? std::string() : did_you_mean(key.flag, flags));
      return;
    }
  }
  if (key.field == "id" && kind != "config") {
    ctx.error("unknown-key", fk.mark,
              "'id' takes no rule of its own: changing an id deletes a record and creates another",
              "use 'create' and 'delete'");
    return;
  }
  const auto& known = field_names(kind);
  if (std::find(known.begin(), known.end(), key.field) == known.end()) {
    ctx.error("unknown-key", fk.mark,
              fmt::format("'{}' is not a field of {} (fields: {})", ellipsize(key.field), kind, join(known, ", ")),
              did_you_mean(key.field, known));
    return;
  }
  std::string name(fk.text);
  if (key.is_value) {
    auto value = rule_value(kind, key, fk.mark, ctx);
    if (!value) return;
    name = value_key(key.field, *value);
  }
  std::optional<Requirement> req;
  decode_requirement(fv, ctx, req);
  if (req) kr.fields.emplace_back(std::move(name), std::move(*req));
}

}  // namespace

std::string conditional_key(std::string_view field, std::string_view flag) {
  return fmt::format("{} if {}", field, flag);
}

std::string value_key(std::string_view field, std::string_view value) { return fmt::format("{}={}", field, value); }

Key parse_key(const std::string& key) {
  Key k;
  if (auto eq = key.find('='); eq != std::string::npos) {
    k.field = key.substr(0, eq);
    k.value = key.substr(eq + 1);
    k.is_value = true;
  } else if (auto at = key.find(" if "); at != std::string::npos) {
    k.field = key.substr(0, at);
    k.flag = key.substr(at + 4);
  } else {
    k.field = key;
  }
  return k;
}

std::optional<std::string> value_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return number_text(v.get<double>());
  return std::nullopt;
}

std::vector<std::string> value_texts(const std::optional<std::string>& old_value,
                                     const std::optional<std::string>& new_value) {
  std::vector<std::string> out;
  for (const auto* v : {&old_value, &new_value}) {
    if (!*v) continue;
    auto j = nlohmann::json::parse(**v, nullptr, false);
    if (j.is_discarded()) continue;
    if (auto t = value_text(j)) out.push_back(std::move(*t));
  }
  return out;
}

const std::vector<std::string>& field_names(const std::string& kind) {
  static const auto k_fields = [] {
    std::map<std::string, std::vector<std::string>, std::less<>> fields;
    for (const auto& k : kinds::k_kinds) {
      auto& names = fields[std::string(k.name)];
      for (const auto& f : k.fields) names.emplace_back(f.name);
      if (!k.list_key.empty()) names.emplace_back("order");
    }
    return fields;
  }();
  static const std::vector<std::string> k_none;
  auto it = k_fields.find(kind);
  return it == k_fields.end() ? k_none : it->second;
}

std::map<std::string, KindRules> default_rules() {
  std::map<std::string, KindRules> d;
  for (const auto& kind : kinds::k_kinds) {
    KindRules& kr = d[std::string(kind.name)];
    kr.create = requirement(kind.create);
    kr.remove = requirement(kind.remove);
    kr.any_field = requirement(kind.any_field);
    std::vector<std::pair<int, std::pair<std::string, Requirement>>> named;  // by rank
    for (const auto& f : kind.fields) {
      if (f.owner.rank > 0) named.push_back({f.owner.rank, {std::string(f.name), requirement(f.owner)}});
      if (f.owner_if.rank > 0)
        named.push_back({f.owner_if.rank, {conditional_key(f.name, f.owner_flag), requirement(f.owner_if)}});
      if (f.owner_is.rank > 0)
        named.push_back({f.owner_is.rank, {value_key(f.name, f.owner_value), requirement(f.owner_is)}});
    }
    std::sort(named.begin(), named.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [rank, rule] : named) kr.fields.push_back(std::move(rule));
  }
  return d;
}

Rules decode(const yaml::Node* node, decode::Context& ctx) {
  Rules rules;
  rules.defaults = default_rules();
  if (!node) return rules;
  if (node->type != yaml::Type::mapping) {
    ctx.error("wrong-type", node->mark, fmt::format("'ownership' must be a mapping, not {}", yaml::describe(*node)));
    return rules;
  }
  for (const auto& [k, v] : node->entries) {
    std::string kind(k->text);
    if (kind.starts_with("x-")) continue;
    if (!kinds::find(kind)) {
      ctx.error("unknown-key", k->mark, fmt::format("unknown key '{}' in 'ownership'", ellipsize(kind)),
                did_you_mean(kind, kind_names()));
      continue;
    }
    if (v->type != yaml::Type::mapping) {
      ctx.error("wrong-type", v->mark, fmt::format("'ownership.{}' must be a mapping, not {}", kind, yaml::describe(*v)));
      continue;
    }
    KindRules& kr = rules.kinds[kind];
    for (const auto& [sk, sv] : v->entries) {
      std::string_view key = sk->text;
      if (key == "create") decode_requirement(*sv, ctx, kr.create);
      else if (key == "delete") decode_requirement(*sv, ctx, kr.remove);
      else if (key == "*") decode_requirement(*sv, ctx, kr.shorthand);
      else if (key == "fields") {
        if (sv->type != yaml::Type::mapping) {
          ctx.error("wrong-type", sv->mark, "'fields' must be a mapping of field name to requirement");
          continue;
        }
        for (const auto& [fk, fv] : sv->entries) {
          if (fk->text.starts_with("x-")) continue;
          if (fk->text == "*") {
            decode_requirement(*fv, ctx, kr.any_field);
            continue;
          }
          decode_field_rule(kind, *fk, *fv, ctx, kr);
        }
      } else if (!key.starts_with("x-")) {
        ctx.error("unknown-key", sk->mark, fmt::format("unknown key '{}' in 'ownership.{}'", ellipsize(key), kind),
                  did_you_mean(key, {"create", "delete", "fields", "*"}));
      }
    }
  }
  return rules;
}

const Requirement& Rules::create(const std::string& kind) const {
  if (auto it = kinds.find(kind); it != kinds.end()) {
    if (it->second.create) return *it->second.create;
    if (it->second.shorthand) return *it->second.shorthand;
  }
  return *defaults.at(kind).create;
}

const Requirement& Rules::remove(const std::string& kind) const {
  if (auto it = kinds.find(kind); it != kinds.end()) {
    if (it->second.remove) return *it->second.remove;
    if (it->second.shorthand) return *it->second.shorthand;
  }
  return *defaults.at(kind).remove;
}

const Requirement& Rules::field(const std::string& kind, const std::string& name,
                                const std::vector<std::string>& flags, const std::vector<std::string>& values) const {
  // A section's value rule that matches takes precedence over its conditional rule whose flag is set,
  // and that over its plain rule.
  auto named = [&](const KindRules& kr) -> const Requirement* {
    for (const auto& value : values)
      for (const auto& [f, r] : kr.fields)
        if (f == value_key(name, value)) return &r;
    for (const auto& flag : flags)
      for (const auto& [f, r] : kr.fields)
        if (f == conditional_key(name, flag)) return &r;
    for (const auto& [f, r] : kr.fields)
      if (f == name) return &r;
    return nullptr;
  };
  if (auto it = kinds.find(kind); it != kinds.end()) {
    if (auto r = named(it->second)) return *r;
    if (it->second.any_field) return *it->second.any_field;
    if (it->second.shorthand) return *it->second.shorthand;
  }
  const KindRules& d = defaults.at(kind);
  if (auto r = named(d)) return *r;
  return *d.any_field;
}

std::map<std::string, KindRules> Rules::effective() const {
  std::map<std::string, KindRules> out;
  for (const auto& kind : kind_names()) {
    KindRules kr;
    kr.create = create(kind);
    kr.remove = remove(kind);
    std::vector<std::string> named;
    auto collect = [&](const KindRules& src, const std::vector<std::string>& shadowed) {
      for (const auto& [f, r] : src.fields)
        if (std::find(named.begin(), named.end(), f) == named.end() &&
            std::find(shadowed.begin(), shadowed.end(), parse_key(f).field) == shadowed.end())
          named.push_back(f);
    };
    std::vector<std::string> written;  // fields the section names plainly: a default's condition on them is not in force
    if (auto it = kinds.find(kind); it != kinds.end()) {
      collect(it->second, {});
      for (const auto& [f, r] : it->second.fields)
        if (auto key = parse_key(f); key.flag.empty() && !key.is_value) written.push_back(f);
    }
    // Defaults' named fields stay in force only when the section sets no "*" that replaces them.
    bool replaced = kinds.count(kind) && (kinds.at(kind).any_field || kinds.at(kind).shorthand);
    if (!replaced) collect(defaults.at(kind), written);
    for (const auto& f : named) {
      auto key = parse_key(f);
      kr.fields.emplace_back(f, key.is_value ? field(kind, key.field, {}, {key.value})
                                : key.flag.empty() ? field(kind, key.field)
                                                   : field(kind, key.field, {key.flag}));
    }
    kr.any_field = field(kind, "*");
    out[kind] = std::move(kr);
  }
  return out;
}

std::string to_string(const Requirement& r) {
  if (r.all) return fmt::format("{{all: [{}]}}", join(r.roles, ", "));
  if (r.roles.size() == 1) return r.roles[0];
  return fmt::format("[{}]", join(r.roles, ", "));
}

}  // namespace tandem::ownership
