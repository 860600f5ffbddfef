#include "core/git/audit.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/base/error.hpp"

#include "core/base/text.hpp"
#include "core/git/signature.hpp"
#include "core/git/walk.hpp"

namespace tandem::audit {

namespace fs = std::filesystem;

const model::Person* Authority::person(const std::string& email) const {
  auto p = people.by_email(email);
  return p ? &config.people[*p] : nullptr;
}

const model::Person* Authority::person_by_id(const std::string& id) const {
  for (const auto& p : config.people)
    if (p.id.has() && *p.id == id) return &p;
  return nullptr;
}

bool Authority::signatures_required() const {
  return config.trust_signatures.has() && *config.trust_signatures == model::Signatures::required;
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
  a.config_file = config_path;
  std::string short_id = commit->hex().substr(0, 10);
  for (const auto& d : diags.items())
    if (d.severity == Severity::error)
      a.problems.error(d.code, d.file, d.mark,
                       fmt::format("in tandem.yaml at the range's base {}, which the audit trusts: {}", short_id, d.message),
                       d.hint);
  if (a.config.trust_keyring.has()) {
    fs::path path = (fs::path(config_path).parent_path() / *a.config.trust_keyring).lexically_normal();
    std::string shown = path.generic_string();
    auto text = path.is_absolute() || shown.starts_with("..") ? std::nullopt : tree.read(shown, options.max_file_size);
    if (text) a.keyring = std::move(*text);
    else
      a.problems.error("missing-file", config_path, a.config.trust_keyring.mark,
                       fmt::format("trust.keyring '{}' is not a file of the repository at the range's base {}",
                                   *a.config.trust_keyring, short_id));
  }
  return a;
}

namespace {

/// The people who hold `role` at the base, as "Name <email>" (or their id).
std::vector<std::string> holders(const Authority& authority, const std::string& role) {
  std::vector<std::string> out;
  for (const auto& p : authority.config.people) {
    bool has = std::any_of(p.roles.values.begin(), p.roles.values.end(), [&](const auto& r) { return *r == role; });
    if (!has) continue;
    std::string name = p.name.has() ? *p.name : p.id.has() ? *p.id : "?";
    out.push_back(p.emails.values.empty() ? name : fmt::format("{} <{}>", name, *p.emails.values.front()));
  }
  return out;
}

/// "product_owner: an approval by Pat Owner <pat@example.com>" for each role the requirement still lacks.
std::string missing_roles(const Authority& authority, const ownership::Requirement& req,
                          const std::vector<std::string>& roles) {
  auto has = [&](const std::string& r) { return std::find(roles.begin(), roles.end(), r) != roles.end(); };
  std::string kind = authority.signatures_required() ? "a signed approval" : "an approval";
  auto by = [&](const std::vector<std::string>& people) {
    return people.empty() ? std::string("nobody holds it at the range's base") : kind + " by " + join(people, " or ");
  };
  std::vector<std::string> parts;
  if (req.all) {
    for (const auto& r : req.roles)
      if (!has(r)) parts.push_back(fmt::format("{}: {}", r, by(holders(authority, r))));
  } else if (!req.roles.empty()) {
    std::vector<std::string> people;
    for (const auto& r : req.roles)
      for (auto& p : holders(authority, r))
        if (std::find(people.begin(), people.end(), p) == people.end()) people.push_back(std::move(p));
    parts.push_back(fmt::format("{}{}: {}", req.roles.size() > 1 ? "one of " : "", join(req.roles, ", "), by(people)));
  }
  return join(parts, "; ");
}

/// The roles a commit brings: its maker's and its approvers', as `authority` knows them.
struct Judge {
  Judge(const git::CommitInfo& commit, const model::Person* maker)
      : info(commit), author(maker) {
    if (author) add_roles(author);
  }
  void add_approver(const model::Person* p) {
    if (!p || p == author || !p->id.has()) return;
    if (std::find(approvers.begin(), approvers.end(), *p->id) != approvers.end()) return;
    add_roles(p);
    approvers.push_back(*p->id);
  }
  void add_roles(const model::Person* p) {
    for (const auto& r : p->roles.values)
      if (std::find(roles.begin(), roles.end(), *r) == roles.end()) roles.push_back(*r);
  }
  Violation violation(history::Change c, const ownership::Requirement& req) const {
    Violation v;
    v.commit = info;
    v.person = author && author->id.has() ? *author->id : "";
    v.approvers = approvers;
    v.roles = roles;
    v.change = std::move(c);
    v.requirement = ownership::to_string(req);
    return v;
  }
  const git::CommitInfo& info;
  const model::Person* author = nullptr;
  std::vector<std::string> roles, approvers;
};

}  // namespace

bool satisfies(const ownership::Requirement& r, const std::vector<std::string>& roles) {
  auto has = [&](const std::string& role) { return std::find(roles.begin(), roles.end(), role) != roles.end(); };
  if (r.all) return std::all_of(r.roles.begin(), r.roles.end(), has);
  return std::any_of(r.roles.begin(), r.roles.end(), has);
}

const ownership::Requirement& requirement_for(const ownership::Rules& rules, const history::Change& c) {
  if (c.field == "create") return rules.create(c.kind);
  if (c.field == "delete") return rules.remove(c.kind);
  return rules.field(c.kind, c.field, c.flags, ownership::value_texts(c.old_value, c.new_value));
}

std::string person_id(const Authority& authority, const std::string& email) {
  const model::Person* p = authority.person(email);
  return p && p->id.has() ? *p->id : std::string();
}

namespace {

/// A commit of the range that changed the plan (or set a part of its net change), waiting for the
/// approvals of later commits.
struct Made {
  git::CommitInfo info;
  std::vector<history::Change> changes;
  const model::Person* maker = nullptr;
  std::string unverified;  ///< signatures required and none verifies: why
};

/// An approval commit: `Approves:` trailers on a commit that changes no plan file.
struct Approval {
  git::CommitInfo info;
  const model::Person* approver = nullptr;
  std::vector<std::uint32_t> targets;  ///< the commits named (walk indices), each in the range
  std::string why_not;                 ///< set when it does not count
  /// `Approves: BASE..TIP` with BASE in the range: BASE's walk index. The approval covers TIP and its
  /// ancestors in the range but BASE and its own (what `tandem approve BASE..TIP` listed).
  std::optional<std::uint32_t> base;
};

/// What the walk of a range found, by walk index (the position in the commits walked).
struct Walked {
  std::vector<Made> made;
  std::vector<Approval> approvals;
  std::vector<std::vector<std::uint32_t>> parents;  ///< each commit's parents in the range
  std::vector<std::int64_t> made_at;                ///< the commit's index in `made`, or -1
};

/// The commits of the range (walk indices) that `id` names: a whole commit id or a prefix of one (7 hex
/// digits or more); never a ref name, which anyone who can push a tag could point elsewhere.
std::vector<std::uint32_t> named(std::string id, const std::unordered_map<git::Oid, std::uint32_t>& index) {
  std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::tolower(c); });
  std::vector<std::uint32_t> found;
  if (auto whole = git::Oid::from_hex(id)) {  // the common case (`tandem approve` writes whole ids)
    if (auto hit = index.find(*whole); hit != index.end()) found.push_back(hit->second);
  } else if (id.size() >= 7 && id.size() < 40 && id.find_first_not_of("0123456789abcdef") == std::string::npos) {
    for (const auto& [oid, at] : index)
      if (oid.hex().starts_with(id)) found.push_back(at);
  }
  return found;
}

