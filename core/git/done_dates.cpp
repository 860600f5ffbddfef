#include "core/git/done_dates.hpp"

#include "core/git/audit.hpp"

namespace tandem {

std::map<std::string, Date> done_dates_from_history(const git::Repository& repo, history::Reader& reader,
                                                    const git_oid& head, const std::set<std::string>& ids) {
  std::map<std::string, Date> out;
  if (ids.empty()) return out;
  const std::string done = "\"done\"";
  Diagnostics ignored;
  for (const auto& oid : repo.walk(head, std::nullopt)) {
    auto commit = repo.lookup(oid);
    auto info = repo.info(commit.get());
    for (const auto& c : audit::changes_of(repo, reader, commit.get(), ignored, info)) {
      if (c.kind != "backlog" || !ids.count(c.id)) continue;
      bool became_done = c.field == "status" && c.new_value == done;
      if (c.field == "create") {
        for (const auto& p : reader.at(oid)->kinds[0])
          if (p.record->id == c.id)
            for (const auto& [name, value] : p.record->fields) became_done = became_done || (name == "status" && value == done);
      }
      if (became_done) out[c.id] = info.date;
    }
  }
  return out;
}

}  // namespace tandem
