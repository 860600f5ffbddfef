// Fuzzes the semantic diff: the input holds two versions of a plan separated by a `#== new` line,
// each a tandem.yaml followed by `#=> NAME` lines starting the other files. Both are read through
// one history reader (so its caches are exercised), diffed both ways, and the diff rendered.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <tuple>
#include <vector>

#include "core/git/history.hpp"
#include "core/render/history.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tandem;
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string old_text = text, new_text;
  for (std::size_t at = text.find("#== new"); at != std::string::npos; at = text.find("#== new", at + 1)) {
    if (at != 0 && text[at - 1] != '\n') continue;
    old_text = text.substr(0, at);
    std::size_t eol = text.find('\n', at);
    new_text = eol == std::string::npos ? "" : text.substr(eol + 1);
    break;
  }
  fuzz::MemorySource old_source(fuzz::split_files(old_text, "tandem.yaml"));
  fuzz::MemorySource new_source(fuzz::split_files(new_text, "tandem.yaml"));
  try {
    history::Reader reader(nullptr, "tandem.yaml", fuzz::options());
    auto before = reader.read(old_source);
    auto after = reader.read(new_source);
    for (const auto& [a, b] : {std::pair{before, after}, std::pair{after, before}}) {
      render::DiffReport report;
      report.from = "old";
      report.to = "new";
      report.changes = history::diff(*a, *b);
      for (auto f : {render::Format::text, render::Format::json, render::Format::csv, render::Format::markdown})
        (void)render::diff(report, f);
      for (const auto& c : report.changes) (void)history::display(c.new_value);
    }
    // The reader re-split the new version's files from the old ones' (history::resplit); a fresh
    // reader splits them whole. Where every file parsed, both must read the same records.
    history::Reader fresh(nullptr, "tandem.yaml", fuzz::options());
    auto alone = fresh.read(new_source);
    if (after->problems.empty() && alone->problems.empty()) {
      auto placed = [](const history::Version& v) {
        std::vector<std::tuple<std::string, std::uint32_t, std::string, std::vector<std::pair<std::string, std::string>>,
                               std::vector<std::uint32_t>, std::vector<std::uint32_t>>>
            out;
        for (const auto& kind : v.kinds)
          for (const auto& p : kind)
            out.emplace_back(p.file, p.line, p.record->id, p.record->fields, p.record->lines, p.record->columns);
        return out;
      };
      if (placed(*after) != placed(*alone)) {
        std::fprintf(stderr, "the reader read a version differently after another one\n");
        std::abort();
      }
    }
  } catch (const Error&) {
    return 0;
  }
  return 0;
}
