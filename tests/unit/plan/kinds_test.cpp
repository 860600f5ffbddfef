#include "core/plan/kinds.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/plan/decode.hpp"
#include "core/plan/ownership.hpp"
#include "core/plan/yaml.hpp"
#include "support/fake_source.hpp"

using namespace tandem;
using nlohmann::json;
using Names = std::set<std::string>;

namespace {

/// The JSON Schema object that describes one record of `kind` (tandem.yaml's root for config).
json record_schema(const kinds::KindInfo& kind) {
  json doc = json::parse(schema::embedded(kind.schema));
  if (kind.list_key.empty()) return doc;
  auto ref = doc["properties"][std::string(kind.list_key)]["items"]["$ref"].get<std::string>();
  return doc["definitions"][ref.substr(ref.rfind('/') + 1)];
}

/// The enum of a property, following one `$ref` into the definitions (empty when it has none).
json property_enum(const kinds::KindInfo& kind, const json& property) {
  if (property.contains("enum")) return property["enum"];
  if (!property.contains("$ref")) return json::array();
  json doc = json::parse(schema::embedded(kind.schema));
  auto ref = property["$ref"].get<std::string>();
  const json& def = doc["definitions"][ref.substr(ref.rfind('/') + 1)];
  return def.contains("enum") ? def["enum"] : json::array();
}

template <class E, std::size_t N>
void check_round_trip(const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i) CHECK(model::to_string(static_cast<E>(i)) == names[i]);
}

}  // namespace

TEST_CASE("every field in a kind's table is a property of its schema's record, and vice versa") {
  for (const auto& kind : kinds::k_kinds) {
    CAPTURE(kind.name);
    json record = record_schema(kind);
    Names in_schema, in_table;
    for (auto it = record["properties"].begin(); it != record["properties"].end(); ++it) in_schema.insert(it.key());
    for (const auto& f : kind.fields) in_table.insert(std::string(f.name));
    CHECK(in_table == in_schema);
    CHECK(in_table.size() == kind.fields.size());  // no field twice
    auto required = kinds::required_names(kind);
    CHECK(std::vector<std::string>(required.begin(), required.end()) == record["required"].get<std::vector<std::string>>());
  }
}

TEST_CASE("the names of an enumeration field are its schema's enum") {
  for (const auto& kind : kinds::k_lists) {
    json record = record_schema(kind);
    for (const auto& f : kind.fields) {
      if (f.type != kinds::Type::enumeration) continue;
      CAPTURE(f.name);
      std::vector<std::string> table(f.values.begin(), f.values.end());
      CHECK(property_enum(kind, record["properties"][std::string(f.name)]).get<std::vector<std::string>>() == table);
    }
  }
}

TEST_CASE("the kinds table names each list file, its list key, schema and default file") {
  CHECK(kinds::k_list_names == std::array<std::string_view, 3>{"backlog", "roadmap", "risks"});
  for (const auto& kind : kinds::k_kinds) {
    CHECK(kinds::find(kind.name) == &kind);
    CHECK(&kinds::of(kind.schema) == &kind);
    CHECK(schema::name(kind.schema) == kind.name);
  }
  CHECK(kinds::of(schema::Kind::roadmap).list_key == "milestones");
  CHECK(kinds::of(schema::Kind::risks).default_file == "risks.yaml");
  CHECK(kinds::find("tasks") == nullptr);
  CHECK(kinds::field(kinds::k_kinds[0], "tags")->type == kinds::Type::string_set);
  CHECK(kinds::field(kinds::k_kinds[0], "tag") == nullptr);
}

TEST_CASE("ownership's field names are the table's, with the pseudo-field order for list kinds") {
  for (const auto& kind : kinds::k_kinds) {
    const auto& names = ownership::field_names(std::string(kind.name));
    auto table = kinds::field_names(kind);
    std::size_t extra = kind.list_key.empty() ? 0 : 1;
    REQUIRE(names.size() == table.size() + extra);
    CHECK(std::equal(table.begin(), table.end(), names.begin()));
    if (extra) CHECK(names.back() == "order");
  }
}

TEST_CASE("enum name arrays round-trip through to_string") {
  check_round_trip<model::ItemType>(model::k_item_type_names);
  check_round_trip<model::Status>(model::k_status_names);
  check_round_trip<model::Moscow>(model::k_moscow_names);
  check_round_trip<model::RiskStatus>(model::k_risk_status_names);
  check_round_trip<model::Response>(model::k_response_names);
  check_round_trip<model::Estimates>(model::k_estimates_names);
  check_round_trip<model::PriorityModel>(model::k_priority_model_names);
}

TEST_CASE("a key starting with t that is not a field is an unknown key, not tags") {
  Diagnostics parse_diags, diags;
  auto root = yaml::parse("id: A\ntitle: T\ntopics: [x]\n", "backlog.yaml", parse_diags);
  REQUIRE(root);
  decode::Context ctx{diags, "backlog.yaml", 0};
  model::Item item;
  decode::decode_item(*root, ctx, item);
  CHECK(test::formatted(diags) ==
        std::vector<std::string>{"backlog.yaml:3:1: error: unknown key 'topics' in an item [unknown-key]"});
  CHECK_FALSE(item.tags.present);
}

TEST_CASE("each table field decodes into its own member") {
  Diagnostics parse_diags, diags;
  auto root = yaml::parse("id: A\ntitle: T\ntags: [x]\ntime_criticality: 2\ntype: bug\n", "backlog.yaml", parse_diags);
  REQUIRE(root);
  decode::Context ctx{diags, "backlog.yaml", 0};
  model::Item item;
  decode::decode_item(*root, ctx, item);
  CHECK(diags.size() == 0);
  CHECK(*item.id == "A");
  CHECK(*item.title == "T");
  REQUIRE(item.tags.values.size() == 1);
  CHECK(*item.tags.values[0] == "x");
  CHECK(*item.time_criticality == 2);
  CHECK(*item.type == model::ItemType::bug);
}

TEST_CASE("resolve_defaults fills each default of SPEC 1.1 once, and only where the key is absent") {
  SUBCASE("nothing written: every default, at line 0") {
    model::Config c;
    decode::resolve_defaults(c);
    decode::resolve_defaults(c);  // a second call changes nothing
    REQUIRE(c.roles.size() == 3);
    CHECK(c.roles[0].first == "product_owner");
    CHECK(c.roles[2].first == "developer");
    CHECK(c.roles[2].second.min == 1);
    CHECK_FALSE(c.roles[2].second.max);
    REQUIRE(c.separate.size() == 1);
    CHECK(c.separate[0].values.size() == 2);
    CHECK(c.separate[0].values[0].mark.line == 0);
    REQUIRE(c.accountable.size() == 3);
    CHECK(c.accountable["backlog"].values.size() == 1);
    CHECK(*c.accountable["roadmap"].values[1] == "project_manager");
    CHECK(*c.accountable["risks"].values[0] == "project_manager");
    REQUIRE(c.pool.values.size() == 1);
    CHECK(*c.pool.values[0] == "developer");
    CHECK_FALSE(c.pool.present);
  }
  SUBCASE("written values stay as written") {
    model::Config c;
    c.roles_given = true;
    c.separate_present = true;
    c.pool.present = true;
    c.accountable["backlog"].present = true;
    decode::resolve_defaults(c);
    CHECK(c.roles.empty());
    CHECK(c.separate.empty());
    CHECK(c.pool.values.empty());
    CHECK(c.accountable["backlog"].values.empty());
    CHECK(c.accountable["risks"].values.size() == 2);
  }
}