/// The approvals the trailers `Approves: TIP` and `Approves: BASE..TIP` of `info` make, their commits given
/// by walk index: one for the trailers without a base, one for each with one. BASE is a commit of the
/// range, or one where it starts (a parent of its commits outside it, in `outside`: then nothing of the
/// range is before it); an approval naming another does not count.
std::vector<Approval> approvals_of(const git::CommitInfo& info, const std::unordered_map<git::Oid, std::uint32_t>& index,
                                   const std::unordered_set<git::Oid>& outside) {
  std::vector<Approval> out(1, Approval{info, nullptr, {}, {}, {}});
  for (const auto& trailer : info.approves) {
    auto dots = trailer.find("..");
    std::string tip = dots == std::string::npos ? trailer : trailer.substr(dots + 2);
    Approval* a = &out[0];
    if (dots != std::string::npos) {
      a = &out.emplace_back(Approval{info, nullptr, {}, {}, {}});
      std::string base = trailer.substr(0, dots);
      auto in = named(base, index);
      auto whole = git::Oid::from_hex(base);
      if (in.size() == 1) {
        a->base = in[0];
      } else if (!whole || !outside.count(*whole)) {  // then it approves nothing
        a->why_not = fmt::format("'Approves: {}' starts at {}, which is neither a commit of the range nor where it "
                                 "starts", trailer, base);
        continue;
      }
    }
    auto found = named(tip, index);
    if (found.size() == 1) a->targets.push_back(found[0]);
    else if (a->why_not.empty() && found.empty()) a->why_not = fmt::format("'Approves: {}' names no commit of the range", trailer);
    else if (a->why_not.empty()) a->why_not = fmt::format("'Approves: {}' names more than one commit of the range", trailer);
  }
  if (out[0].targets.empty() && out[0].why_not.empty()) out.erase(out.begin());  // every trailer had a base
  return out;
}

