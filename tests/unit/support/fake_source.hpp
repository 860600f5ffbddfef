#pragma once
// An in-memory Source and helpers to load plans from inline YAML in unit tests.
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

/// What a flat map of files implies at `path`: a file, a directory (a prefix of some path), a link
/// (a path in `links`), or nothing.
template <class Map>
EntryType map_type(const Map& files, const std::set<std::string>& links, const std::string& path) {
  if (links.count(path)) return EntryType::link;
  if (files.count(path)) return EntryType::file;
  for (const auto& p : links)
    if (p.starts_with(path + "/")) return EntryType::directory;
  auto it = files.lower_bound(path + "/");
  return it != files.end() && it->first.starts_with(path + "/") ? EntryType::directory : EntryType::none;
}

/// The names directly in `dir` ("" the root) that a flat map of files implies, with their types.
template <class Map>
std::vector<std::pair<std::string, EntryType>> map_list(const Map& files, const std::set<std::string>& links,
                                                        const std::string& dir) {
  std::set<std::string> names;
  std::string prefix = dir.empty() ? "" : dir + "/";
  auto add = [&](const std::string& p) {
    if (p.starts_with(prefix)) names.insert(p.substr(prefix.size(), p.find('/', prefix.size()) - prefix.size()));
  };
  for (const auto& [p, text] : files) add(p);
  for (const auto& p : links) add(p);
  std::vector<std::pair<std::string, EntryType>> out;
  for (const auto& n : names) out.emplace_back(n, map_type(files, links, prefix + n));
  return out;
}

/// A map of repository-relative path → file text; paths in `links` are (pretend) symbolic links.
class FakeSource : public Source {
public:
  FakeSource() = default;
  explicit FakeSource(std::map<std::string, std::string> files) : m_files(std::move(files)) {}

  std::map<std::string, std::string>& files() { return m_files; }
  std::set<std::string> links;
  /// Every path passed to `read`, in order.
  mutable std::vector<std::string> reads;

  std::optional<std::string> read(const std::string& path, std::size_t max_bytes) const override {
    reads.push_back(path);
    if (links.count(path)) throw Error(fmt::format("{} is a symbolic link, not a plan file", path));
    auto it = m_files.find(path);
    if (it == m_files.end()) return std::nullopt;
    if (it->second.size() > max_bytes)
      throw Error(fmt::format("{} is {} bytes, more than the limit of {}", path, it->second.size(), max_bytes));
    return it->second;
  }
  EntryType type(const std::string& path) const override { return map_type(m_files, links, path); }
  std::vector<std::pair<std::string, EntryType>> list(const std::string& dir) const override {
    return map_list(m_files, links, dir);
  }

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
