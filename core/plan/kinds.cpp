#include "core/plan/kinds.hpp"

#include <map>

namespace tandem::kinds {

const KindInfo* find(std::string_view name) {
  for (const auto& kind : k_kinds)
    if (kind.name == name) return &kind;
  return nullptr;
}

const KindInfo& of(schema::Kind kind) {
  for (const auto& k : k_kinds)
    if (k.schema == kind) return k;
  return k_kinds[0];  // unreachable: every schema kind has a row
}

const FieldInfo* field(const KindInfo& kind, std::string_view name) {
  for (const auto& f : kind.fields)
    if (f.name == name) return &f;
  return nullptr;
}

namespace {

/// The names of the fields of each kind that pass `keep`, in table order.
template <class Keep>
std::map<std::string_view, std::vector<std::string_view>> names_by_kind(Keep keep) {
  std::map<std::string_view, std::vector<std::string_view>> names;
  for (const auto& k : k_kinds) {
    auto& list = names[k.name];
    for (const auto& f : k.fields)
      if (keep(f)) list.push_back(f.name);
  }
  return names;
}

}  // namespace

std::span<const std::string_view> field_names(const KindInfo& kind) {
  static const auto k_names = names_by_kind([](const FieldInfo&) { return true; });
  return k_names.at(kind.name);
}

std::span<const std::string_view> required_names(const KindInfo& kind) {
  static const auto k_names = names_by_kind([](const FieldInfo& f) { return f.required; });
  return k_names.at(kind.name);
}

}  // namespace tandem::kinds