/// Walks the commits, collecting the commits that changed the plan and the approval commits, and shows
/// each step to `net` (when given).
Walked walk_range(const git::Repository& repo, history::Reader& reader, const std::vector<git::Oid>& commits,
                  Result& result, NetChange* net) {
  Walked w;
  std::unordered_map<git::Oid, std::uint32_t> index;
  for (std::size_t i = 0; i < commits.size(); ++i) index.emplace(commits[i], static_cast<std::uint32_t>(i));
  w.parents.resize(commits.size());
  w.made_at.assign(commits.size(), -1);
  std::uint32_t i = 0;
  std::unordered_set<git::Oid> outside;  // the parents of the range's commits that are not in it
  std::vector<git::CommitInfo> approving;
  history::for_each_change(repo, reader, commits, result.problems, [&](history::Step& step) {
    const git::CommitInfo& info = step.commit;
    ++result.commits;
    for (const auto& p : info.parent_ids)
      if (auto hit = index.find(p); hit != index.end()) w.parents[i].push_back(hit->second);
      else outside.insert(p);
    bool sets = net && net->observe(i, step);
    if (step.changes.empty() && !sets) {
      if (!info.approves.empty()) approving.push_back(info);
    } else {
      w.made_at[i] = static_cast<std::int64_t>(w.made.size());
      w.made.push_back(Made{info, std::move(step.changes), nullptr, {}});
    }
    ++i;
  });
  for (const auto& info : approving)
    for (auto& a : approvals_of(info, index, outside)) w.approvals.push_back(std::move(a));
  return w;
}

/// Who made each commit: under `required` the person whose listed key verifies its signature (all
/// verified together), else the person its author email (through the base's .mailmap) names. An expired
/// key or signature that verifies is a warning in `problems`.
void identify(const git::Repository& repo, const Authority& authority, Walked& w, Diagnostics& problems) {
  std::vector<std::string> verdicts(w.made.size() + w.approvals.size());
  std::vector<const model::Person*> makers(verdicts.size());
  if (authority.signatures_required()) {
    std::vector<signature::Verifier::Signed> signatures;
    for (const auto& m : w.made) signatures.push_back(repo.signature(m.info.oid));
    for (const auto& a : w.approvals) signatures.push_back(repo.signature(a.info.oid));
    signature::Verifier verifier(authority.config, authority.keyring);
    auto found = verifier.verify_all(signatures);
    for (std::size_t i = 0; i < found.size(); ++i) {
      makers[i] = found[i].person.empty() ? nullptr : authority.person_by_id(found[i].person);
      verdicts[i] = found[i].reason;
      if (makers[i] && !found[i].note.empty()) {
        const git::CommitInfo& info = i < w.made.size() ? w.made[i].info : w.approvals[i - w.made.size()].info;
        problems.warning("expired-signature", authority.config_file, authority.config.trust_keyring.mark,
                                fmt::format("commit {}: {}", info.short_id, found[i].note),
                                "a team stops trusting a key by removing it from signing_keys");
      }
      if (!makers[i] && verdicts[i].empty()) verdicts[i] = "its key names no person of tandem.yaml at the range's base";
    }
  } else {
    for (std::size_t i = 0; i < w.made.size(); ++i) makers[i] = authority.person(w.made[i].info.author_email);
    for (std::size_t i = 0; i < w.approvals.size(); ++i) {
      const std::string& email = w.approvals[i].info.author_email;
      makers[w.made.size() + i] = authority.person(email);
      verdicts[w.made.size() + i] =
          fmt::format("its author <{}> is no person of tandem.yaml at the range's base", email);
    }
  }
  for (std::size_t i = 0; i < w.made.size(); ++i) {
    w.made[i].maker = makers[i];
    w.made[i].unverified = verdicts[i];
  }
  for (std::size_t i = 0; i < w.approvals.size(); ++i) {
    Approval& a = w.approvals[i];
    a.approver = makers[w.made.size() + i];
    if (!a.approver && a.why_not.empty()) a.why_not = verdicts[w.made.size() + i];
  }
}

