#include "core/plan/decode.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cmath>
#include <limits>
#include <fmt/format.h>
#include <initializer_list>
#include <span>
#include <type_traits>
#include <variant>

#include "core/base/text.hpp"
#include "core/plan/kinds.hpp"

namespace tandem::decode {

using model::Field;
using model::ListField;
using yaml::Node;
using yaml::Type;

void Context::error(std::string code, Mark mark, std::string message, std::string hint, bool schema) {
  if (schema) structural = true;
  diags.error(std::move(code), file, mark, std::move(message), std::move(hint));
}

bool is_valid_id(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (!alpha(s[0])) return false;
  for (char c : s)
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '_' && c != '.' && c != '-') return false;
  return true;
}

namespace {

constexpr std::string_view k_weekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/// True when `s` holds white space as ECMA-262's `\s` defines it (the schemas' `pattern` dialect): ASCII
/// white space, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 and U+FEFF.
bool has_space(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto b = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
    unsigned c = b(0);
    if (c == ' ' || (c >= '\t' && c <= '\r')) return true;
    if (c == 0xC2 && b(1) == 0xA0) return true;
    if (c == 0xE1 && b(1) == 0x9A && b(2) == 0x80) return true;
    if (c == 0xE2 && b(1) == 0x80 && ((b(2) >= 0x80 && b(2) <= 0x8A) || b(2) == 0xA8 || b(2) == 0xA9 || b(2) == 0xAF))
      return true;
    if (c == 0xE2 && b(1) == 0x81 && b(2) == 0x9F) return true;
    if (c == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return true;
    if (c == 0xEF && b(1) == 0xBB && b(2) == 0xBF) return true;
  }
  return false;
}

/// True when `s` matches the schemas' date pattern `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`.
bool matches_date_pattern(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
  int month = (s[5] - '0') * 10 + (s[6] - '0');
  int day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

std::vector<std::string> to_strings(std::span<const std::string_view> names) {
  return {names.begin(), names.end()};
}

std::string quoted_list(std::span<const std::string_view> names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + std::string(names[i]);
  return out;
}

/// Room to reserve for the values of the list `v`: its length, up to 64 (an alias-built list of a
/// million copies of one value keeps one).
std::size_t reserved(const Node& v) { return std::min<std::size_t>(v.items.size(), 64); }

/// The position of `key` in `names` (which are distinct), or `names.size()` when it is not there. The
/// search starts at `from` and wraps around: keys written in the table's order are found at once.
std::size_t position(std::span<const std::string_view> names, std::string_view key, std::size_t from = 0) {
  for (std::size_t n = 0, i = from; n < names.size(); ++n, ++i) {
    if (i >= names.size()) i = 0;
    if (names[i] == key) return i;
  }
  return names.size();
}

/// Which of the first 64 known keys a mapping has (a mapping's keys are distinct). Positions past 64
/// are not held: the caller looks those keys up in the mapping.
class KeySet {
public:
  static bool holds(std::size_t i) { return i < 64; }
  void add(std::size_t i) {
    if (holds(i)) m_bits |= std::uint64_t{1} << i;
  }
  bool has(std::size_t i) const { return holds(i) && (m_bits >> i & 1u) != 0; }

private:
  std::uint64_t m_bits = 0;
};

/// Typed access to YAML values; every mismatch is a diagnostic.
class Reader {
public:
  explicit Reader(Context& ctx) : m_ctx(ctx) {}

  bool mapping(const Node& n, std::string_view what) {
    if (n.type == Type::mapping) return true;
    m_ctx.error("wrong-type", n.mark, fmt::format("{} must be a mapping, not {}", what, yaml::describe(n)));
    return false;
  }

  /// Calls `on(key, value)`, or `on(key, value, i)` with `key == known[i]`, for each entry whose key is
  /// in `known`; reports unknown keys (except `x-`) and missing `required` ones.
  template <class F>
  void entries(const Node& map, std::string_view what, std::span<const std::string_view> known,
               std::initializer_list<std::string_view> required, F&& on) {
    entries(map, what, known, std::span<const std::string_view>(required.begin(), required.size()), on);
  }
  template <class F>
  void entries(const Node& map, std::string_view what, std::span<const std::string_view> known,
               std::span<const std::string_view> required, F&& on) {
    KeySet present;
    std::size_t next = 0;  // where the key after the last known one would be, in `known`'s order
    for (const auto& [k, v] : map.entries) {
      std::string_view key = k->text;
      std::size_t i = position(known, key, next);
      if (i < known.size()) {
        present.add(i);
        next = i + 1;
        if constexpr (std::is_invocable_v<F&, std::string_view, const Node&, std::size_t>) on(key, *v, i);
        else on(key, *v);
      } else if (!key.starts_with("x-")) {
        m_ctx.error("unknown-key", k->mark, fmt::format("unknown key '{}' in {}", ellipsize(key), what),
                    did_you_mean(key, to_strings(known)));
      }
    }
    for (auto name : required) {
      std::size_t i = position(known, name);
      bool found = i < known.size() && KeySet::holds(i) ? present.has(i) : map.get(name) != nullptr;
      if (!found)
        m_ctx.error("missing-key", map.mark, fmt::format("{} has no '{}', which is required", what, name));
    }
  }

  bool string(const Node& v, std::string_view key, Field<std::string>& out, bool non_empty = false) {
    if (v.type != Type::string) {
      std::string hint = v.is_scalar() && v.type != Type::null ? fmt::format("quote it: '{}'", ellipsize(v.text)) : "";
      m_ctx.error("wrong-type", v.mark, fmt::format("'{}' must be a string, not {}", key, yaml::describe(v)), hint);
      return false;
    }
    if (non_empty && v.text.empty()) {
      m_ctx.error("invalid-value", v.mark, fmt::format("'{}' must not be empty", key));
      return false;
    }
    out.value = v.text;
    out.mark = v.mark;
    return true;
  }

  void email(const Node& v, Field<std::string>& out) {
    Field<std::string> s;
    if (!string(v, "email", s)) return;
    auto at = s->find('@');
    bool ok = at != std::string::npos && at > 0 && at + 1 < s->size() && s->find('@', at + 1) == std::string::npos &&
              !has_space(*s);
    if (!ok) {
      m_ctx.error("invalid-value", v.mark, fmt::format("'{}' is not an email address", ellipsize(*s)));
      return;
    }
    out = std::move(s);
  }

  /// Reports a value that a list already holds (lists of ids, roles, dates, tags never repeat).
  bool unique(const std::vector<Field<std::string>>& seen, const Field<std::string>& f, std::string_view key) {
    for (const auto& e : seen) {
      if (*e == *f) {
        m_ctx.error("duplicate-value", f.mark,
                    fmt::format("'{}' is listed twice in '{}' (first at line {})", ellipsize(*f), key, e.mark.line));
        return false;
      }
    }
    return true;
  }

  /// A list with at least `min_items` elements.
  bool sized(const Node& v, std::string_view key, std::size_t min_items) {
    if (v.items.size() >= min_items) return true;
    m_ctx.error("invalid-value", v.mark,
                fmt::format("'{}' must list at least {} value{}", key, min_items, min_items == 1 ? "" : "s"));
    return false;
  }

  void id(const Node& v, std::string_view key, Field<std::string>& out) {
    Field<std::string> s;
    if (!string(v, key, s)) return;
    if (!is_valid_id(*s)) {
      m_ctx.error("invalid-id", v.mark,
                  fmt::format("'{}' is not a valid id for '{}'", ellipsize(*s), key),
                  "an id starts with a letter and has only letters, digits, '_', '.' and '-' (at most 128)");
      return;
    }
    out = std::move(s);
  }

  /// A number; `min` bounds it below (exclusively when `exclusive`), `max` above.
  void number(const Node& v, std::string_view key, Field<double>& out, double min = -HUGE_VAL, bool exclusive = false,
              double max = HUGE_VAL) {
    if (!v.is_number()) {
      std::string hint = v.type == Type::string && is_numeric_text(v.text)
                             ? "remove the quotes: a quoted number is a string in YAML"
                             : "";
      m_ctx.error("wrong-type", v.mark, fmt::format("'{}' must be a number, not {}", key, yaml::describe(v)), hint);
      return;
    }
    if (!std::isfinite(v.number)) {
      m_ctx.error("out-of-range", v.mark, fmt::format("'{}' is {}, which is not a finite number", key, v.text));
      return;
    }
    if (exclusive ? v.number <= min : v.number < min) {
      m_ctx.error("out-of-range", v.mark,
                  fmt::format("'{}' must be {} {}, not {}", key, exclusive ? "greater than" : "at least", min, v.text));
      return;
    }
    if (v.number > max) {
      m_ctx.error("out-of-range", v.mark, fmt::format("'{}' must be at most {}, not {}", key, max, v.text));
      return;
    }
    out.value = v.number;
    out.mark = v.mark;
  }

  template <class Int>
  void integer(const Node& v, std::string_view key, Field<Int>& out, double min, double max) {
    Field<double> d;
    // 3.0 is a whole number, as JSON Schema counts it; 2.5 is not.
    if (v.type == Type::real && std::isfinite(v.number) && std::trunc(v.number) != v.number) {
      m_ctx.error("wrong-type", v.mark, fmt::format("'{}' must be a whole number, not {}", key, v.text));
      return;
    }
    number(v, key, d, min, false, max);
    if (!d.has()) return;
    const double limit = std::ldexp(1.0, std::numeric_limits<Int>::digits);  // what Int cannot hold
    if (*d >= limit || *d < (std::numeric_limits<Int>::is_signed ? -limit : 0.0)) {
      m_ctx.error("out-of-range", v.mark,
                  fmt::format("'{}' must be at most {}, not {}", key, std::numeric_limits<Int>::max(), v.text));
      return;
    }
    out.value = static_cast<Int>(*d);
    out.mark = d.mark;
  }

  void boolean(const Node& v, std::string_view key, Field<bool>& out) {
    if (v.type != Type::boolean) {
      std::string word = ascii_lower(v.text);
      bool yaml11 = v.type == Type::string && (word == "yes" || word == "no" || word == "on" || word == "off" ||
                                               word == "y" || word == "n");
      m_ctx.error("wrong-type", v.mark, fmt::format("'{}' must be true or false, not {}", key, yaml::describe(v)),
                  yaml11 ? fmt::format("YAML 1.2 reads '{}' as a string; write {}", v.text,
                                       word == "yes" || word == "on" || word == "y" ? "true" : "false")
                         : std::string{});
      return;
    }
    out.value = v.boolean;
    out.mark = v.mark;
  }

  void date(const Node& v, std::string_view key, Field<Date>& out) {
    Field<std::string> s;
    if (!string(v, key, s)) return;
    auto d = parse_date(*s);
    if (!d) {
      bool shaped = s->size() == 10 && (*s)[4] == '-' && (*s)[7] == '-' && (*s)[5] <= '1' && (*s)[8] <= '3';
      // Only a date that the schema's pattern accepts (a day that does not exist) is left to `format`.
      m_ctx.error("invalid-date", v.mark, fmt::format("'{}' is not a valid date for '{}'", ellipsize(*s), key),
                  shaped ? "that day does not exist" : "write dates as YYYY-MM-DD", !matches_date_pattern(*s));
      out.mark = v.mark;  // written, but invalid: checks that need the date stay silent about it
      return;
    }
    out.value = *d;
    out.mark = v.mark;
  }

  template <class E>
  void enumeration(const Node& v, std::string_view key, std::span<const std::string_view> names, Field<E>& out) {
    if (!v.is_scalar() || v.type == Type::null) {
      m_ctx.error("wrong-type", v.mark, fmt::format("'{}' must be a string, not {}", key, yaml::describe(v)));
      return;
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (v.type == Type::string && names[i] == v.text) {
        out.value = static_cast<E>(i);
        out.mark = v.mark;
        return;
      }
    }
    m_ctx.error("invalid-value", v.mark,
                fmt::format("'{}' is not a valid {} (one of: {})", ellipsize(v.text), key, quoted_list(names)),
                did_you_mean(v.text, to_strings(names)));
  }

  bool sequence(const Node& v, std::string_view key) {
    if (v.type == Type::sequence) return true;
    m_ctx.error("wrong-type", v.mark, fmt::format("'{}' must be a list, not {}", key, yaml::describe(v)),
                v.is_scalar() ? fmt::format("write it as a list: [{}]", ellipsize(v.text)) : "");
    return false;
  }

  /// A list of distinct ids with at least `min_items` elements.
  void id_list(const Node& v, std::string_view key, ListField<std::string>& out, std::size_t min_items = 0) {
    out.present = true;
    out.mark = v.mark;
    if (!sequence(v, key) || !sized(v, key, min_items)) return;
    out.values.reserve(reserved(v));
    for (const auto& e : v.items) {
      Field<std::string> f;
      id(*e, key, f);
      if (f.has() && unique(out.values, f, key)) out.values.push_back(std::move(f));
    }
  }

  /// A list of non-empty strings, distinct when `distinct`.
  void string_list(const Node& v, std::string_view key, ListField<std::string>& out, bool distinct) {
    out.present = true;
    out.mark = v.mark;
    if (!sequence(v, key)) return;
    out.values.reserve(reserved(v));
    for (const auto& e : v.items) {
      Field<std::string> f;
      if (string(*e, key, f, true) && (!distinct || unique(out.values, f, key))) out.values.push_back(std::move(f));
    }
  }

  /// `email`: one address or a non-empty list of distinct addresses.
  void emails(const Node& v, ListField<std::string>& out) {
    out.present = true;
    out.mark = v.mark;
    if (v.type == Type::sequence) {
      if (!sized(v, "email", 1)) return;
      for (const auto& e : v.items) {
        Field<std::string> f;
        email(*e, f);
        if (f.has() && unique(out.values, f, "email")) out.values.push_back(std::move(f));
      }
      return;
    }
    if (v.type != Type::string) {
      m_ctx.error("wrong-type", v.mark, fmt::format("'email' must be a string or a list of strings, not {}", yaml::describe(v)));
      return;
    }
    Field<std::string> f;
    email(v, f);
    if (f.has()) out.values.push_back(std::move(f));
  }

  /// `files.*`: one non-empty path or glob, or a non-empty list of them.
  void paths(const Node& v, std::string_view key, ListField<std::string>& out) {
    if (v.type == Type::string) {
      Field<std::string> f;
      if (!string(v, key, f, true)) return;
      out.present = true;
      out.mark = v.mark;
      out.values.push_back(std::move(f));
      return;
    }
    if (v.type != Type::sequence) {
      m_ctx.error("wrong-type", v.mark,
                  fmt::format("'{}' must be a path or a list of paths, not {}", key, yaml::describe(v)));
      return;
    }
    if (!sized(v, key, 1)) return;
    string_list(v, key, out, false);
  }

  /// True for text that would be a number without quotes ("3", "1e5"; not "nan", which is plain text).
  static bool is_numeric_text(std::string_view s) {
    if (s.find_first_of("0123456789") == std::string_view::npos) return false;
    char* end = nullptr;
    std::string t(s);
    std::strtod(t.c_str(), &end);
    return end && *end == '\0';
  }

  /// Reads `v` into `out` as the table row `f` says (type and range).
  void value(const Node& v, const kinds::FieldInfo& f, Field<std::string>& out) {
    if (f.type == kinds::Type::id) id(v, f.name, out);
    else string(v, f.name, out, f.type == kinds::Type::title);
  }
  void value(const Node& v, const kinds::FieldInfo& f, Field<double>& out) {
    number(v, f.name, out, f.min, f.exclusive, f.max);
  }
  void value(const Node& v, const kinds::FieldInfo& f, Field<int>& out) { integer(v, f.name, out, f.min, f.max); }
  void value(const Node& v, const kinds::FieldInfo& f, Field<Date>& out) { date(v, f.name, out); }
  void value(const Node& v, const kinds::FieldInfo& f, Field<bool>& out) { boolean(v, f.name, out); }
  void value(const Node& v, const kinds::FieldInfo& f, ListField<std::string>& out) {
    if (f.type == kinds::Type::id_list) id_list(v, f.name, out);
    else string_list(v, f.name, out, f.type == kinds::Type::string_set);
  }
  template <class E>
  void value(const Node& v, const kinds::FieldInfo& f, Field<E>& out) {
    enumeration(v, f.name, f.values, out);
  }

  /// `rice`: a mapping of reach, impact, confidence (at most 1) and effort (more than 0).
  void value(const Node& v, const kinds::FieldInfo&, Field<model::Rice>& out) {
    if (!mapping(v, "'rice'")) return;
    Field<double> reach, impact, confidence, effort;
    static constexpr std::string_view k_rice[] = {"reach", "impact", "confidence", "effort"};
    entries(v, "'rice'", k_rice, {"reach", "impact", "confidence", "effort"}, [&](std::string_view rk, const Node& rv) {
      if (rk == "reach") number(rv, rk, reach, 0);
      else if (rk == "impact") number(rv, rk, impact, 0);
      else if (rk == "confidence") number(rv, rk, confidence, 0, false, 1);
      else number(rv, rk, effort, 0, true);
    });
    if (reach.has() && impact.has() && confidence.has() && effort.has()) {
      out.value = model::Rice{*reach, *impact, *confidence, *effort};
      out.mark = v.mark;
    }
  }

  /// `delay`: [min, max] workdays, two whole numbers with min <= max.
  void value(const Node& v, const kinds::FieldInfo& f, Field<std::array<int, 2>>& out) {
    if (!sequence(v, f.name)) return;
    if (v.items.size() != 2) {
      m_ctx.error("wrong-type", v.mark, "'delay' must be a list of two whole numbers: [min, max] workdays");
      return;
    }
    Field<int> lo, hi;
    integer(*v.items[0], "delay", lo, 0, 1e6);
    integer(*v.items[1], "delay", hi, 0, 1e6);
    if (!lo.has() || !hi.has()) return;
    if (*hi < *lo) {
      m_ctx.error("invalid-range", v.mark, fmt::format("'delay' is [min, max]: {} is more than {}", *lo, *hi), {},
                  false);
      return;
    }
    out.value = std::array<int, 2>{*lo, *hi};
    out.mark = v.mark;
  }

  Context& ctx() { return m_ctx; }

private:
  Context& m_ctx;
};

/// The key as tandem compares it: an SSH public key line as written (one space between its parts), an
/// OpenPGP fingerprint in upper case without spaces; nullopt when it is neither.
std::optional<std::string> normal_signing_key(std::string_view k) {
  static constexpr std::string_view k_ssh_types[] = {"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
                                                     "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
                                                     "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"};
  for (auto type : k_ssh_types) {
    if (!k.starts_with(type) || k.size() <= type.size() + 1 || k[type.size()] != ' ') continue;
    std::string_view rest = k.substr(type.size() + 1);
    std::string_view blob = rest.substr(0, rest.find(' '));
    std::size_t pad = 0;
    for (std::size_t i = 0; i < blob.size(); ++i) {
      char c = blob[i];
      if (c == '=') ++pad;
      else if (pad || !(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/')) return std::nullopt;
    }
    if (blob.empty() || pad > 3 || rest.find('\n') != std::string_view::npos) return std::nullopt;
    return std::string(k);
  }
  // Ten groups of four hex digits, each after the first optionally after one space (the schema's pattern).
  std::string hex;
  for (std::size_t i = 0; i < k.size(); ++i) {
    char c = k[i];
    if (c == ' ' && hex.size() % 4 == 0 && !hex.empty() && i + 1 < k.size() && k[i + 1] != ' ') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    hex += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (hex.size() != 40) return std::nullopt;
  return hex;
}

void decode_signing_keys(const Node& v, Reader& r, ListField<std::string>& out) {
  out.present = true;
  out.mark = v.mark;
  if (!r.sequence(v, "signing_keys")) return;
  std::vector<std::string> written;
  for (const auto& e : v.items) {
    Field<std::string> f;
    if (!r.string(*e, "signing_keys", f, true)) continue;
    auto key = normal_signing_key(*f);
    if (!key) {
      r.ctx().error("invalid-value", e->mark,
                    fmt::format("'{}' is not a signing key", ellipsize(*f)),
                    "write an SSH public key line (the contents of ~/.ssh/id_ed25519.pub: ssh-ed25519 AAAA… comment) "
                    "or an OpenPGP fingerprint (40 hex digits, gpg --fingerprint)");
      continue;
    }
    // Duplicates as written (the schema's uniqueItems); the value kept is the normal form.
    for (std::size_t i = 0; i < out.values.size(); ++i)
      if (written[i] == *f) {
        r.ctx().error("duplicate-value", e->mark, "this signing key is listed twice");
        key.reset();
      }
    if (!key) continue;
    written.push_back(*f);
    f.value = *key;
    out.values.push_back(std::move(f));
  }
}

void decode_trust(const Node& v, Reader& r, model::Config& c) {
  if (!r.mapping(v, "'trust'")) return;
  static constexpr std::string_view k_keys[] = {"signatures", "keyring"};
  r.entries(v, "'trust'", k_keys, {}, [&](std::string_view tk, const Node& tv) {
    if (tk == "signatures") r.enumeration(tv, tk, model::k_signatures_names, c.trust_signatures);
    else r.string(tv, tk, c.trust_keyring, true);
  });
}

void decode_person(const Node& n, Reader& r, model::Person& p) {
  p.mark = n.mark;
  if (!r.mapping(n, "a person")) return;
  static constexpr std::string_view k_keys[] = {"id", "name", "email", "roles", "capacity", "off", "signing_keys"};
  r.entries(n, "a person", k_keys, {"id"}, [&](std::string_view k, const Node& v) {
    if (k == "id") r.id(v, k, p.id);
    else if (k == "name") r.string(v, k, p.name, true);
    else if (k == "email") r.emails(v, p.emails);
    else if (k == "roles") r.id_list(v, k, p.roles);
    else if (k == "capacity") r.number(v, k, p.capacity, 0, false, 1);
    else if (k == "signing_keys") decode_signing_keys(v, r, p.signing_keys);
    else if (k == "off") {
      if (!r.sequence(v, k)) return;
      for (const auto& range : v.items) {
        if (!r.mapping(*range, "an 'off' range")) continue;
        Field<Date> from, to;
        static constexpr std::string_view k_range[] = {"from", "to"};
        r.entries(*range, "an 'off' range", k_range, {"from", "to"}, [&](std::string_view rk, const Node& rv) {
          r.date(rv, rk, rk == "from" ? from : to);
        });
        if (from.has() && to.has()) {
          if (*to < *from)
            r.ctx().error("invalid-range", range->mark,
                          fmt::format("'off' range ends ({}) before it starts ({})", to_string(*to), to_string(*from)),
                          {}, false);
          else
            p.off.push_back({*from, *to, range->mark});
        }
      }
    }
  });
}

void decode_roles(const Node& v, Reader& r, model::Config& c) {
  if (!r.mapping(v, "'roles'")) return;
  c.roles_given = true;
  for (const auto& [k, rv] : v.entries) {
    // The schema's `propertyNames` applies to `x-` keys too.
    if (!is_valid_id(k->text)) {
      r.ctx().error("invalid-id", k->mark, fmt::format("'{}' is not a valid role name", ellipsize(k->text)),
                    "a role name starts with a letter and has only letters, digits, '_', '.' and '-'");
      continue;
    }
    if (k->text.starts_with("x-")) continue;
    model::RoleCount count;
    count.mark = k->mark;
    std::string what = fmt::format("role '{}'", k->text);
    if (r.mapping(*rv, what)) {
      static constexpr std::string_view k_keys[] = {"min", "max"};
      r.entries(*rv, what, k_keys, {}, [&](std::string_view key, const Node& value) {
        Field<int> n;
        r.integer(value, key, n, 0, 1e9);
        if (n.has()) (key == "min" ? count.min : count.max) = *n;
      });
    }
    c.roles.emplace_back(k->text, count);
  }
}

void decode_version(const Node& v, Reader& r, model::Config& c) {
  r.integer(v, "version", c.version, -1e18, 1e18);
  if (c.version.has() && *c.version != 1) {
    r.ctx().error("invalid-value", v.mark, fmt::format("version {} is not supported; this tandem reads version 1", v.text));
    c.version.value.reset();
  }
}

void decode_project(const Node& v, Reader& r, model::Config& c) {
  if (!r.mapping(v, "'project'")) return;
  static constexpr std::string_view k_keys[] = {"name", "start"};
  r.entries(v, "'project'", k_keys, {"name"}, [&](std::string_view pk, const Node& pv) {
    if (pk == "name") r.string(pv, pk, c.project_name, true);
    else r.date(pv, pk, c.project_start);
  });
}

void decode_files(const Node& v, Reader& r, model::Config& c) {
  if (!r.mapping(v, "'files'")) return;
  r.entries(v, "'files'", kinds::k_list_names, {}, [&](std::string_view fk, const Node& fv) {
    ListField<std::string> list;
    r.paths(fv, fk, list);
    c.files[std::string(fk)] = list.values;
  });
}

void decode_workdays(const Node& v, Reader& r, model::Config& c) {
  if (!r.sequence(v, "workdays") || !r.sized(v, "workdays", 1)) return;
  c.workdays.fill(false);
  for (const auto& d : v.items) {
    Field<int> day;
    r.enumeration(*d, "weekday", k_weekdays, day);
    if (!day.has()) continue;
    if (c.workdays[static_cast<std::size_t>(*day)])
      r.ctx().error("duplicate-value", d->mark, fmt::format("'{}' is listed twice in workdays", d->text));
    c.workdays[static_cast<std::size_t>(*day)] = true;
  }
}

void decode_holidays(const Node& v, Reader& r, model::Config& c) {
  if (!r.sequence(v, "holidays")) return;
  for (const auto& d : v.items) {
    Field<Date> date;
    r.date(*d, "holidays", date);
    if (!date.has()) continue;
    bool repeated = false;
    for (const auto& h : c.holidays) repeated = repeated || *h == *date;
    if (repeated) r.ctx().error("duplicate-value", d->mark, fmt::format("'{}' is listed twice in holidays", d->text));
    else c.holidays.push_back(date);
  }
}

void decode_calendar(const Node& v, Reader& r, model::Config& c) {
  if (!r.mapping(v, "'calendar'")) return;
  static constexpr std::string_view k_keys[] = {"workdays", "holidays", "sprint"};
  r.entries(v, "'calendar'", k_keys, {}, [&](std::string_view ck, const Node& cv) {
    if (ck == "workdays") return decode_workdays(cv, r, c);
    if (ck == "holidays") return decode_holidays(cv, r, c);
    if (!r.mapping(cv, "'sprint'")) return;
    static constexpr std::string_view k_sprint[] = {"start", "length"};
    r.entries(cv, "'sprint'", k_sprint, {"start", "length"}, [&](std::string_view sk, const Node& sv) {
      if (sk == "start") r.date(sv, sk, c.sprint_start);
      else r.integer(sv, sk, c.sprint_length, 1, 1000);
    });
  });
}

void decode_people(const Node& v, Reader& r, model::Config& c) {
  if (!r.sequence(v, "people")) return;
  c.people_mark = v.mark;
  for (const auto& p : v.items) {
    c.people.emplace_back();
    decode_person(*p, r, c.people.back());
  }
}

void decode_separate(const Node& v, Reader& r, model::Config& c) {
  c.separate_present = true;
  if (!r.sequence(v, "separate")) return;
  for (const auto& group : v.items) {
    ListField<std::string> roles;
    r.id_list(*group, "separate", roles, 2);
    c.separate.push_back(std::move(roles));
  }
}

void decode_accountable(const Node& v, Reader& r, model::Config& c) {
  if (!r.mapping(v, "'accountable'")) return;
  r.entries(v, "'accountable'", kinds::k_list_names, {}, [&](std::string_view ak, const Node& av) {
    ListField<std::string> roles;
    r.id_list(av, ak, roles);
    c.accountable[std::string(ak)] = std::move(roles);
  });
}

void decode_priority(const Node& v, Reader& r, model::Config& c) {
  if (!r.mapping(v, "'priority'")) return;
  static constexpr std::string_view k_keys[] = {"model"};
  r.entries(v, "'priority'", k_keys, {}, [&](std::string_view pk, const Node& pv) {
    r.enumeration(pv, pk, model::k_priority_model_names, c.priority_model);
  });
}

void decode_forecast(const Node& v, Reader& r, model::Config& c) {
  if (!r.mapping(v, "'forecast'")) return;
  static constexpr std::string_view k_keys[] = {"runs", "window", "seed"};
  r.entries(v, "'forecast'", k_keys, {}, [&](std::string_view fk, const Node& fv) {
    if (fk == "runs") r.integer(fv, fk, c.forecast_runs, 1, 10'000'000);
    else if (fk == "window") r.integer(fv, fk, c.forecast_window, 1, 1e6);
    else r.integer(fv, fk, c.forecast_seed, 0, 9.007199254740992e15);
  });
}

/// Estimates in points need a velocity and sprints (the schema's if/then says the same).
void check_points(const Node& root, Context& ctx, const model::Config& c) {
  if (!c.estimates.has() || *c.estimates != model::Estimates::points) return;
  if (!root.get("velocity"))
    ctx.error("missing-key", c.estimates.mark, "'estimates: points' needs 'velocity' (points per sprint for the whole team)");
  const Node* calendar = root.get("calendar");
  if (!calendar || (calendar->type == Type::mapping && !calendar->get("sprint")))
    ctx.error("missing-key", c.estimates.mark, "'estimates: points' needs 'calendar.sprint' to convert points into workdays");
}

/// Decodes one top-level key of tandem.yaml by its step.
void decode_config_key(std::string_view k, const Node& v, Reader& r, model::Config& c) {
  if (k == "version") decode_version(v, r, c);
  else if (k == "project") decode_project(v, r, c);
  else if (k == "files") decode_files(v, r, c);
  else if (k == "calendar") decode_calendar(v, r, c);
  else if (k == "estimates") r.enumeration(v, k, model::k_estimates_names, c.estimates);
  else if (k == "velocity") r.number(v, k, c.velocity, 0, true);
  else if (k == "people") decode_people(v, r, c);
  else if (k == "roles") decode_roles(v, r, c);
  else if (k == "separate") decode_separate(v, r, c);
  else if (k == "accountable") decode_accountable(v, r, c);
  else if (k == "pool") r.id_list(v, k, c.pool);
  else if (k == "priority") decode_priority(v, r, c);
  else if (k == "forecast") decode_forecast(v, r, c);
  else if (k == "trust") decode_trust(v, r, c);
  else if (k == "ownership") c.ownership_mark = v.mark;  // decoded by core/ownership from the node `load` holds
}

/// The class of a pointer to member.
template <class M>
struct MemberOf;
template <class T, class C>
struct MemberOf<T C::*> {
  using type = C;
};

/// Decodes one record of `kind`: each key is looked up exactly in the kind's field table and read into
/// the model member the table names, with the table's type and range.
template <class Record>
void decode_record(const Node& n, Context& ctx, Record& record, const kinds::KindInfo& kind) {
  Reader r(ctx);
  record.file = ctx.index;
  record.mark = n.mark;
  if (!r.mapping(n, kind.record)) return;
  // field_names(kind)[i] is the name of kind.fields[i].
  r.entries(n, kind.record, kinds::field_names(kind), kinds::required_names(kind),
            [&](std::string_view, const Node& v, std::size_t i) {
    const kinds::FieldInfo& f = kind.fields[i];
    std::visit(
        [&](auto member) {
          if constexpr (std::is_member_object_pointer_v<decltype(member)>) {
            if constexpr (std::is_same_v<typename MemberOf<decltype(member)>::type, Record>) r.value(v, f, record.*member);
          }
        },
        f.slot);
  });
}

}  // namespace

void decode_config(const Node& root, Context& ctx, model::Config& c) {
  Reader r(ctx);
  if (!r.mapping(root, "tandem.yaml")) return;
  const auto& kind = kinds::of(schema::Kind::config);
  r.entries(root, "tandem.yaml", kinds::field_names(kind), kinds::required_names(kind),
            [&](std::string_view k, const Node& v) { decode_config_key(k, v, r, c); });
  check_points(root, ctx, c);
}

void resolve_defaults(model::Config& c) {
  auto roles = [](std::initializer_list<std::string_view> names) {
    ListField<std::string> list;
    for (auto name : names)
      if (!name.empty()) list.values.push_back({std::string(name), Mark{}});
    return list;
  };
  if (!c.roles_given && c.roles.empty())
    c.roles = {{"product_owner", {{}, 1, 1}}, {"project_manager", {{}, 1, 1}}, {"developer", {{}, 1, {}}}};
  if (!c.separate_present && c.separate.empty()) c.separate.push_back(roles({"product_owner", "project_manager"}));
  for (const auto& kind : kinds::k_lists)
    if (!c.accountable.count(std::string(kind.name)))
      c.accountable[std::string(kind.name)] = roles({kind.accountable[0], kind.accountable[1]});
  if (!c.pool.present && c.pool.values.empty()) c.pool = roles({"developer"});
}

void decode_list_root(const Node& root, Context& ctx, std::string_view list_key) {
  Reader r(ctx);
  std::string what = fmt::format("the top level of {}", ctx.file);
  if (!r.mapping(root, what)) return;
  std::string_view known[] = {list_key};
  r.entries(root, what, known, {list_key}, [&](std::string_view k, const Node& v) {
    if (v.type != Type::sequence && v.type != Type::null)
      ctx.error("wrong-type", v.mark, fmt::format("'{}' must be a list, not {}", k, yaml::describe(v)));
    else if (v.type == Type::null)
      ctx.error("wrong-type", v.mark, fmt::format("'{}' is empty; write '{}: []' for none", k, k));
  });
}

void decode_item(const Node& n, Context& ctx, model::Item& it) {
  decode_record(n, ctx, it, kinds::of(schema::Kind::backlog));
}

void decode_milestone(const Node& n, Context& ctx, model::Milestone& m) {
  decode_record(n, ctx, m, kinds::of(schema::Kind::roadmap));
}

void decode_risk(const Node& n, Context& ctx, model::Risk& rk) {
  decode_record(n, ctx, rk, kinds::of(schema::Kind::risks));
}

}  // namespace tandem::decode
