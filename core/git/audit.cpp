#include "core/git/audit.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "core/base/text.hpp"

namespace tandem::audit {

const model::Person* Authority::person(const std::string& email) const {
  auto p = people.by_email(email);
  return p ? &config.people[*p] : nullptr;
}

Authority authority_at(const git::Repository& repo, const std::optional<git_oid>& commit,
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

std::vector<history::Change> changes_of(const git::Repository& repo, history::Reader& reader, git_commit* commit,
                                        Diagnostics& problems, const git::CommitInfo& info) {
  auto parents = git::git_commit_parentcount(commit);
  std::optional<git_oid> first;
  std::shared_ptr<const history::Version> before;
  if (parents > 0) {
    first = repo.parent(commit, 0);
    repo.lookup(*first);  // throws with a clear message when a shallow clone lacks it
    before = reader.at(*first);  // first: a file that does not parse in `commit` stands as it was here
  }
  auto now = reader.at(*git::git_commit_id(commit));
  for (const auto& d : now->problems)
    problems.error("unparseable-history", d.file, d.mark,
                   fmt::format("in commit {}: {} (this commit's changes to the file are not judged)", info.short_id,
                               d.message));
  if (parents == 0) return history::diff(history::Version{}, *now);
  auto changes = history::diff(*before, *now);
  for (unsigned p = 1; p < parents; ++p) {
    auto other = repo.parent(commit, p);
    repo.lookup(*other);
    auto theirs = history::diff(*reader.at(*other), *now);
    std::set<std::tuple<std::string, std::string, std::string, std::optional<std::string>>> also;
    for (const auto& c : theirs) also.emplace(c.kind, c.id, c.field, c.new_value);
    std::erase_if(changes, [&](const history::Change& c) { return !also.count({c.kind, c.id, c.field, c.new_value}); });
  }
  return changes;
}

Result run(const git::Repository& repo, history::Reader& reader, const std::vector<git_oid>& commits,
           const Authority& authority) {
  Result result;
  for (const auto& id : commits) {
    auto commit = repo.lookup(id);
    auto info = repo.info(commit.get());
    ++result.commits;
    std::vector<history::Change> changes = changes_of(repo, reader, commit.get(), result.problems, info);
    if (changes.empty()) continue;
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
  }
  return result;
}

}  // namespace tandem::audit