/// The approvals that cover each commit (by walk index): those that name it or a descendant in the
/// range. One pass from the newest commit to the oldest; of the approvals by one person one is kept
/// (they add the same roles), and of those that do not count the first few (for the notes): linear in
/// the commits.
std::vector<std::vector<std::uint32_t>> covering(const Walked& w) {
  constexpr std::size_t k_most_notes = 4;
  std::vector<std::vector<std::uint32_t>> cover(w.parents.size());
  // An approval with a base covers nothing from its base back: those commits, by approval.
  std::unordered_map<std::uint32_t, std::vector<bool>> before_base;
  for (std::uint32_t a = 0; a < w.approvals.size(); ++a) {
    if (!w.approvals[a].base) continue;
    auto& stop = before_base[a];
    stop.assign(w.parents.size(), false);
    std::vector<std::uint32_t> todo{*w.approvals[a].base};
    while (!todo.empty()) {
      auto c = todo.back();
      todo.pop_back();
      if (stop[c]) continue;
      stop[c] = true;
      for (auto p : w.parents[c]) todo.push_back(p);
    }
  }
  auto stops = [&](std::uint32_t a, std::size_t at) {
    auto hit = before_base.find(a);
    return hit != before_base.end() && hit->second[at];
  };
  // Of the approvals by one person one is kept, unless it has a base (another may cover further back).
  auto add = [&](std::vector<std::uint32_t>& to, std::uint32_t a) {
    const Approval& x = w.approvals[a];
    std::size_t idle = 0;
    for (auto b : to) {
      const Approval& y = w.approvals[b];
      if (b == a || (x.approver && x.approver == y.approver && !y.base)) return;
      idle += !y.approver;
    }
    if (!x.approver && idle >= k_most_notes) return;
    to.push_back(a);
  };
  for (std::uint32_t a = 0; a < w.approvals.size(); ++a)
    for (auto t : w.approvals[a].targets)
      if (!stops(a, t)) add(cover[t], a);
  for (std::size_t i = w.parents.size(); i-- > 0;)  // children come after their parents in the walk
    for (auto p : w.parents[i])
      for (auto a : cover[i])
        if (!stops(a, p)) add(cover[p], a);
  return cover;
}

/// The roles each commit brings (its maker's and its approvers'), and why some approvals did not count.
std::vector<Judge> judges_of(const Authority& authority, const Walked& w, std::vector<std::vector<std::string>>& notes) {
  const bool required = authority.signatures_required();
  auto cover = covering(w);
  std::vector<Judge> out;
  notes.assign(w.made.size(), {});
  for (std::size_t i = 0; i < w.parents.size(); ++i) {
    if (w.made_at[i] < 0) continue;
    const Made& m = w.made[static_cast<std::size_t>(w.made_at[i])];
    Judge& judge = out.emplace_back(m.info, m.maker);
    auto& said = notes[out.size() - 1];
    if (required) {
      if (!m.info.approver_emails.empty())
        said.push_back("Approved-by: trailers do not count under trust.signatures: required (approve with a signed "
                       "commit: tandem approve)");
    } else {
      for (const auto& email : m.info.approver_emails) {
        const model::Person* p = authority.person(email);
        if (p) judge.add_approver(p);
        else said.push_back(fmt::format("Approved-by: <{}> does not count: that email names no person in tandem.yaml "
                                        "at the range's base", email));
      }
      for (const auto& n : m.info.trailer_notes) said.push_back(n + ": it does not count");
    }
    for (auto index : cover[i]) {
      const Approval& a = w.approvals[index];
      if (!a.approver)
        said.push_back(fmt::format("the approval in commit {} does not count: {}", a.info.short_id, a.why_not));
      else if (a.approver == m.maker)
        said.push_back(fmt::format("the approval in commit {} is by the change's own maker and adds nothing",
                                   a.info.short_id));
      else judge.add_approver(a.approver);
    }
  }
  return out;
}

