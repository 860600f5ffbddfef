#pragma once
#include <array>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/plan/model.hpp"
#include "core/plan/schema.hpp"

/// One description of each record kind and of each of its fields (SPEC sections 1 and 3), read by the
/// decoder, the known-keys check, the ownership rules and the schema agreement test. Adding a field to
/// items is one line in `k_item_fields` (and the property in schemas/backlog.schema.json).
namespace tandem::kinds {

/// How a field's value is read and checked.
enum class Type {
  id,           ///< a valid id (`decode::is_valid_id`)
  title,        ///< a non-empty string
  text,         ///< any string
  number,       ///< a finite number within [min, max] (min excluded when `exclusive`)
  integer,      ///< a whole number within [min, max]
  date,         ///< YYYY-MM-DD, a day that exists
  boolean,      ///< true or false
  enumeration,  ///< one of `values`
  id_list,      ///< a list of distinct ids
  string_set,   ///< a list of distinct non-empty strings
  string_list,  ///< a list of non-empty strings
  rice,         ///< {reach, impact, confidence, effort}
  delay,        ///< [min, max] workdays
  section,      ///< a top-level section of tandem.yaml, decoded by its own step
};

/// The model member a field is decoded into (monostate for tandem.yaml's sections).
using Slot = std::variant<
    std::monostate, model::Field<std::string> model::Item::*, model::Field<model::ItemType> model::Item::*,
    model::Field<model::Status> model::Item::*, model::Field<model::Moscow> model::Item::*,
    model::Field<double> model::Item::*, model::ListField<std::string> model::Item::*,
    model::Field<model::Rice> model::Item::*, model::Field<Date> model::Item::*,
    model::Field<std::string> model::Milestone::*, model::Field<Date> model::Milestone::*,
    model::Field<bool> model::Milestone::*, model::ListField<std::string> model::Milestone::*,
    model::Field<std::string> model::Risk::*, model::Field<model::RiskStatus> model::Risk::*,
    model::Field<int> model::Risk::*, model::Field<model::Response> model::Risk::*,
    model::Field<Date> model::Risk::*, model::ListField<std::string> model::Risk::*,
    model::Field<std::array<int, 2>> model::Risk::*>;

/// Who must approve a change when tandem.yaml has no `ownership` (SPEC section 3).
struct OwnerDefault {
  std::array<std::string_view, 2> roles{};  ///< none: the kind's "*" rule applies to the field
  bool all = false;                         ///< every role must sign off, not any one of them
  int rank = 0;                             ///< 1-based position among the kind's named defaults (SPEC 3's order)
};

/// One field of a record kind, or one top-level key of tandem.yaml.
struct FieldInfo {
  std::string_view name;
  Type type = Type::text;
  Slot slot{};
  double min = -std::numeric_limits<double>::infinity();  ///< number, integer: lower bound
  bool exclusive = false;                                  ///< number: `min` itself is out of range
  double max = std::numeric_limits<double>::infinity();   ///< number, integer: upper bound (inclusive)
  std::span<const std::string_view> values{};             ///< enumeration: the names, by enum value
  OwnerDefault owner{};
  std::string_view owner_flag{};  ///< a boolean field of the record: `owner_if` applies when it is true before or after
  OwnerDefault owner_if{};        ///< the default of the conditional rule `NAME if FLAG` (rank 0: none)
  std::string_view owner_value{};  ///< a value of the field: `owner_is` applies when it is the old or new value
  OwnerDefault owner_is{};         ///< the default of the value rule `NAME=VALUE` (rank 0: none)
  bool required = false;  ///< a record (or tandem.yaml) without it is an error
};

using model::Item;
using model::Milestone;
using model::Risk;

/// The fields of an item (backlog.yaml), in SPEC 1.2's order.
inline constexpr FieldInfo k_item_fields[] = {
    {.name = "id", .type = Type::id, .slot = &Item::id, .required = true},
    {.name = "title", .type = Type::title, .slot = &Item::title, .required = true},
    {.name = "type", .type = Type::enumeration, .slot = &Item::type, .values = model::k_item_type_names},
    {.name = "status", .type = Type::enumeration, .slot = &Item::status, .values = model::k_status_names,
     .owner = {{"developer", "project_manager"}, false, 7},
     // Dropping an item (and taking it back) is a scope decision: the product owner's.
     .owner_value = "dropped", .owner_is = {{"product_owner"}, false, 8}},
    {.name = "owner", .type = Type::id, .slot = &Item::owner},
    {.name = "assignee", .type = Type::id, .slot = &Item::assignee, .owner = {{"project_manager"}, false, 5}},
    {.name = "milestone", .type = Type::id, .slot = &Item::milestone},
    {.name = "value", .type = Type::number, .slot = &Item::value, .min = 0},
    {.name = "time_criticality", .type = Type::number, .slot = &Item::time_criticality, .min = 0},
    {.name = "risk_reduction", .type = Type::number, .slot = &Item::risk_reduction, .min = 0},
    {.name = "size", .type = Type::number, .slot = &Item::size, .min = 0, .exclusive = true,
     .owner = {{"developer", "product_owner"}, false, 3}},
    {.name = "estimate", .type = Type::number, .slot = &Item::estimate, .min = 0, .exclusive = true,
     .owner = {{"developer"}, false, 1}},
    {.name = "remaining", .type = Type::number, .slot = &Item::remaining, .min = 0, .owner = {{"developer"}, false, 2}},
    {.name = "depends_on", .type = Type::id_list, .slot = &Item::depends_on,
     .owner = {{"developer", "project_manager"}, false, 4}},
    {.name = "moscow", .type = Type::enumeration, .slot = &Item::moscow, .values = model::k_moscow_names},
    {.name = "rice", .type = Type::rice, .slot = &Item::rice},
    {.name = "started", .type = Type::date, .slot = &Item::started, .owner = {{"developer", "project_manager"}, false, 6}},
    {.name = "done", .type = Type::date, .slot = &Item::done, .owner = {{"developer", "project_manager"}, false, 9}},
    {.name = "tags", .type = Type::string_set, .slot = &Item::tags},
    {.name = "acceptance", .type = Type::string_list, .slot = &Item::acceptance},
    {.name = "description", .type = Type::text, .slot = &Item::description},
};

/// The fields of a milestone (roadmap.yaml), in SPEC 1.3's order.
inline constexpr FieldInfo k_milestone_fields[] = {
    {.name = "id", .type = Type::id, .slot = &Milestone::id, .required = true},
    {.name = "title", .type = Type::title, .slot = &Milestone::title, .required = true},
    {.name = "goal", .type = Type::text, .slot = &Milestone::goal},
    {.name = "owner", .type = Type::id, .slot = &Milestone::owner, .owner = {{"project_manager"}, false, 5}},
    // An uncommitted target is the PM's plan; a committed one (before or after the change) is a joint promise.
    {.name = "target", .type = Type::date, .slot = &Milestone::target, .owner = {{"project_manager"}, false, 1},
     .owner_flag = "committed", .owner_if = {{"product_owner", "project_manager"}, true, 2}},
    {.name = "committed", .type = Type::boolean, .slot = &Milestone::committed,
     .owner = {{"product_owner", "project_manager"}, true, 3}},
    {.name = "depends_on", .type = Type::id_list, .slot = &Milestone::depends_on, .owner = {{"project_manager"}, false, 4}},
};

/// The fields of a risk (risks.yaml), in SPEC 1.4's order.
inline constexpr FieldInfo k_risk_fields[] = {
    {.name = "id", .type = Type::id, .slot = &Risk::id, .required = true},
    {.name = "title", .type = Type::title, .slot = &Risk::title, .required = true},
    {.name = "owner", .type = Type::id, .slot = &Risk::owner},
    {.name = "status", .type = Type::enumeration, .slot = &Risk::status, .values = model::k_risk_status_names,
     .owner = {{"project_manager", "developer"}, false, 1}},
    {.name = "probability", .type = Type::integer, .slot = &Risk::probability, .min = 1, .max = 5},
    {.name = "impact", .type = Type::integer, .slot = &Risk::impact, .min = 1, .max = 5},
    {.name = "response", .type = Type::enumeration, .slot = &Risk::response, .values = model::k_response_names},
    {.name = "mitigation", .type = Type::text, .slot = &Risk::mitigation,
     .owner = {{"project_manager", "developer"}, false, 2}},
    {.name = "review", .type = Type::date, .slot = &Risk::review, .owner = {{"project_manager", "developer"}, false, 3}},
    {.name = "affects", .type = Type::id_list, .slot = &Risk::affects},
    {.name = "delay", .type = Type::delay, .slot = &Risk::delay},
};

/// The top-level keys of tandem.yaml, in SPEC 1.1's order (each decoded by a step of `decode_config`).
inline constexpr FieldInfo k_config_fields[] = {
    {.name = "version", .type = Type::section, .required = true},   {.name = "project", .type = Type::section, .required = true},
    {.name = "files", .type = Type::section},     {.name = "calendar", .type = Type::section},
    {.name = "estimates", .type = Type::section}, {.name = "velocity", .type = Type::section},
    {.name = "people", .type = Type::section, .required = true},    {.name = "roles", .type = Type::section},
    {.name = "separate", .type = Type::section},  {.name = "accountable", .type = Type::section},
    {.name = "pool", .type = Type::section},      {.name = "priority", .type = Type::section},
    {.name = "forecast", .type = Type::section},  {.name = "trust", .type = Type::section},
    {.name = "ownership", .type = Type::section},
};

/// One kind of plan file: a list file (backlog, roadmap, risks) or tandem.yaml itself (config).
struct KindInfo {
  std::string_view name;          ///< the key in `files`, `accountable` and `ownership`
  std::string_view list_key;      ///< the top-level key holding the records ("" for config)
  schema::Kind schema;            ///< its JSON Schema
  std::string_view default_file;  ///< the path read when `files` does not name one
  std::string_view record;        ///< a record of the kind, as messages say it ("an item")
  std::span<const FieldInfo> fields;
  OwnerDefault create, remove, any_field;  ///< SPEC 3's defaults for adding, deleting, any other field
  std::array<std::string_view, 2> accountable{};  ///< SPEC 1.1's default `accountable` roles ("" unused)
};

/// The kinds of plan file: the three list files in loading order, then tandem.yaml.
inline constexpr KindInfo k_kinds[] = {
    {"backlog", "items", schema::Kind::backlog, "backlog.yaml", "an item", k_item_fields, {{"product_owner"}},
     {{"product_owner"}}, {{"product_owner"}}, {"product_owner"}},
    {"roadmap", "milestones", schema::Kind::roadmap, "roadmap.yaml", "a milestone", k_milestone_fields,
     {{"product_owner"}}, {{"product_owner"}}, {{"product_owner"}}, {"product_owner", "project_manager"}},
    {"risks", "risks", schema::Kind::risks, "risks.yaml", "a risk", k_risk_fields,
     {{"project_manager", "developer"}}, {{"project_manager"}}, {{"project_manager"}}, {"project_manager", "developer"}},
    {"config", "", schema::Kind::config, "tandem.yaml", "tandem.yaml", k_config_fields,
     {{"product_owner", "project_manager"}, true}, {{"product_owner", "project_manager"}, true},
     {{"product_owner", "project_manager"}, true}},
};

/// The three list kinds (backlog, roadmap, risks), in loading order.
inline constexpr std::span<const KindInfo, 3> k_lists{k_kinds, 3};

/// The names of the three list kinds ("backlog", "roadmap", "risks"), for the keys of `files` and `accountable`.
inline constexpr std::array<std::string_view, 3> k_list_names = {k_lists[0].name, k_lists[1].name, k_lists[2].name};

/// The kind named `name` ("backlog", …, "config"), or nullptr.
const KindInfo* find(std::string_view name);
/// The kind validated by the schema `kind`.
const KindInfo& of(schema::Kind kind);
/// The field of `kind` named exactly `name`, or nullptr.
const FieldInfo* field(const KindInfo& kind, std::string_view name);
/// The names of `kind`'s fields, in table order.
std::span<const std::string_view> field_names(const KindInfo& kind);
/// The names of `kind`'s required fields, in table order.
std::span<const std::string_view> required_names(const KindInfo& kind);

}  // namespace tandem::kinds
