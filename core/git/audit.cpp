#include "core/git/audit.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "core/base/text.hpp"
#include "core/git/walk.hpp"

namespace tandem::audit {

const model::Person* Authority::person(const std::string& email) const {
  auto p = people.by_email(email);
  return p ? &config.people[*p] : nullptr;
}

Authority authority_at(const git::Repository& repo, const std::optional<git::Oid>& commit,
                       const std::string& config_path, const load::Options& options) {
  Authority a;
  a.rules.defaults = ownership::default_rules();
  if (!commit) return a;
  git::TreeSource tree(repo, *commit);
  if (!tree.read(config_path, options.max_file_size)) return a;
  Diagnostics diags;
  load::Location where{repo.workdir(), config_path, true};
  auto loaded = load::load(where, tree, options, diags, /*config_only=*/true);
  a.config = std::move(loaded.plan.config);
  a.rules = std::move(loaded.rules);
  a.people = index::PeopleIndex(a.config);
  return a;
}

bool satisfies(const ownership::Requirement& r, const std::vector<std::string>& roles) {
  auto has = [&](const std::string& role) { return std::find(roles.begin(), roles.end(), role) != roles.end(); };
  if (r.all) return std::all_of(r.roles.begin(), r.roles.end(), has);
  return std::any_of(r.roles.begin(), r.roles.end(), has);
}

const ownership::Requirement& requirement_for(const ownership::Rules& rules, const history::Change& c) {
  if (c.field == "create") return rules.create(c.kind);
  if (c.field == "delete") return rules.remove(c.kind);
  return rules.field(c.kind, c.field);
}

std::string person_id(const Authority& authority, const std::string& email) {
  const model::Person* p = authority.person(email);
  return p && p->id.has() ? *p->id : std::string();
}

Result run(const git::Repository& repo, history::Reader& reader, const std::vector<git::Oid>& commits,
           const Authority& authority) {
  Result result;
  history::for_each_change(repo, reader, commits, result.problems, [&](history::Step& step) {
    const git::CommitInfo& info = step.commit;
    ++result.commits;
    std::vector<history::Change>& changes = step.changes;
    if (changes.empty()) return;
    const model::Person* author = authority.person(info.author_email);
    std::vector<std::string> roles, approvers;
    auto add_roles = [&](const model::Person* p) {
      for (const auto& r : p->roles.values)
        if (std::find(roles.begin(), roles.end(), *r) == roles.end()) roles.push_back(*r);
    };
    if (author) add_roles(author);
    for (const auto& email : info.approver_emails) {
      if (const model::Person* p = authority.person(email)) {
        add_roles(p);
        if (p->id.has()) approvers.push_back(*p->id);
      }
    }
    for (auto& c : changes) {
      const auto& req = requirement_for(authority.rules, c);
      if (satisfies(req, roles)) continue;
      result.violations.push_back({info, author && author->id.has() ? *author->id : "", approvers, roles, std::move(c),
                                   ownership::to_string(req)});
    }
  });
  return result;
}

Result run(const git::Repository& repo, const git::Range& range, const std::string& config_path,
           const load::Options& options) {
  auto commits = repo.walk(range.head, range.base);
  std::optional<git::Oid> rules_at = range.base;
  if (!rules_at && !commits.empty()) rules_at = commits.front();
  auto authority = authority_at(repo, rules_at, config_path, options);
  history::Reader reader(&repo, config_path, options);
  return run(repo, reader, commits, authority);
}

}  // namespace tandem::audit