/// A change of a commit whose signature no listed key verifies (signatures required).
Violation unverified(const Judge& judge, history::Change c, const Made& m) {
  Violation v = judge.violation(std::move(c), ownership::Requirement{});
  v.code = "unverified-commit";
  v.notes.push_back(m.unverified);
  v.requirement = "a commit signed with a key listed in signing_keys";
  return v;
}

/// Whether the person holds a role that the requirement names.
bool holds_role_of(const model::Person& p, const ownership::Requirement& req) {
  return std::any_of(p.roles.values.begin(), p.roles.values.end(),
                     [&](const auto& r) { return std::find(req.roles.begin(), req.roles.end(), *r) != req.roles.end(); });
}

/// Each commit's own changes, judged by the roles it brings; those its approvals count for in `approved`.
void judge_commits(const Authority& authority, Walked& w, const std::vector<Judge>& judges,
                   const std::vector<std::vector<std::string>>& notes, Result& result) {
  for (std::size_t i = 0; i < w.made.size(); ++i) {
    Made& m = w.made[i];
    const Judge& judge = judges[i];
    if (authority.signatures_required() && !m.maker) {  // each change of the commit, so that each gets its annotation
      for (auto& c : m.changes) result.violations.push_back(unverified(judge, std::move(c), m));
      continue;
    }
    for (auto& c : m.changes) {
      const auto& req = requirement_for(authority.rules, c);
      Approved approved{m.info, {}, {}};
      for (const auto& id : judge.approvers)
        if (const model::Person* p = authority.person_by_id(id); p && holds_role_of(*p, req))
          approved.approvers.push_back(id);
      if (!approved.approvers.empty()) {
        approved.change = c;
        result.approved.push_back(std::move(approved));
      }
      if (satisfies(req, judge.roles)) continue;
      Violation v = judge.violation(std::move(c), req);
      v.notes = notes[i];
      v.missing = missing_roles(authority, req, judge.roles);
      result.violations.push_back(std::move(v));
    }
  }
}

/// The net change, part by part: authorized when a commit that set the part to its landed value brings
/// the roles its kind of change needs; else a violation of the commit that set it last (by commit time;
/// of the tip, `unaccounted`, when none did). A field of a created record that its creation set is the creation's.
/// Order pairs are shown once per commit and kind, by the record that stands first in the landed order.
void judge_net(NetChange& net, const Authority& authority, const Walked& w, const std::vector<Judge>& judges,
               const std::vector<std::vector<std::string>>& notes, const Judge& tip, Result& result) {
  auto same = [](const Violation& v) {
    return fmt::format("{}\n{}\n{}\n{}\n{}", v.commit.id, v.change.kind, v.change.field == "order" ? "" : v.change.id,
                       v.change.field, v.code);
  };
  std::set<std::string> have;
  for (const auto& v : result.violations) have.insert(same(v));
  auto emit = [&](std::int64_t who, const history::Change& change) {
    const auto& req = requirement_for(authority.rules, change);
    const std::int64_t at = who < 0 ? -1 : w.made_at[static_cast<std::size_t>(who)];
    const Judge& judge = at < 0 ? tip : judges[static_cast<std::size_t>(at)];
    const Made* m = at < 0 ? nullptr : &w.made[static_cast<std::size_t>(at)];
    Violation v = judge.violation(change, req);
    if (m && authority.signatures_required() && !m->maker) {
      v = unverified(judge, change, *m);
    } else {
      v.unaccounted = !m;
      v.missing = missing_roles(authority, req, m ? judge.roles : std::vector<std::string>{});
      if (m) v.notes = notes[static_cast<std::size_t>(at)];
    }
    if (have.insert(same(v)).second) result.violations.push_back(std::move(v));
  };
  auto allowed = [&](std::uint32_t s, const ownership::Requirement& req) {
    std::int64_t at = w.made_at[s];
    if (at < 0) return false;
    const Made& m = w.made[static_cast<std::size_t>(at)];
    if (authority.signatures_required() && !m.maker) return false;
    return satisfies(req, judges[static_cast<std::size_t>(at)].roles);
  };
  auto info_of = [&](std::uint32_t s) -> const git::CommitInfo& {
    return w.made[static_cast<std::size_t>(w.made_at[s])].info;
  };
  std::map<std::pair<std::int64_t, std::string>, const Part*> order;  // (commit, kind) → the pair shown
  for (const Part& part : net.parts()) {
    if (part.of_created && !part.creators.empty()) continue;
    const auto& req = requirement_for(authority.rules, part.change);
    if (std::any_of(part.setters.begin(), part.setters.end(), [&](std::uint32_t s) { return allowed(s, req); }))
      continue;
    std::int64_t who = -1;  // the setter committed last (commit time, then walk order), or the tip
    for (auto s : part.setters)
      if (who < 0 || info_of(s).time >= info_of(static_cast<std::uint32_t>(who)).time) who = s;
    if (part.change.field != "order") {
      emit(who, part.change);
      continue;
    }
    const Part*& shown = order[{who, part.change.kind}];
    if (!shown || part.landed_rank < shown->landed_rank) shown = &part;
  }
  for (const auto& [where, part] : order) emit(where.first, part->change);
}

}  // namespace

