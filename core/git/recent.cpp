#include "core/git/recent.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <string_view>

#include "core/base/error.hpp"
#include "core/git/judged.hpp"
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

namespace {

/// An item's status in canonical JSON, as history's changes hold it.
bool is_status(const std::optional<std::string>& value, const char* status) {
  return value && *value == fmt::format("\"{}\"", status);
}

}  // namespace

ReportHistory report_history(const git::Repository& repo, Reader& reader, const git::Oid& head,
                             const std::string& config_path, const load::Options& options, Window window,
                             Date horizon) {
  ReportHistory out;
  constexpr std::int64_t k_day = 86400;
  const std::int64_t from = std::int64_t{window.from.days} * k_day, to = std::int64_t{window.to.days + 1} * k_day - 1;
  horizon = std::min(horizon, window.from);
  auto newest_first = repo.since(head, std::int64_t{horizon.days} * k_day);
  std::vector<git::Oid> commits(newest_first.rbegin(), newest_first.rend());
  auto authority = audit::authority_at(repo, head, config_path, options);  // names people as the report does
  std::map<std::string, std::vector<RecentChange>> lines;  // of the window's commits, by id
  Diagnostics ignored;
  Cache cache(repo, config_path, options);
  for_each_change(
      repo, reader, commits, ignored,
      [&](Step& step) {
        const auto& info = step.commit;
        bool in_window = info.time >= from && info.time <= to;
        if (step.cut) {
          if (in_window) out.cut.push_back(info.short_id);
          return;
        }
        for (const auto& c : step.changes) {
          if (c.kind != "backlog") continue;
          if (c.field == "create") out.created[c.id] = info.date;
          else if (c.field == "status" && is_status(c.new_value, "doing")) out.started[c.id] = info.date;
          else if (c.field == "status" && is_status(c.new_value, "done")) out.done[c.id] = info.date;
        }
        for (const auto& [id, status] : step.created_status)  // items created as they stand
          if (is_status(status, "done") || is_status(status, "doing"))
            (is_status(status, "done") ? out.done : out.started)[id] = info.date;
        if (!in_window) return;
        lines[info.id] = describe_changes(info, step.changes, authority);
      },
      {.skip_cut = true, .cache = &cache});
  cache.save();
  // What the plan held before the walk's first commit was created before the horizon.
  std::optional<git::Oid> before = head;  // no commit since the horizon: the head's plan is all older
  if (!commits.empty()) {
    auto first = repo.info(commits.front());
    before.reset();
    if (!first.parent_ids.empty() && repo.contains(first.parent_ids[0])) before = first.parent_ids[0];
  }
  if (before)
    if (auto v = reader.at(*before))
      for (const auto& p : v->kinds[0]) out.created.emplace(p.record->id, horizon + -1);
  for (const auto& id : newest_first) {
    auto it = lines.find(id.hex());
    if (it == lines.end()) continue;
    out.recent.insert(out.recent.end(), std::make_move_iterator(it->second.begin()),
                      std::make_move_iterator(it->second.end()));
  }
  return out;
}

std::optional<git::Range> window_range(const git::Repository& repo, const git::Oid& head, Window window) {
  constexpr std::int64_t k_day = 86400;
  const std::int64_t from = std::int64_t{window.from.days} * k_day, to = std::int64_t{window.to.days + 1} * k_day - 1;
  std::optional<git::Oid> top;  // the newest commit of the line dated on or before the window's last day
  for (git::Oid at = head;;) {
    auto info = repo.info(at);
    if (!top && info.time <= to) top = at;
    if (info.time < from) return git::Range{at, *top};  // dated before the window: on or before its end too
    if (info.parent_ids.empty()) return top ? std::optional(git::Range{std::nullopt, *top}) : std::nullopt;
    if (!repo.contains(info.parent_ids[0]))
      throw Error(fmt::format("the history is incomplete: this shallow clone begins at {}, {} the window; {}",
                              info.short_id, top ? "inside" : "after", git::k_fetch_hint));
    at = info.parent_ids[0];
  }
}

namespace {

/// The bound of the files the report's walk lends its window's audit: about the last 800 versions of a
/// 10,000-item plan (a version's list of records takes 32 bytes a record; the records are shared).
constexpr std::size_t k_shelf_bytes = std::size_t{256} << 20;

}  // namespace

ReportHistory report_history(const load::Options& options, const std::string& rev, Window window, Date horizon) {
  auto where = load::locate(options);
  git::Repository repo(where.root);
  if (rev.empty() && repo.unborn()) return {};
  git::Oid head = repo.resolve(rev.empty() ? "HEAD" : rev);
  repo.use_mailmap_of(head);  // the committed .mailmap, not the work tree's
  Reader reader(&repo, where.config_path, options);
  Reader::Shelf shelf(k_shelf_bytes);  // the window's audit reads the walk's last versions from here
  reader.use_shelf(&shelf);
  auto out = report_history(repo, reader, head, where.config_path, options, window, horizon);
  // One judge: the window's violations are `tandem audit B..T`'s, by audit's own code.
  try {
    auto range = window_range(repo, head, window);
    std::vector<audit::Violation> found;
    if (range && range->base != range->head) {
      std::string dir = std::filesystem::path(where.config_path).parent_path().generic_string();
      JudgementCache judged(repo, where.config_path, options);  // a head judged before is not read again
      if (auto kept = judged.find(*range, dir)) {
        found = std::move(*kept);
      } else {
        auto result = audit::run(repo, *range, dir, where.config_path, options, &shelf);
        judged.save(*range, dir, result);  // kept only without problems
        found = std::move(result.violations);
        out.audit_problems = result.problems.error_count();
      }
    }
    out.violations = std::move(found);
    out.judged = range;
  } catch (const Error& e) {
    // A shallow clone that lacks the range's history: the rest of the report stands, and says why.
    if (std::string_view(e.what()).find(git::k_fetch_hint) == std::string_view::npos) throw;
    out.violations_note = e.what();
  }
  return out;
}

bool no_commits(const load::Options& options) {
  auto where = load::locate(options);
  return where.in_git && git::Repository(where.root).unborn();
}

}  // namespace tandem::history
