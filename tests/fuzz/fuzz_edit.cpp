// Fuzzes the editing commands: the input is a whole plan (tandem.yaml, then `#=> NAME` lines starting
// the other files). It is loaded as the editing commands load it (trees kept), and for the first record of each
// kind every edit is made: fields set (a value whose line ends in an aligned comment), added to (an element
// a flow list must quote) and removed, the record moved to the top, the bottom and
// after another, a record added before it, and the done items archived into the last backlog file. Each
// result is verified as the commands verify it. A refusal is an answer; a crash, a hang, an exception
// other than a refusal, or (with TANDEM_FUZZ_STRICT set) an edited text that would not read back as the
// change asked for is a bug. The sets are then made again as `tandem set` makes them: only the edited records kept.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/date.hpp"
#include "core/engine/editing.hpp"
#include "fuzz_common.hpp"

namespace {

using namespace tandem;

/// The options the editing commands load with: trees kept (or, with `records`, only those records, as
/// `tandem set` keeps them), no schema backstop (fuzz limits).
load::Options edit_options(const std::set<std::string>* records = nullptr) {
  auto o = fuzz::options();
  o.keep_trees = !records;
  o.keep_records = records;
  o.schema_backstop = false;
  return o;
}

/// Verifies `make()`'s result; a refusal of the edit or of its verification is fine, except the one that
/// says the edited text would not read back as asked.
template <class Make>
void attempt(load::Loaded& loaded, const Diagnostics& diags, const Source& source, Make make) {
  try {
    auto result = make();
    if (!result.files.empty())
      editing::verify(fuzz::location(), source, edit_options(), loaded, diags, result, *make_date(2027, 1, 4));
  } catch (const edit::Misread& e) {
    // An edit whose text would not read back as the change asked for is tandem's bug, not the input's;
    // nothing is written then, so it is a crash only in the long runs (tests/fuzz/run.sh sets
    // TANDEM_FUZZ_STRICT), not in CI's minute, which looks for memory and undefined-behaviour faults.
    static const bool strict = std::getenv("TANDEM_FUZZ_STRICT") != nullptr;
    if (strict) {
      std::fprintf(stderr, "%s\n", e.what());
      std::abort();
    }
  } catch (const edit::Refused&) {
  } catch (const Error&) {
  }
}

/// The ids of the first record of each kind, and of the last item (another record, for references).
std::pair<std::vector<std::string>, std::string> targets(const model::Plan& plan) {
  std::vector<std::string> ids;
  if (!plan.items.empty() && plan.items.front().id.has()) ids.push_back(*plan.items.front().id);
  if (!plan.milestones.empty() && plan.milestones.front().id.has()) ids.push_back(*plan.milestones.front().id);
  if (!plan.risks.empty() && plan.risks.front().id.has()) ids.push_back(*plan.risks.front().id);
  std::string other = plan.items.size() > 1 && plan.items.back().id.has() ? *plan.items.back().id : "";
  return {ids, other};
}

/// Every `set` of record `id` the fuzzer tries.
void set_all(load::Loaded& loaded, const Diagnostics& diags, const Source& source, const std::string& id,
             const editing::Place& place, const std::string& other) {
  const std::vector<std::string> assignments{"title=a: b", "status=done", "done=2027-01-02", "value=5",
                                             "value=123456789", "tags+=x", "tags-=x",
                                             "acceptance+=Second, with comma", "acceptance+=a [x] {y}",
                                             "depends_on+=" + (other.empty() ? id : other),
                                             "owner=", "target=2027-03-01", "probability=3", "milestone="};
  for (const auto& arg : assignments)
    attempt(loaded, diags, source, [&] {
      return editing::set_fields(loaded, source, id, {editing::parse_assignment(*place.kind, arg)});
    });
}

/// Every edit of the first record of each kind, and an archive, on the loaded plan.
void edit_all(load::Loaded& loaded, const Diagnostics& diags, const Source& source) {
  const auto& plan = loaded.plan;
  auto found = targets(plan);  // not a structured binding: clang 14 cannot capture one
  const std::vector<std::string>& ids = found.first;
  const std::string& other = found.second;
  for (const auto& id : ids) {
    editing::Place place;
    try {
      place = editing::locate(loaded, id);
    } catch (const edit::Refused&) {
      continue;
    }
    set_all(loaded, diags, source, id, place, other);
    for (auto where : {editing::Position::top, editing::Position::bottom, editing::Position::after})
      attempt(loaded, diags, source, [&] { return editing::move_record(loaded, source, id, where, other); });
    editing::NewRecord rec;
    rec.kind = place.kind;
    rec.title = "new: \"one\"\n#x";
    rec.before = id;
    attempt(loaded, diags, source, [&] { return editing::add_record(loaded, source, rec, {}); });
  }
  for (std::size_t f = plan.files.size(); f-- > 0;)
    if (f < plan.file_kinds.size() && plan.file_kinds[f] == "backlog") {
      attempt(loaded, diags, source, [&] { return editing::archive(loaded, source, std::nullopt, plan.files[f]); });
      break;
    }
}

/// Every `set` again as the command runs it: the edited records kept alone (load::Options::keep_records),
/// each edit read back and verified by that record alone where it can be.
void set_kept(const Source& source, const std::vector<std::string>& ids, const std::string& other) {
  std::set<std::string> kept(ids.begin(), ids.end());
  Diagnostics diags;
  auto loaded = load::load(fuzz::location(), source, edit_options(&kept), diags);
  if (loaded.read_again) return;  // the command reads such a plan as edit_all does
  for (const auto& id : ids) {
    try {
      set_all(loaded, diags, source, id, editing::locate(loaded, id), other);
    } catch (const edit::Refused&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  fuzz::MemorySource source(fuzz::split_files(text, "tandem.yaml"));
  Diagnostics diags;
  try {
    auto loaded = load::load(fuzz::location(), source, edit_options(), diags);
    edit_all(loaded, diags, source);
    auto found = targets(loaded.plan);
    set_kept(source, found.first, found.second);
  } catch (const Error&) {
  }
  return 0;
}
