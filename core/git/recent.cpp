#include "core/git/recent.hpp"

#include <fmt/format.h>

#include <map>

#include "core/git/walk.hpp"

namespace tandem::history {

std::vector<RecentChange> describe_changes(const git::CommitInfo& info, const std::vector<Change>& changes,
                                           const audit::Authority& authority) {
  std::vector<RecentChange> out;
  const model::Person* p = authority.person(info.author_email);
  std::string who = p && p->id.has() ? *p->id : "unknown person <" + info.author_email + ">";
  std::map<std::string, int> created;  // a commit that adds many records is one line per kind
  for (const auto& c : changes)
    if (c.field == "create" && c.kind != "config") ++created[c.kind];
  for (const auto& [kind, n] : created)
    if (n > 3) {
      std::string_view records = kind == "backlog" ? "items" : kind == "roadmap" ? "milestones" : "risks";
      out.push_back({to_string(info.date), info.short_id, who, fmt::format("{} {} created", n, records)});
    }
  for (const auto& c : changes) {
    if (c.field == "create" && c.kind != "config" && created[c.kind] > 3) continue;
    std::string subject = c.kind == "config" ? "tandem.yaml" : c.id;
    std::string what = c.field == "create"   ? subject + " created"
                       : c.field == "delete" ? subject + " deleted"
                       : c.field == "order"  ? subject + " moved in the " + c.kind + " order"
                                             : fmt::format("{} {}: {} → {}", subject, c.field, display(c.old_value),
                                                           display(c.new_value));
    out.push_back({to_string(info.date), info.short_id, who, what});
  }
  return out;
}

std::vector<RecentChange> recent_changes(const git::Repository& repo, Reader& reader, const git::Oid& head,
                                         const audit::Authority& authority, Window window,
                                         std::vector<std::string>& cut) {
  std::vector<RecentChange> out;
  Diagnostics ignored;
  constexpr std::int64_t k_day = 86400;
  auto commits = repo.since(head, std::int64_t{window.from.days} * k_day, std::int64_t{window.to.days + 1} * k_day - 1);
  for_each_change(
      repo, reader, commits, ignored,
      [&](Step& step) {
        if (step.cut) {
          cut.push_back(step.commit.short_id);
          return;
        }
        auto lines = describe_changes(step.commit, step.changes, authority);
        out.insert(out.end(), std::make_move_iterator(lines.begin()), std::make_move_iterator(lines.end()));
      },
      {.skip_cut = true});
  return out;
}

std::vector<RecentChange> recent_changes(const load::Options& options, const std::string& rev, Window window,
                                         std::vector<std::string>& cut) {
  auto where = load::locate(options);
  git::Repository repo(where.root);
  if (rev.empty() && repo.unborn()) return {};
  git::Oid head = repo.resolve(rev.empty() ? "HEAD" : rev);
  repo.use_mailmap_of(head);  // the committed .mailmap, not the work tree's
  auto authority = audit::authority_at(repo, head, where.config_path, options);
  Reader reader(&repo, where.config_path, options);
  return recent_changes(repo, reader, head, authority, window, cut);
}

bool no_commits(const load::Options& options) {
  auto where = load::locate(options);
  return where.in_git && git::Repository(where.root).unborn();
}

}  // namespace tandem::history