Result run(const git::Repository& repo, history::Reader& reader, const std::vector<git::Oid>& commits,
           const Authority& authority, NetChange* net, const git::CommitInfo* tip) {
  Result result;
  result.problems.append(authority.problems);
  Walked w = walk_range(repo, reader, commits, result, net);
  identify(repo, authority, w, result.problems);
  std::vector<std::vector<std::string>> notes;
  auto judges = judges_of(authority, w, notes);
  judge_commits(authority, w, judges, notes, result);
  if (net && tip) {
    Judge at_tip(*tip, authority.signatures_required() ? nullptr : authority.person(tip->author_email));
    judge_net(*net, authority, w, judges, notes, at_tip, result);
  }
  return result;
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
    if (tip.has_config && c.field != history::k_mailmap_field && c.field != history::k_attributes_field)
      place(tip.config, tip.config_file, 0);
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

namespace {

/// The tandem.yaml the audit reads: `config_path`, else the one that governs `start_dir` at the trusted
/// commit, else at the tip (the range brings the plan).
std::string find_config(const git::Repository& repo, const git::Oid& trusted, const git::Oid& tip,
                        const std::string& start_dir, const std::optional<std::string>& config_path) {
  std::optional<std::string> path = config_path;
  if (!path) path = config_path_at(repo, trusted, start_dir);
  if (!path) path = config_path_at(repo, tip, start_dir);
  if (!path) throw Error(fmt::format("no tandem.yaml in {} or any parent directory at the range's base or tip",
                                     start_dir.empty() ? "the repository's top" : start_dir));
  return *path;
}

}  // namespace

Result judge_worktree(git::Repository& repo, const git::Oid& base, const std::string& start_dir,
                      const std::optional<std::string>& config_path, const load::Options& options,
                      const std::string& email) {
  std::string path = find_config(repo, base, base, start_dir, config_path);
  repo.use_mailmap_of(base);
  auto authority = authority_at(repo, base, path, options);
  history::Reader reader(&repo, path, options);
  auto old = reader.at(base);
  auto now = history::version(reader, history::side(repo, repo.workdir(), std::nullopt));
  Result result;
  result.problems.append(authority.problems);
  for (const auto& d : now->problems)
    result.problems.error(d.code == "unsafe-attributes" ? d.code : "unparseable-history", d.file, d.mark, d.message, d.hint);
  git::CommitInfo info;
  info.short_id = "(working tree)";
  info.author_email = email;
  const model::Person* maker = authority.person(email);
  if (maker && maker->name.has()) info.author_name = *maker->name;
  Judge judge(info, maker);
  for (auto& c : history::diff(*old, *now)) {
    const auto& req = requirement_for(authority.rules, c);
    if (satisfies(req, judge.roles)) continue;
    Violation v = judge.violation(std::move(c), req);
    v.missing = missing_roles(authority, req, judge.roles);
    result.violations.push_back(std::move(v));
  }
  for (auto& v : result.violations) relocate(v.change, *now);
  return result;
}

namespace {

/// Why the approval of `approver` does not count for a change of `m`, or "" when it does (audit's rule).
std::string why_not_approvable(const Authority& authority, const Made& m, const history::Change& c,
                               const model::Person& approver) {
  if (authority.signatures_required() && !m.maker)
    return "its commit's signature verifies against no listed key: no approval makes it count (" + m.unverified + ")";
  if (m.maker == &approver) return "your own change: an approval by its maker adds nothing";
  const auto& req = requirement_for(authority.rules, c);
  if (holds_role_of(approver, req)) return "";
  std::vector<std::string> roles;
  for (const auto& r : approver.roles.values) roles.push_back(*r);
  return fmt::format("needs {}, a role you do not hold (you: {})", ownership::to_string(req),
                     roles.empty() ? "no role" : join(roles, ", "));
}

}  // namespace

ApprovalDraft draft_approval(git::Repository& repo, const git::Range& range, const std::string& start_dir,
                             const std::optional<std::string>& config_path, const load::Options& options,
                             const std::function<std::string(const history::Change&)>& describe,
                             const std::string& name, const std::string& email) {
  auto commits = repo.walk(range.head, range.base);
  const git::Oid trusted = range.base ? *range.base : repo.first_parent_root(range.head);
  std::string path = find_config(repo, trusted, range.head, start_dir, config_path);
  repo.use_mailmap_of(trusted);
  auto authority = authority_at(repo, trusted, path, options);
  const model::Person* me = authority.person(repo.mailmap_email(name, email));
  if (!me || !me->id.has())
    throw Error(fmt::format("<{}> (your git author email) names no person of tandem.yaml at the range's base: an "
                            "approval by it would count for nothing",
                            email));
  history::Reader reader(&repo, path, options);  // read as `run` reads the range
  reader.pin_files(trusted);
  reader.watch_mailmap();
  Result scratch;
  Walked w = walk_range(repo, reader, commits, scratch, nullptr);
  identify(repo, authority, w, scratch.problems);
  ApprovalDraft draft;
  draft.tip = range.head;
  draft.approver = *me->id;
  draft.signatures_required = authority.signatures_required();
  for (const auto& m : w.made)
    for (const auto& c : m.changes) {
      std::string line = fmt::format("{} (commit {})", describe(c), m.info.short_id);
      std::string why = why_not_approvable(authority, m, c, *me);
      if (why.empty()) draft.lines.push_back(std::move(line));
      else draft.refused.push_back(line + ": " + why);
    }
  std::string base = range.base ? range.base->hex().substr(0, 10) : std::string("the root");
  draft.message = fmt::format("Approve the plan changes of {}..{}\n\n", base, range.head.hex().substr(0, 10));
  for (const auto& l : draft.lines) draft.message += "- " + l + "\n";
  // With the range's base: the approval counts for these commits only, not for others before them.
  draft.message += range.base ? fmt::format("\nApproves: {}..{}\n", range.base->hex(), range.head.hex())
                              : fmt::format("\nApproves: {}\n", range.head.hex());
  return draft;
}

Result run(git::Repository& repo, const git::Range& range, const std::string& start_dir,
           const std::optional<std::string>& config_path, const load::Options& options,
           history::Reader::Shelf* shelf) {
  auto commits = repo.walk(range.head, range.base);
  const git::Oid trusted = range.base ? *range.base : repo.first_parent_root(range.head);
  std::optional<std::string> path = find_config(repo, trusted, range.head, start_dir, config_path);
  repo.use_mailmap_of(trusted);
  auto authority = authority_at(repo, trusted, *path, options);
  auto reader_for = [&] {
    auto r = std::make_unique<history::Reader>(&repo, *path, options);
    r->pin_files(trusted);
    r->watch_mailmap();
    r->use_shelf(shelf);
    return r;
  };
  // The net change: what landing the range does to the base, i.e. the base against the clean three-way
  // merge of base and tip (the tip itself when it descends from the base). What the base's own history
  // did after the fork is not the range's; what it made conflict is judged when the conflict is resolved.
  // Read by a reader of its own, so that the walk reads every version as it would without it (the
  // walk's reader takes only its parsed records, which depend on nothing but their text).
  std::optional<NetChange> net;
  auto reader = reader_for();
  {
    auto own = reader_for();
    auto from = net_base(repo, range, commits);
    const history::Version none;
    auto base = range.base ? own->at(*range.base) : nullptr;
    auto tip = own->at(range.head);
    auto landed = tip;
    if (base && from != range.base)
      landed = std::make_shared<const history::Version>(
          history::merge(from ? *own->at(*from) : none, {base.get(), tip.get()}));
    net.emplace(base ? *base : none, *landed);
    reader->share_records(*own);
  }
  git::CommitInfo tip_info = repo.info(range.head);
  Result result = run(repo, *reader, commits, authority, &*net, &tip_info);
  auto tip = reader->at(range.head);
  for (auto& v : result.violations) relocate(v.change, *tip);
  return result;
}

}  // namespace tandem::audit
