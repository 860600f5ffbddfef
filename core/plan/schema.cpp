#include "core/plan/schema.hpp"

#include <charconv>

#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "core/plan/kinds.hpp"

namespace tandem::schema {

using nlohmann::json;

std::string_view name(Kind kind) { return kinds::of(kind).name; }

std::optional<Kind> kind_from_name(std::string_view n) {
  if (const auto* kind = kinds::find(n)) return kind->schema;
  return std::nullopt;
}

json to_json(const yaml::Node& n) {
  switch (n.type) {
    case yaml::Type::null: return nullptr;
    case yaml::Type::boolean: return n.boolean;
    case yaml::Type::integer:
    case yaml::Type::real:
      if (!std::isfinite(n.number)) return n.text;
      // A whole number is a JSON Schema integer however it is written (3, 3.0, 3e0), as in draft-07.
      if (std::trunc(n.number) == n.number && std::fabs(n.number) < 9.2e18) return static_cast<std::int64_t>(n.number);
      return n.number;
    case yaml::Type::string: return n.text;
    case yaml::Type::sequence: {
      json a = json::array();
      for (const auto& e : n.items) a.push_back(to_json(*e));
      return a;
    }
    case yaml::Type::mapping: {
      json o = json::object();
      for (const auto& [k, v] : n.entries) o[k->text] = to_json(*v);
      return o;
    }
  }
  return nullptr;
}

namespace {

/// Drops the string checks that tandem's decoder makes itself, exactly (ids, emails) or more strictly
/// (dates: leap years): `format`, and `pattern`, which valijson runs through std::regex, whose
/// recursive matcher overflows the stack on strings of some 10,000 characters.
void strip_string_checks(json& j, bool patterns) {
  if (j.is_object()) {
    for (const char* key : {"format", "pattern"})
      if (j.contains(key) && j[key].is_string() && (key[0] == 'f' || !patterns)) j.erase(key);
    if (!patterns && j.contains("patternProperties") && j["patternProperties"] == json{{"^x-", json::object()}})
      j.erase("patternProperties");
    for (auto& [k, v] : j.items()) strip_string_checks(v, patterns);
  } else if (j.is_array()) {
    for (auto& v : j) strip_string_checks(v, patterns);
  }
}

std::unique_ptr<valijson::Schema> compile(const json& doc) {
  auto schema = std::make_unique<valijson::Schema>();
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter adapter(doc);
  parser.populateSchema(adapter, *schema);
  return schema;
}

std::string_view element_definition(Kind kind) {
  switch (kind) {
    case Kind::backlog: return "item";
    case Kind::roadmap: return "milestone";
    case Kind::risks: return "risk";
    case Kind::config: return "person";
  }
  return "";
}

/// Drops `x-` keys from every mapping.
void strip_extensions(json& j) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end();) {
      if (it.key().starts_with("x-")) {
        it = j.erase(it);
      } else {
        strip_extensions(*it);
        ++it;
      }
    }
  } else if (j.is_array()) {
    for (auto& v : j) strip_extensions(v);
  }
}

std::vector<Violation> run(valijson::Validator& validator, const valijson::Schema& schema, const json& doc) {
  valijson::adapters::NlohmannJsonAdapter target(doc);
  std::vector<Violation> out;
  // Without results valijson stops at the first fault and records nothing: the common case, fast.
  if (validator.validate(schema, target, nullptr)) return out;
  valijson::ValidationResults results;
  validator.validate(schema, target, &results);
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    Violation v;
    for (const auto& c : error.context) {
      if (c == "<root>") continue;
      // valijson writes "[name]" for properties and "[index]" for array elements.
      std::string part = c;
      if (part.size() >= 2 && part.front() == '[' && part.back() == ']') part = part.substr(1, part.size() - 2);
      v.path.push_back(part);
    }
    v.message = error.description;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

/// The compiled schemas of each kind, made on first use (a command seldom needs all eight).
struct Validator::Impl {
  struct Compiled {
    std::unique_ptr<valijson::Schema> document, element;
  };
  Compiled kinds[4];
  mutable valijson::Validator validator;
  bool patterns = false;

  const Compiled& of(Kind k) {
    Compiled& c = kinds[static_cast<std::size_t>(k)];
    if (!c.document) {
      json doc = json::parse(embedded(k));
      strip_string_checks(doc, patterns);
      json element = {{"$ref", "#/definitions/" + std::string(element_definition(k))}, {"definitions", doc["definitions"]}};
      c.element = compile(element);
      c.document = compile(doc);
    }
    return c;
  }
};

Validator::Validator(bool patterns) : m_impl(std::make_unique<Impl>()) { m_impl->patterns = patterns; }

Validator::~Validator() = default;

const Validator& Validator::instance() {
  static const Validator validator(false);
  return validator;
}

const Validator& Validator::with_patterns() {
  static const Validator validator(true);
  return validator;
}

std::vector<Violation> Validator::validate(Kind kind, json doc) const {
  if (!m_impl->patterns) strip_extensions(doc);
  return run(m_impl->validator, *m_impl->of(kind).document, doc);
}

std::vector<Violation> Validator::validate_element(Kind kind, json element) const {
  if (!m_impl->patterns) strip_extensions(element);
  return run(m_impl->validator, *m_impl->of(kind).element, element);
}

const yaml::Node& node_at(const yaml::Node& node, const std::vector<std::string>& path) {
  const yaml::Node* cur = &node;
  for (const auto& part : path) {
    const yaml::Node* next = nullptr;
    if (cur->type == yaml::Type::mapping) {
      next = cur->get(part);
    } else if (cur->type == yaml::Type::sequence) {
      std::size_t i = 0;
      auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), i);
      if (ec == std::errc() && end == part.data() + part.size() && i < cur->items.size()) next = cur->items[i];
    }
    if (!next) break;
    cur = next;
  }
  return *cur;
}

}  // namespace tandem::schema
