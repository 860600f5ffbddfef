#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/git/history.hpp"
#include "core/git/walk.hpp"

namespace tandem::audit {

/// One part of a range's net change (SPEC 3), by its kind relative to the base, and the commits of the
/// range that set it to its landed value.
struct Part {
  /// A field change of a record the base has (`old_value` the base's), an element added to or removed
  /// from a list field (`element`), a `create` or `delete` of a record, a field of a created record
  /// (`of_created`), or an `order` pair: `id` stands before `other`
  /// in the landed order and after it in the base's.
  history::Change change;
  std::string other;
  bool of_created = false;
  /// One element added to or removed from a list field (`change` is the whole field's change).
  bool element = false;
  std::vector<std::uint32_t> setters;   ///< walk indices of the commits that set it, oldest first
  std::vector<std::uint32_t> creators;  ///< of a created record's field: the setters that created it
  /// The record's rank among the records open on both sides, in the base and landed (order pairs).
  std::uint32_t base_rank = 0, landed_rank = 0;
};

/// The parts of the net change from `base` to `landed`, and which commits of a walk set each one.
class NetChange {
public:
  /// Field parts, creations, deletions, the fields of created records and the order pairs. Throws
  /// tandem::Error when the order pairs to judge are beyond `k_most_pairs`.
  NetChange(const history::Version& base, const history::Version& landed);
  /// Notes the parts that the commit at walk index `i` set to their landed value: by a field change, by
  /// creating the record (its fields), by deleting it (its fields become absent), or by giving a pair
  /// its landed relative order (among all records present on both sides of the commit). True when it
  /// set any.
  bool observe(std::uint32_t i, const history::Step& step);
  std::vector<Part>& parts() { return m_parts; }

  static constexpr std::size_t k_most_pairs = std::size_t{1} << 22;

private:
  void set(const std::string& key, const std::optional<std::string>& value, std::uint32_t i, bool creation);
  /// A field set from `old_value` to `value`; for a list field, each element added or removed too.
  void set_field(const std::string& kind, const std::string& id, const std::string& field,
                 const std::optional<std::string>& old_value, const std::optional<std::string>& value,
                 std::uint32_t i, bool creation);
  void observe_order(std::uint32_t i, const history::Step& step);

  void add_setter(Part& part, std::uint32_t i);

  std::vector<Part> m_parts;
  std::size_t m_sets = 0;  ///< setters noted so far
  std::unordered_map<std::string, std::size_t> m_by_key;  ///< kind \n id \n field → part
  /// Per kind, the ids in order pairs and the pairs' parts.
  struct Pairs {
    std::unordered_map<std::string, std::uint32_t> slot;            ///< id → index in `ids`
    std::vector<std::pair<std::uint32_t, std::uint32_t>> of_part;  ///< (first, second) slots of each pair
    std::vector<std::size_t> part;                                  ///< the pair's part
  };
  std::unordered_map<std::string, Pairs> m_pairs;
};

}  // namespace tandem::audit
