#include "core/git/audit.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

#include "core/base/error.hpp"

#include "core/base/text.hpp"
#include "core/git/walk.hpp"

namespace tandem::audit {

namespace fs = std::filesystem;

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

namespace {

/// The roles a commit brings: its author's and its approvers', as `authority` knows them.
struct Judge {
  Judge(const Authority& authority, const git::CommitInfo& commit) : info(commit) {
    author = authority.person(info.author_email);
    if (author) add_roles(author);
    for (const auto& email : info.approver_emails)
      if (const model::Person* p = authority.person(email)) {
        add_roles(p);
        if (p->id.has()) approvers.push_back(*p->id);
      }
  }
  void add_roles(const model::Person* p) {
    for (const auto& r : p->roles.values)
      if (std::find(roles.begin(), roles.end(), *r) == roles.end()) roles.push_back(*r);
  }
  Violation violation(history::Change c, const ownership::Requirement& req) const {
    return {info, author && author->id.has() ? *author->id : "", approvers, roles, std::move(c), ownership::to_string(req)};
  }
  const git::CommitInfo& info;
  const model::Person* author = nullptr;
  std::vector<std::string> roles, approvers;
};

}  // namespace

bool accounted(const history::Change& net, const std::vector<history::Change>& made) {
  return std::any_of(made.begin(), made.end(), [&](const history::Change& c) {
    if (c.kind != net.kind) return false;
    if (net.field == "order") return c.field == "order";
    if (c.id != net.id) return false;
    if (c.field == "create") return net.field != "delete";  // a record made anew in the range, whole
    return c.field == net.field && (c.field == "delete" || c.new_value == net.new_value);
  });
}

bool satisfies(const ownership::Requirement& r, const std::vector<std::string>& roles) {
  auto has = [&](const std::string& role) { return std::find(roles.begin(), roles.end(), role) != roles.end(); };
  if (r.all) return std::all_of(r.roles.begin(), r.roles.end(), has);
  return std::any_of(r.roles.begin(), r.roles.end(), has);
}

const ownership::Requirement& requirement_for(const ownership::Rules& rules, const history::Change& c) {
  if (c.field == "create") return rules.create(c.kind);
  if (c.field == "delete") return rules.remove(c.kind);
  return rules.field(c.kind, c.field, c.flags);
}

std::string person_id(const Authority& authority, const std::string& email) {
  const model::Person* p = authority.person(email);
  return p && p->id.has() ? *p->id : std::string();
}

Result run(const git::Repository& repo, history::Reader& reader, const std::vector<git::Oid>& commits,
           const Authority& authority, std::vector<history::Change>* made) {
  Result result;
  history::for_each_change(repo, reader, commits, result.problems, [&](history::Step& step) {
    const git::CommitInfo& info = step.commit;
    ++result.commits;
    std::vector<history::Change>& changes = step.changes;
    if (changes.empty()) return;
    if (made) made->insert(made->end(), changes.begin(), changes.end());
    auto found = judge(authority, info, changes);
    result.violations.insert(result.violations.end(), std::make_move_iterator(found.begin()),
                             std::make_move_iterator(found.end()));
  });
  return result;
}

std::vector<Violation> judge(const Authority& authority, const git::CommitInfo& info,
                             std::vector<history::Change>& changes) {
  std::vector<Violation> out;
  Judge roles(authority, info);
  for (auto& c : changes) {
    const auto& req = requirement_for(authority.rules, c);
    if (satisfies(req, roles.roles)) continue;
    out.push_back(roles.violation(std::move(c), req));
  }
  return out;
}

std::optional<std::string> config_path_at(const git::Repository& repo, const git::Oid& commit, const std::string& dir) {
  git::TreeSource tree(repo, commit);
  for (fs::path d = fs::path(dir).lexically_normal();; d = d.parent_path()) {
    if (d == ".") d.clear();
    std::string path = (d / "tandem.yaml").generic_string();
    if (tree.blob_id(path)) return path;
    if (d.empty()) return std::nullopt;
  }
}

namespace {

/// Where a change stands at the tip: the record's field (or the record), when the tip has it.
void relocate(history::Change& c, const history::Version& tip) {
  auto place = [&](const history::Record& r, const std::string& file, std::uint32_t line0) {
    c.file = file;
    c.line = line0 ? line0 : 1;
    c.column = 0;
    for (std::size_t i = 0; i < r.fields.size(); ++i)
      if (r.fields[i].first == c.field) {
        c.line = line0 + r.lines[i];
        c.column = r.columns[i];
      }
  };
  if (c.kind == "config") {
    if (tip.has_config) place(tip.config, tip.config_file, 0);
    return;
  }
  for (std::size_t k = 0; k < history::k_kinds.size(); ++k)
    if (history::k_kinds[k] == c.kind)
      for (const auto& p : tip.kinds[k])
        if (p.record->id == c.id) return place(*p.record, p.file, p.line);
}

/// Where the range's net change starts: the merge base of base and tip (the base itself when the tip
/// descends from it, which a shallow clone can tell without the history before the base).
std::optional<git::Oid> net_base(const git::Repository& repo, const git::Range& range, const std::vector<git::Oid>& commits) {
  if (!range.base) return std::nullopt;
  const git::Oid& base = *range.base;
  if (base == range.head) return base;
  for (const auto& id : commits)
    for (const auto& p : repo.info(id).parent_ids)
      if (p == base) return base;
  if (auto mb = repo.merge_base({base, range.head})) return mb;
  if (repo.is_shallow())
    throw Error(fmt::format("the history is incomplete: the merge base of the range is not in this shallow clone; {}",
                            git::k_fetch_hint));
  return std::nullopt;  // unrelated histories: the whole tip is the net change
}

}  // namespace

Result run(git::Repository& repo, const git::Range& range, const std::string& start_dir,
           const std::optional<std::string>& config_path, const load::Options& options) {
  auto commits = repo.walk(range.head, range.base);
  const git::Oid trusted = range.base ? *range.base : repo.first_parent_root(range.head);
  std::optional<std::string> path = config_path;
  if (!path) path = config_path_at(repo, trusted, start_dir);
  if (!path) path = config_path_at(repo, range.head, start_dir);  // the range brings the plan
  if (!path) throw Error(fmt::format("no tandem.yaml in {} or any parent directory at the range's base or tip",
                                     start_dir.empty() ? "the repository's top" : start_dir));
  repo.use_mailmap_of(trusted);
  auto authority = authority_at(repo, trusted, *path, options);
  history::Reader reader(&repo, *path, options);
  std::vector<history::Change> made;
  Result result = run(repo, reader, commits, authority, &made);

  // The net change: what landing the range does to the base, i.e. the base against the clean three-way
  // merge of base and tip (the tip itself when it descends from the base). What the base's own history
  // did after the fork is not the range's; what it made conflict is judged when the conflict is resolved.
  auto tip = reader.at(range.head);
  auto from = net_base(repo, range, commits);
  const history::Version none;
  auto base = range.base ? reader.at(*range.base) : nullptr;
  auto landed = tip;
  if (base && from != range.base)
    landed = std::make_shared<const history::Version>(
        history::merge(from ? *reader.at(*from) : none, {base.get(), tip.get()}));
  auto net = history::diff(base ? *base : none, *landed);
  std::erase_if(net, [](const history::Change& c) { return c.new_value == history::k_conflict; });
  git::CommitInfo tip_info = repo.info(range.head);
  Judge judge(authority, tip_info);
  for (auto& c : net) {
    if (accounted(c, made)) continue;
    const auto& req = requirement_for(authority.rules, c);
    auto v = judge.violation(std::move(c), req);
    v.unaccounted = true;
    result.violations.push_back(std::move(v));
  }
  for (auto& v : result.violations) relocate(v.change, *tip);
  return result;
}

}  // namespace tandem::audit
