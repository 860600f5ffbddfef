#pragma once
// `tandem show` (one record: its fields as written, and what the engines computed about it) and
// `tandem list` (the backlog items as a table).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/engine/priority.hpp"
#include "core/engine/risks.hpp"
#include "core/engine/schedule.hpp"
#include "core/engine/status.hpp"
#include "core/git/blame.hpp"
#include "core/plan/load.hpp"
#include "core/render/findings.hpp"

namespace tandem::render {

/// One record and what the engines computed over the whole plan, for `show`.
struct Shown {
  const load::Loaded* loaded = nullptr;
  const index::Record* record = nullptr;  ///< the record shown
  /// Its fields as written, in file order: name → canonical JSON.
  std::vector<std::pair<std::string, std::string>> fields;
  const priority::Ranking* ranking = nullptr;  ///< the configured model's ranking
  const schedule::Schedule* schedule = nullptr;
  const std::vector<status::Status>* statuses = nullptr;  ///< the one status of each milestone (status::judge_all)
  const risks::Report* risks = nullptr;  ///< the open risks, ranked
  std::optional<history::LogEntry> last_change;  ///< the last commit that changed it
  std::string no_change;                         ///< why there is none ("no commit changed it", no git)
};

/// The fields of record `id` of the list `list_key` in `path` as written (file order, canonical
/// JSON), from the tree `loaded` kept or else from `source`; empty when the record is not there.
std::vector<std::pair<std::string, std::string>> written_fields(const load::Loaded& loaded, const Source& source,
                                                                const std::string& path, std::string_view list_key,
                                                                std::string_view id);

/// `show` in text (fields, then "computed:") or JSON (SPEC 11: `id, kind, file, line, fields, rank, …`).
std::string show(const Shown& shown, Format format);

/// `list`: the items `matched` keeps, in file order, with rank, status, person, milestone, estimate
/// and tags; `scope` ("--tag ui") heads the text. Text, JSON (`items`), CSV and markdown.
std::string list(const load::Loaded& loaded, const priority::Ranking& ranking, const schedule::Schedule& schedule,
                 const std::vector<bool>& matched, std::string_view scope, Format format);

}  // namespace tandem::render
