#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/plan/model.hpp"

namespace tandem::index {

/// The kinds of record that share one id namespace.
enum class Kind : std::uint8_t { item, milestone, risk };

/// A record of the plan: its kind and its 0-based position in plan.items, plan.milestones or plan.risks.
struct Record {
  Kind kind = Kind::item;
  std::size_t index = 0;
  bool operator==(const Record&) const = default;
};

/// An id written again: the later record, and the first one, which is the one the index keeps.
struct Duplicate {
  Record record;
  Record first;
};

/// The role settings in force: tandem.yaml's where it sets them, else the defaults of SPEC 1.1.
struct RoleSettings {
  std::vector<std::string> pool;                                ///< roles whose holders form the pool
  std::map<std::string, std::vector<std::string>> accountable;  ///< kind → roles that may own its records
  std::vector<std::vector<std::string>> separate;               ///< groups of roles no one person may hold together
};

/// The role settings of `config`, whose defaults `decode::resolve_defaults` has filled in.
RoleSettings role_settings_in_force(const model::Config& config);

/// ASCII case-insensitive hashing and comparison, for lookups by email without a folded copy.
struct FoldedHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept;
};
struct FoldedEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept;
};

/// The people of a config by id and by email. Holds views into `config`, which must outlive it and
/// stay where it is (moving the Config or the Plan that holds it is fine; copying the index is not).
class PeopleIndex {
 public:
  PeopleIndex() = default;
  /// Indexes `config.people`: the first person with an id or an email keeps it.
  explicit PeopleIndex(const model::Config& config);
  PeopleIndex(const PeopleIndex&) = delete;
  PeopleIndex& operator=(const PeopleIndex&) = delete;
  PeopleIndex(PeopleIndex&&) = default;
  PeopleIndex& operator=(PeopleIndex&&) = default;

  /// The 0-based position in config.people of the person with `id`, or nullopt.
  std::optional<std::size_t> person(std::string_view id) const;
  /// The position of the first person with `email`, compared ASCII case-insensitively, or nullopt.
  std::optional<std::size_t> by_email(std::string_view email) const;
  /// The roles a person holds (0-based position in config.people), as written.
  const std::vector<std::string_view>& roles(std::size_t person) const { return m_roles[person]; }
  /// The people in the pool (holders of a pool role), in file order.
  const std::vector<std::size_t>& pool() const { return m_pool; }
  /// The role settings in force.
  const RoleSettings& settings() const { return m_settings; }
  /// People whose id an earlier person already has: (later, first) positions, in file order.
  const std::vector<std::pair<std::size_t, std::size_t>>& duplicate_ids() const { return m_duplicate_ids; }

  /// An email that an earlier, other person already has.
  struct DuplicateEmail {
    std::size_t person = 0;  ///< the later person
    std::size_t email = 0;   ///< position in that person's emails
    std::size_t first = 0;   ///< the person who has it first
  };
  /// The emails another person had first, in file order.
  const std::vector<DuplicateEmail>& duplicate_emails() const { return m_duplicate_emails; }

 private:
  std::unordered_map<std::string_view, std::size_t> m_by_id;
  std::unordered_map<std::string, std::size_t, FoldedHash, FoldedEqual> m_by_email;  ///< keys folded once
  std::vector<std::vector<std::string_view>> m_roles;
  std::vector<std::size_t> m_pool;
  RoleSettings m_settings;
  std::vector<std::pair<std::size_t, std::size_t>> m_duplicate_ids;
  std::vector<DuplicateEmail> m_duplicate_emails;
};

/// Every record and person of a plan, resolved once by `load` for the engines. Holds views into the
/// plan, which must outlive it (moving the plan is fine; copying the index is not).
class PlanIndex {
 public:
  /// An empty index, `built()` false: for plans put together in memory, which callers index themselves.
  PlanIndex() = default;
  /// Indexes `plan`: items, milestones and risks in one id namespace where the first record keeps an id.
  explicit PlanIndex(const model::Plan& plan);
  PlanIndex(const PlanIndex&) = delete;
  PlanIndex& operator=(const PlanIndex&) = delete;
  PlanIndex(PlanIndex&&) = default;
  PlanIndex& operator=(PlanIndex&&) = default;

  /// Record `i` of `kind` in `plan` was replaced by one with the same id (verify's one-record check):
  /// what the index derives from it is derived again, as a new index of `plan` would.
  void replaced(const model::Plan& plan, Kind kind, std::size_t i);

  /// False for a default-constructed index.
  bool built() const { return m_built; }
  /// The record with `id`, or nullptr.
  const Record* find(std::string_view id) const;
  /// The position in plan.items of the item with `id`, or nullopt (also when the id names another kind).
  std::optional<std::size_t> item(std::string_view id) const { return of_kind(id, Kind::item); }
  /// The position in plan.milestones of the milestone with `id`, or nullopt.
  std::optional<std::size_t> milestone(std::string_view id) const { return of_kind(id, Kind::milestone); }
  /// The position in plan.milestones of the milestone that item `item` (0-based) names, or nullopt
  /// when it names none or an id that is not a milestone.
  std::optional<std::size_t> milestone_of(std::size_t item) const;
  /// The ids written again, in file order of items, then milestones, then risks.
  const std::vector<Duplicate>& duplicates() const { return m_duplicates; }
  /// The people of the config.
  const PeopleIndex& people() const { return m_people; }

 private:
  std::optional<std::size_t> of_kind(std::string_view id, Kind kind) const;

  /// One entry of the id table; empty while `id.data()` is null (a record's id, even "", has data).
  struct Slot {
    std::size_t hash = 0;
    std::string_view id;
    Record record;
  };
  /// The slot that holds `id` (whose hash is `hash`), or the empty one where it would go.
  std::size_t slot_of(std::string_view id, std::size_t hash) const;

  bool m_built = false;
  /// The first record of each id, by open addressing with linear probing: a power of two in size and at
  /// most 70 % full, so that a lookup reads one or two neighbouring slots (and no node per id).
  std::vector<Slot> m_slots;
  std::vector<std::size_t> m_milestone_of;  ///< per item; k_none when it names no milestone
  std::vector<Duplicate> m_duplicates;
  PeopleIndex m_people;
};

}  // namespace tandem::index
