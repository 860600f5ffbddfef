#pragma once
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tandem::git {

/// A git object id (SHA-1, 20 bytes), tandem's own so that libgit2's types stay inside core/git.
struct Oid {
  std::array<std::uint8_t, 20> bytes{};

  /// The 40 lower-case hex digits.
  std::string hex() const;
  /// The first 10 hex digits, as tandem reports a commit.
  std::string short_hex() const { return hex().substr(0, 10); }
  /// Parses 40 hex digits (either case); nullopt for anything else.
  static std::optional<Oid> from_hex(std::string_view hex);

  friend auto operator<=>(const Oid&, const Oid&) = default;
  friend bool operator==(const Oid&, const Oid&) = default;
};

/// Hex form of an object id.
inline std::string to_hex(const Oid& id) { return id.hex(); }

}  // namespace tandem::git

template <>
struct std::hash<tandem::git::Oid> {
  std::size_t operator()(const tandem::git::Oid& id) const noexcept {
    std::size_t h;
    std::memcpy(&h, id.bytes.data(), sizeof h);  // already uniformly distributed
    return h;
  }
};
