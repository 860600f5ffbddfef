#pragma once
// Shared pieces of the libFuzzer harnesses: an in-memory source, splitting one input into several
// files, and small limits.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/error.hpp"
#include "core/plan/load.hpp"
#include "core/base/source.hpp"

namespace tandem::fuzz {

/// Files held in memory, path → text.
class MemorySource : public Source {
public:
  explicit MemorySource(std::map<std::string, std::string> files) : m_files(std::move(files)) {}
  std::optional<std::string> read(const std::string& path, std::size_t max_bytes) const override {
    auto it = m_files.find(path);
    if (it == m_files.end()) return std::nullopt;
    if (it->second.size() > max_bytes) throw Error("file too large");
    return it->second;
  }
  /// Paths holding "escape" are symbolic links; a prefix of a path is a directory.
  EntryType type(const std::string& path) const override {
    if (path.find("escape") != std::string::npos) return EntryType::link;
    if (m_files.count(path)) return EntryType::file;
    auto it = m_files.lower_bound(path + "/");
    return it != m_files.end() && it->first.starts_with(path + "/") ? EntryType::directory : EntryType::none;
  }
  std::vector<std::pair<std::string, EntryType>> list(const std::string& dir) const override {
    std::vector<std::pair<std::string, EntryType>> out;
    std::string prefix = dir.empty() ? "" : dir + "/";
    for (const auto& [path, text] : m_files) {
      if (!path.starts_with(prefix)) continue;
      std::string name = path.substr(prefix.size(), path.find('/', prefix.size()) - prefix.size());
      if (out.empty() || out.back().first != name) out.emplace_back(name, type(prefix + name));
    }
    return out;
  }

private:
  std::map<std::string, std::string> m_files;
};

/// Splits `text` into files at marker lines `#=> NAME` (the text before the first marker goes to
/// `first`). Lets seeds stay readable YAML while one input holds a whole plan.
inline std::map<std::string, std::string> split_files(std::string_view text, const std::string& first) {
  std::map<std::string, std::string> out;
  std::string name = first;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t next = text.find("#=> ", pos);
    while (next != std::string_view::npos && next != 0 && text[next - 1] != '\n') next = text.find("#=> ", next + 1);
    std::string_view chunk = text.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
    out[name] += std::string(chunk);
    if (next == std::string_view::npos) break;
    std::size_t eol = text.find('\n', next);
    name = std::string(text.substr(next + 4, eol == std::string_view::npos ? std::string_view::npos : eol - next - 4));
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return out;
}

/// Small, fixed limits so that inputs cannot take long; the real defaults are larger.
inline load::Options options() {
  load::Options o;
  o.max_file_size = 1u << 20;
  o.limits.max_depth = 64;
  o.limits.max_alias_nodes = 100'000;
  o.schema_backstop = true;  // valijson behind the decoder: the proof that the two agree (see fuzz_plan_file)
  return o;
}

inline load::Location location() { return load::Location{"/repo", "tandem.yaml", true}; }

}  // namespace tandem::fuzz
