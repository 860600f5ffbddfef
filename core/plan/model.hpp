#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/date.hpp"
#include "core/base/diagnostic.hpp"
#include "core/plan/yaml.hpp"

namespace tandem::model {

/// A value read from a plan file, with where it was written. `mark.line == 0` when absent.
template <class T>
struct Field {
  std::optional<T> value;
  Mark mark;
  bool has() const { return value.has_value(); }
  const T& operator*() const { return *value; }
  const T* operator->() const { return &*value; }
};

/// A list of values (ids, strings) with the position of each element and of the list itself.
template <class T>
struct ListField {
  std::vector<Field<T>> values;
  Mark mark;
  bool present = false;
};

enum class ItemType { feature, bug, chore, spike };
enum class Status { todo, doing, done, dropped };
enum class Moscow { must, should, could, wont };
enum class RiskStatus { open, closed, occurred };
enum class Response { avoid, mitigate, transfer, accept, escalate };
enum class Estimates { days, points };
enum class PriorityModel { wsjf, rice, value, moscow, manual };
enum class Signatures { off, required };

/// The names of ItemType's values as written in plan files, indexed by the enum's value.
inline constexpr std::array<std::string_view, 4> k_item_type_names = {"feature", "bug", "chore", "spike"};
/// The names of Status's values, indexed by the enum's value.
inline constexpr std::array<std::string_view, 4> k_status_names = {"todo", "doing", "done", "dropped"};
/// The names of Moscow's values, indexed by the enum's value.
inline constexpr std::array<std::string_view, 4> k_moscow_names = {"must", "should", "could", "wont"};
/// The names of RiskStatus's values, indexed by the enum's value.
inline constexpr std::array<std::string_view, 3> k_risk_status_names = {"open", "closed", "occurred"};
/// The names of Response's values, indexed by the enum's value.
inline constexpr std::array<std::string_view, 5> k_response_names = {"avoid", "mitigate", "transfer", "accept",
                                                                     "escalate"};
/// The names of Estimates's values, indexed by the enum's value.
inline constexpr std::array<std::string_view, 2> k_estimates_names = {"days", "points"};
/// The names of PriorityModel's values, indexed by the enum's value.
inline constexpr std::array<std::string_view, 5> k_priority_model_names = {"wsjf", "rice", "value", "moscow",
                                                                           "manual"};
/// The names of Signatures's values (`trust.signatures`), indexed by the enum's value.
inline constexpr std::array<std::string_view, 2> k_signatures_names = {"off", "required"};

struct Rice {
  double reach = 0, impact = 0, confidence = 0, effort = 0;
};

/// Which plan file a record came from: index into Plan::files.
using FileIndex = std::uint32_t;

struct Item {
  FileIndex file = 0;
  Mark mark;  ///< where the item's mapping starts
  Field<std::string> id, title, owner, assignee, milestone, description;
  Field<ItemType> type;
  Field<Status> status;
  Field<double> value, time_criticality, risk_reduction, size, estimate, remaining;
  ListField<std::string> depends_on, tags, acceptance;
  Field<Moscow> moscow;
  Field<Rice> rice;
  Field<Date> started, done;

  ItemType type_or_default() const { return type.has() ? *type : ItemType::feature; }
  Status status_or_default() const { return status.has() ? *status : Status::todo; }
  bool undone() const { auto s = status_or_default(); return s == Status::todo || s == Status::doing; }
};

struct Milestone {
  FileIndex file = 0;
  Mark mark;
  Field<std::string> id, title, goal, owner;
  Field<Date> target;
  Field<bool> committed;
  ListField<std::string> depends_on;
};

struct Risk {
  FileIndex file = 0;
  Mark mark;
  Field<std::string> id, title, owner, mitigation;
  Field<RiskStatus> status;
  Field<int> probability, impact;
  Field<Response> response;
  Field<Date> review;
  ListField<std::string> affects;
  Field<std::array<int, 2>> delay;

  RiskStatus status_or_default() const { return status.has() ? *status : RiskStatus::open; }
};

struct DateRange {
  Date from, to;  ///< inclusive
  Mark mark;
};

struct Person {
  Mark mark;
  Field<std::string> id, name;
  ListField<std::string> emails, roles;
  Field<double> capacity;
  std::vector<DateRange> off;
  /// SSH public key lines ("ssh-ed25519 AAAA… comment") and OpenPGP fingerprints (40 upper-case hex
  /// digits, spaces removed), as written in `signing_keys`.
  ListField<std::string> signing_keys;

  double capacity_or_default() const { return capacity.has() ? *capacity : 1.0; }
};

struct RoleCount {
  Mark mark;
  std::optional<int> min, max;
};

/// tandem.yaml, decoded; `decode::resolve_defaults` (run once by `load`) fills the defaults of SPEC 1.1
/// (`roles`, `separate`, `accountable`, `pool`) where a key is absent; defaulted values are at line 0.
struct Config {
  Field<int> version;
  Field<std::string> project_name;
  Field<Date> project_start;
  /// Patterns per file kind ("backlog", "roadmap", "risks"), with the position they were written at
  /// (line 0 for defaults).
  std::map<std::string, std::vector<Field<std::string>>> files;
  std::array<bool, 7> workdays{true, true, true, true, true, false, false};  ///< Monday first
  std::vector<Field<Date>> holidays;
  Field<Date> sprint_start;
  Field<int> sprint_length;
  Field<Estimates> estimates;
  Field<double> velocity;
  std::vector<Person> people;
  Mark people_mark;  ///< where the list of people starts; line 0 when `people` is absent or not a list
  std::vector<std::pair<std::string, RoleCount>> roles;  ///< file order
  bool roles_given = false;  ///< `roles` was written as a mapping (else the defaults are in `roles`)
  std::vector<ListField<std::string>> separate;
  bool separate_present = false;  ///< `separate` was written (else the default group is in `separate`)
  std::map<std::string, ListField<std::string>> accountable;  ///< kind -> roles
  ListField<std::string> pool;
  Field<PriorityModel> priority_model;
  Field<int> forecast_runs, forecast_window;
  Field<std::int64_t> forecast_seed;
  Mark ownership_mark;  ///< line 0 when `ownership` is absent
  Field<Signatures> trust_signatures;  ///< absent means off
  Field<std::string> trust_keyring;    ///< relative to tandem.yaml's directory, as written
};

/// Everything tandem read: the config and the records of every plan file.
struct Plan {
  std::string root;                 ///< absolute path of the repository (or config directory)
  std::string config_dir;           ///< config directory relative to root ("" when the same)
  std::vector<std::string> files;   ///< display paths (relative to root); index 0 is tandem.yaml
  std::vector<std::string_view> file_kinds;  ///< the kind of each file ("config", "backlog", "roadmap", "risks")
  Config config;
  std::deque<Item> items;
  std::deque<Milestone> milestones;
  std::deque<Risk> risks;
};

std::string_view to_string(ItemType v);
std::string_view to_string(Status v);
std::string_view to_string(Moscow v);
std::string_view to_string(RiskStatus v);
std::string_view to_string(Response v);
std::string_view to_string(Estimates v);
std::string_view to_string(PriorityModel v);
std::string_view to_string(Signatures v);

}  // namespace tandem::model
