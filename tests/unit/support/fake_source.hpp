#pragma once
// An in-memory Source and helpers to load plans from inline YAML in unit tests.
#include <fnmatch.h>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/check.hpp"
#include "core/base/date.hpp"
#include "core/base/diagnostic.hpp"
#include "core/base/error.hpp"
#include "core/plan/load.hpp"
#include "core/base/source.hpp"

/// Prints lists of lines in failed CHECKs, one quoted line each.
template <>
struct doctest::StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& lines) {
    std::string out = "{";
    for (const auto& l : lines) out += "\n  \"" + l + "\"";
    out += lines.empty() ? "}" : "\n}";
    return String(out.c_str());
  }
};

namespace tandem::test {

/// A map of repository-relative path → file text; paths in `escaping` leave the repository through
/// a (pretend) symbolic link.
class FakeSource : public Source {
public:
  FakeSource() = default;
  explicit FakeSource(std::map<std::string, std::string> files) : m_files(std::move(files)) {}

  std::map<std::string, std::string>& files() { return m_files; }
  std::set<std::string> escaping;
  /// Every path passed to `read`, in order.
  mutable std::vector<std::string> reads;

  std::optional<std::string> read(const std::string& path, std::size_t max_bytes) const override {
    reads.push_back(path);
    auto it = m_files.find(path);
    if (it == m_files.end()) return std::nullopt;
    if (it->second.size() > max_bytes)
      throw Error(fmt::format("{} is {} bytes, more than the limit of {}", path, it->second.size(), max_bytes));
    return it->second;
  }

  std::vector<std::string> glob(const std::string& pattern) const override {
    std::vector<std::string> out;  // std::map keeps them sorted
    for (const auto& [path, text] : m_files)
      if (::fnmatch(pattern.c_str(), path.c_str(), FNM_PATHNAME) == 0) out.push_back(path);
    return out;
  }

  bool stays_inside(const std::string& path) const override { return !escaping.count(path); }

private:
  std::map<std::string, std::string> m_files;
};

/// Where a fake repository's tandem.yaml lives.
inline load::Location fake_location(std::string config_path = "tandem.yaml") {
  return load::Location{"/repo", std::move(config_path), true};
}

/// Every diagnostic, sorted, as `format_diagnostic` prints it.
inline std::vector<std::string> formatted(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const auto& d : diags.sorted()) out.push_back(format_diagnostic(d));
  return out;
}

/// The diagnostics with one code, sorted and formatted.
inline std::vector<std::string> formatted(const Diagnostics& diags, std::string_view code) {
  std::vector<std::string> out;
  for (const auto& d : diags.sorted())
    if (d.code == code) out.push_back(format_diagnostic(d));
  return out;
}

/// A tandem.yaml with one person for each default role, every default in force.
inline constexpr std::string_view k_config = R"(version: 1
project: {name: Demo}
people:
  - {id: alice, name: Alice, email: alice@example.com, roles: [product_owner]}
  - {id: bob, name: Bob, email: bob@example.com, roles: [project_manager]}
  - {id: carol, name: Carol, email: carol@example.com, roles: [developer]}
)";

/// A plan loaded from inline files, and the findings of loading it and of `check::run`.
struct Checked {
  load::Loaded loaded;
  Diagnostics load_diags;   ///< findings made while reading and decoding
  Diagnostics check_diags;  ///< findings of check::run
};

/// Loads `files` (path → text; tandem.yaml defaults to `k_config`) and runs the checks as of `today`.
inline Checked check_plan(std::map<std::string, std::string> files,
                          Date today = *make_date(2027, 1, 4)) {
  if (!files.count("tandem.yaml")) files["tandem.yaml"] = std::string(k_config);
  FakeSource source(std::move(files));
  Checked out;
  out.loaded = load::load(fake_location(), source, load::Options{}, out.load_diags);
  check::run(out.loaded, today, out.check_diags);
  return out;
}

}  // namespace tandem::test
