// Fuzzes reading and checking one plan file: the input is written as the backlog, the roadmap and
// the risk register of a fixed, valid tandem.yaml, loaded, checked, and its findings rendered.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/engine/check.hpp"
#include "core/base/date.hpp"
#include "core/render/findings.hpp"
#include "fuzz_common.hpp"

namespace {

constexpr const char* k_config = R"(version: 1
project: {name: Fuzz, start: 2027-01-04}
files: {backlog: backlog.yaml, roadmap: roadmap.yaml, risks: risks.yaml}
people:
  - {id: alice, name: Alice, email: alice@example.com, roles: [product_owner]}
  - {id: bob, name: Bob, email: bob@example.com, roles: [project_manager]}
  - {id: carol, name: Carol, email: carol@example.com, roles: [developer]}
  - {id: dave, name: Dave, roles: [developer, qa], capacity: 0.5}
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tandem;
  std::string text(reinterpret_cast<const char*>(data), size);
  fuzz::MemorySource source({{"tandem.yaml", k_config}, {"backlog.yaml", text}, {"roadmap.yaml", text},
                             {"risks.yaml", text}});
  Diagnostics diags;
  try {
    auto loaded = load::load(fuzz::location(), source, fuzz::options(), diags);
    check::run(loaded, *make_date(2027, 3, 1), diags);
  } catch (const Error&) {
    return 0;  // a failure to read is reported as such, not a crash
  }
  auto sorted = diags.sorted();
  // The schema backstop speaks only where the decoder let through what the JSON Schemas reject: the two
  // disagree, which is tandem's bug. A crash in the long runs (TANDEM_FUZZ_STRICT), as in fuzz_edit.
  static const bool strict = std::getenv("TANDEM_FUZZ_STRICT") != nullptr;
  for (const auto& d : sorted)
    if (strict && d.code == "schema-violation") {
      std::fprintf(stderr, "%s: %s\n", d.file.c_str(), d.message.c_str());
      std::abort();
    }
  for (auto f : {render::Format::text, render::Format::json, render::Format::github, render::Format::sarif,
                 render::Format::gitlab, render::Format::junit})
    (void)render::findings(sorted, f, {});
  return 0;
}
