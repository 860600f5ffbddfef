#include "core/plan/ownership.hpp"

#include <algorithm>
#include <fmt/format.h>

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
      r.roles.push_back(e->text);
      r.role_marks.push_back(e->mark);
    }
  };
  if (v.type == yaml::Type::string && decode::is_valid_id(v.text)) {
    r.roles.push_back(v.text);
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

}  // namespace

std::string conditional_key(std::string_view field, std::string_view flag) {
  return fmt::format("{} if {}", field, flag);
}

std::pair<std::string, std::string> split_key(const std::string& key) {
  auto at = key.find(" if ");
  if (at == std::string::npos) return {key, ""};
  return {key.substr(0, at), key.substr(at + 4)};
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
    const std::string& kind = k->text;
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
      const std::string& key = sk->text;
      if (key == "create") decode_requirement(*sv, ctx, kr.create);
      else if (key == "delete") decode_requirement(*sv, ctx, kr.remove);
      else if (key == "*") decode_requirement(*sv, ctx, kr.shorthand);
      else if (key == "fields") {
        if (sv->type != yaml::Type::mapping) {
          ctx.error("wrong-type", sv->mark, "'fields' must be a mapping of field name to requirement");
          continue;
        }
        const auto& known = field_names(kind);
        for (const auto& [fk, fv] : sv->entries) {
          if (fk->text.starts_with("x-")) continue;
          if (fk->text == "*") {
            decode_requirement(*fv, ctx, kr.any_field);
            continue;
          }
          auto [field, flag] = split_key(fk->text);
          if (!flag.empty()) {
            auto flags = flag_names(kind);
            if (std::find(flags.begin(), flags.end(), flag) == flags.end()) {
              ctx.error("unknown-key", fk->mark,
                        flags.empty() ? fmt::format("'{}': {} has no boolean field to be a condition", ellipsize(fk->text), kind)
                                      : fmt::format("'{}': the condition must be a boolean field of {} ({})",
                                                    ellipsize(fk->text), kind, join(flags, ", ")),
                        flags.empty() ? std::string() : did_you_mean(flag, flags));
              continue;
            }
          }
          if (field == "id" && kind != "config") {
            ctx.error("unknown-key", fk->mark,
                      "'id' takes no rule of its own: changing an id deletes a record and creates another",
                      "use 'create' and 'delete'");
            continue;
          }
          if (std::find(known.begin(), known.end(), field) == known.end()) {
            ctx.error("unknown-key", fk->mark,
                      fmt::format("'{}' is not a field of {} (fields: {})", ellipsize(field), kind, join(known, ", ")),
                      did_you_mean(field, known));
            continue;
          }
          std::optional<Requirement> req;
          decode_requirement(*fv, ctx, req);
          if (req) kr.fields.emplace_back(fk->text, std::move(*req));
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
                                const std::vector<std::string>& flags) const {
  // A section's conditional rule whose flag is set takes precedence over its plain rule.
  auto named = [&](const KindRules& kr) -> const Requirement* {
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
            std::find(shadowed.begin(), shadowed.end(), split_key(f).first) == shadowed.end())
          named.push_back(f);
    };
    std::vector<std::string> written;  // fields the section names plainly: a default's condition on them is not in force
    if (auto it = kinds.find(kind); it != kinds.end()) {
      collect(it->second, {});
      for (const auto& [f, r] : it->second.fields)
        if (split_key(f).second.empty()) written.push_back(f);
    }
    // Defaults' named fields stay in force only when the section sets no "*" that replaces them.
    bool replaced = kinds.count(kind) && (kinds.at(kind).any_field || kinds.at(kind).shorthand);
    if (!replaced) collect(defaults.at(kind), written);
    for (const auto& f : named) {
      auto [name, flag] = split_key(f);
      kr.fields.emplace_back(f, flag.empty() ? field(kind, name) : field(kind, name, {flag}));
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
