#include "core/git/done_dates.hpp"

#include "core/git/cache.hpp"
#include "core/git/walk.hpp"

namespace tandem {

std::map<std::string, Date> done_dates_from_history(const git::Repository& repo, history::Reader& reader,
                                                    const git::Oid& head, const std::set<std::string>& ids,
                                                    history::Cache* cache) {
  std::map<std::string, Date> out;
  if (ids.empty()) return out;
  const std::string done = "\"done\"";
  Diagnostics ignored;
  history::for_each_change(
      repo, reader, repo.walk(head, std::nullopt), ignored,
      [&](history::Step& step) {
        for (const auto& c : step.changes)
          if (c.kind == "backlog" && ids.count(c.id) && c.field == "status" && c.new_value == done)
            out[c.id] = step.commit.date;
        for (const auto& [id, status] : step.created_status)  // created as done
          if (ids.count(id) && status == done) out[id] = step.commit.date;
      },
      {.cache = cache});
  return out;
}

std::set<std::string> undated_done_items(const model::Plan& plan) {
  std::set<std::string> out;
  for (const auto& it : plan.items)
    if (it.status_or_default() == model::Status::done && !it.done.has() && it.id.has()) out.insert(*it.id);
  return out;
}

std::map<std::string, Date> done_dates_from_history(const load::Options& options, const std::string& rev,
                                                    const model::Plan& plan) {
  auto undated = undated_done_items(plan);
  if (undated.empty()) return {};
  auto where = load::locate(options);
  if (!where.in_git) return {};
  git::Repository repo(where.root);
  if (rev.empty() && repo.unborn()) return {};  // no commits yet: no history to date them by
  history::Reader reader(&repo, where.config_path, options);
  auto head = repo.resolve(rev.empty() ? "HEAD" : rev);
  history::Cache cache(repo, where.config_path, options);  // the walk's findings, kept between runs
  auto out = done_dates_from_history(repo, reader, head, undated, &cache);
  cache.save();
  return out;
}

}  // namespace tandem
