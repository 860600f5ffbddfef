#pragma once
#include <map>
#include <set>
#include <string>

#include "core/base/date.hpp"
#include "core/git/history.hpp"
#include "core/git/repository.hpp"
#include "core/plan/load.hpp"
#include "core/plan/model.hpp"

namespace tandem {

namespace history {
class Cache;
}

/// For each id in `ids` (done items without a `done:` date), the date of the last commit up to `head`
/// in which its status became done (or in which it was created as done). Ids never seen done are absent.
/// With `cache`, the commits it holds are not read again.
std::map<std::string, Date> done_dates_from_history(const git::Repository& repo, history::Reader& reader,
                                                    const git::Oid& head, const std::set<std::string>& ids,
                                                    history::Cache* cache = nullptr);

/// The ids of the plan's done items that have no `done:` date.
std::set<std::string> undated_done_items(const model::Plan& plan);

/// The dates on which the plan's done items without a `done:` date became done, by id, from the
/// history up to `rev` (or HEAD) of the repository of the plan that `options` locates; empty when
/// there is no such item or the plan is not in a git repository. The walk uses the history cache
/// (history::Cache), so that a second run reads only new commits.
std::map<std::string, Date> done_dates_from_history(const load::Options& options, const std::string& rev,
                                                    const model::Plan& plan);

}  // namespace tandem
