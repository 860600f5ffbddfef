#pragma once
// Builds plans for engine tests from inline YAML, through the real loader and checks.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "core/engine/check.hpp"
#include "core/plan/load.hpp"
#include "core/base/text.hpp"

namespace tandem::test {

/// Plan files held in memory.
class MemorySource : public Source {
public:
  explicit MemorySource(std::map<std::string, std::string> files) : m_files(std::move(files)) {}
  std::optional<std::string> read(const std::string& path, std::size_t) const override {
    auto it = m_files.find(path);
    if (it == m_files.end()) return std::nullopt;
    return it->second;
  }
  EntryType type(const std::string& path) const override {
    return m_files.count(path) ? EntryType::file : EntryType::none;
  }
  std::vector<std::pair<std::string, EntryType>> list(const std::string&) const override { return {}; }

private:
  std::map<std::string, std::string> m_files;
};

/// A team of developers d1..dN (capacity 1 unless given), one PO and one PM, starting on a Monday.
inline std::string team_config(int developers = 1, const std::string& extra = "") {
  std::string out =
      "version: 1\nproject: {name: Test, start: 2027-01-04}\npeople:\n"
      "  - {id: po, name: PO, roles: [product_owner]}\n"
      "  - {id: pm, name: PM, roles: [project_manager]}\n";
  for (int i = 1; i <= developers; ++i)
    out += "  - {id: d" + std::to_string(i) + ", name: Dev " + std::to_string(i) + ", roles: [developer]}\n";
  return out + extra;
}

/// Loads a plan and fails the test on any error finding.
inline load::Loaded load_plan(const std::string& config, const std::string& backlog, const std::string& roadmap = "",
                              const std::string& risks = "") {
  std::map<std::string, std::string> files{{"tandem.yaml", config}, {"backlog.yaml", backlog}};
  if (!roadmap.empty()) files["roadmap.yaml"] = roadmap;
  if (!risks.empty()) files["risks.yaml"] = risks;
  MemorySource source(files);
  load::Location where{"/nonexistent", "tandem.yaml", false};
  Diagnostics diags;
  auto loaded = load::load(where, source, {}, diags);
  check::run(loaded, Date{0}, diags);
  std::string errors;
  for (const auto& d : diags.sorted())
    if (d.severity == Severity::error) errors += format_diagnostic(d) + "\n";
  REQUIRE_MESSAGE(errors.empty(), errors);
  return loaded;
}

}  // namespace tandem::test
