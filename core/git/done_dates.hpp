#pragma once
#include <map>
#include <set>
#include <string>

#include "core/base/date.hpp"
#include "core/git/repository.hpp"
#include "core/git/history.hpp"

namespace tandem {

/// For each id in `ids` (done items without a `done:` date), the date of the last commit up to `head`
/// in which its status became done (or in which it was created as done). Ids never seen done are absent.
std::map<std::string, Date> done_dates_from_history(const git::Repository& repo, history::Reader& reader,
                                                    const git_oid& head, const std::set<std::string>& ids);

}  // namespace tandem
