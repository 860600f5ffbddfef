#include "core/git/repository.hpp"

#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "core/base/error.hpp"
#include "core/base/process.hpp"
#include "core/git/cat_file.hpp"
#include "core/git/libgit2.hpp"
#include "core/git/refs.hpp"

namespace tandem::git {

namespace {
/// Frees with a libgit2 function (a pointer filled in by load_libgit2).
template <class T, auto& Free>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using RepoPtr = std::unique_ptr<git_repository, Deleter<git_repository, git_repository_free>>;
using CommitPtr = std::unique_ptr<git_commit, Deleter<git_commit, git_commit_free>>;
using TreePtr = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using MailmapPtr = std::unique_ptr<git_mailmap, Deleter<git_mailmap, git_mailmap_free>>;
using ObjectPtr = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using WalkPtr = std::unique_ptr<git_revwalk, Deleter<git_revwalk, git_revwalk_free>>;
using SignaturePtr = std::unique_ptr<git_signature, Deleter<git_signature, git_signature_free>>;
using OdbPtr = std::unique_ptr<git_odb, Deleter<git_odb, git_odb_free>>;

std::string last_error() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

/// Trims spaces and extracts `email` from `Name <email>`.
std::optional<std::pair<std::string, std::string>> parse_identity(std::string_view v) {
  auto lt = v.find('<');
  auto gt = v.rfind('>');
  if (lt == std::string_view::npos || gt == std::string_view::npos || gt < lt) return std::nullopt;
  std::string name(v.substr(0, lt));
  while (!name.empty() && name.back() == ' ') name.pop_back();
  return std::make_pair(name, std::string(v.substr(lt + 1, gt - lt - 1)));
}

/// Throws tandem::Error with libgit2's last error message when `rc` is negative.
void check(int rc, const std::string& what) {
  if (rc < 0) throw Error(fmt::format("{}: {}", what, last_error()));
}

static_assert(sizeof(git_oid::id) == sizeof(Oid::bytes));

Oid from_git(const git_oid& id) {
  Oid out;
  std::memcpy(out.bytes.data(), id.id, out.bytes.size());
  return out;
}

git_oid to_git(const Oid& id) {
  git_oid out;
  std::memcpy(out.id, id.bytes.data(), id.bytes.size());
  return out;
}

std::string to_hex(const git_oid& id) { return from_git(id).hex(); }

/// The user git compares a repository's owner with: root running through sudo is the user who ran sudo.
uid_t current_user() {
  uid_t uid = geteuid();
  if (const char* sudo = std::getenv("SUDO_UID"); uid == 0 && sudo && *sudo) {
    char* end = nullptr;
    unsigned long v = std::strtoul(sudo, &end, 10);
    if (*end == '\0') return static_cast<uid_t>(v);
  }
  return uid;
}

/// The work tree at or above `path` that git would refuse as owned by another user, or nullopt. libgit2
/// 1.5 reports that refusal as "not found" (not GIT_EOWNER), so tandem looks for itself, as git does:
/// the nearest directory holding `.git`, and the owner of it and of its `.git`.
std::optional<std::string> foreign_repository(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = fs::absolute(path, ec).lexically_normal();
  for (; !dir.empty(); dir = dir.parent_path()) {
    struct stat top {}, git {};
    if (::stat((dir / ".git").c_str(), &git) == 0) {
      if (::stat(dir.c_str(), &top) != 0) return std::nullopt;
      uid_t me = current_user();
      if (top.st_uid == me && git.st_uid == me) return std::nullopt;
      std::string shown = dir.string();
      if (shown.size() > 1 && shown.back() == '/') shown.pop_back();
      return shown;
    }
    if (!dir.has_relative_path()) break;
  }
  return std::nullopt;
}
}  // namespace

std::string Oid::hex() const {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out(40, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = k_digits[bytes[i] >> 4];
    out[2 * i + 1] = k_digits[bytes[i] & 15];
  }
  return out;
}

std::optional<Oid> Oid::from_hex(std::string_view hex) {
  if (hex.size() != 40) return std::nullopt;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Oid out;
  for (std::size_t i = 0; i < out.bytes.size(); ++i) {
    int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return out;
}

struct Repository::Impl {
  RepoPtr repo;
  MailmapPtr mailmap;
  OdbPtr odb;
  std::size_t cat_file_threshold = SIZE_MAX;  ///< blobs of this size or more are read by git (cat_file.hpp)
  mutable std::unique_ptr<CatFile> cat_file;   ///< started on the first such blob
  git_repository* get() const { return repo.get(); }
  bool is_shallow() const { return git_repository_is_shallow(repo.get()) == 1; }
  CommitPtr lookup(const git_oid& id) const;
  /// A blob of the threshold's size or more, read by git and checked to be that object; nullopt to read
  /// it with libgit2 (a smaller blob, or git could not). Throws when it is over `max_bytes`.
  std::optional<TreeSource::Shared> read_large(const git_oid& id, const std::string& path, std::size_t max_bytes) const;
  /// Has git start reading a blob that `read_large` would have it read.
  void prefetch_large(const git_oid& id) const;
};

/// The message of a file over the size limit.
static std::string too_large(const std::string& path, std::size_t size, std::size_t max_bytes) {
  return fmt::format("{} is {} bytes, more than the limit of {} (raise it with --max-file-size)", path, size, max_bytes);
}

void Repository::Impl::prefetch_large(const git_oid& id) const {
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (!odb || cat_file_threshold == SIZE_MAX || git_odb_read_header(&size, &type, odb.get(), &id) < 0 ||
      type != GIT_OBJECT_BLOB || size < cat_file_threshold)
    return;
  if (!cat_file) cat_file = std::make_unique<CatFile>(git_repository_commondir(repo.get()));
  cat_file->prefetch(from_git(id), size);
}

std::optional<TreeSource::Shared> Repository::Impl::read_large(const git_oid& id, const std::string& path,
                                                               std::size_t max_bytes) const {
  std::size_t size = 0;
  git_object_t type = GIT_OBJECT_INVALID;
  if (!odb || cat_file_threshold == SIZE_MAX || git_odb_read_header(&size, &type, odb.get(), &id) < 0 ||
      type != GIT_OBJECT_BLOB || size < cat_file_threshold)
    return std::nullopt;
  if (size > max_bytes) throw Error(too_large(path, size, max_bytes));
  if (!cat_file) cat_file = std::make_unique<CatFile>(git_repository_commondir(repo.get()));
  auto bytes = cat_file->read(from_git(id), size);
  if (!bytes) return std::nullopt;
  return TreeSource::Shared{*bytes, {bytes->get(), size}};
}

struct TreeSource::Tree {
  struct Entry {
    EntryType type;
    git_oid id;
    bool twice = false;  ///< the tree names it more than once: libgit2 reads the first, git checks out the last
  };
  using Dir = std::map<std::string, Entry, std::less<>>;
  TreePtr tree;
  std::unordered_map<std::string, Dir> dirs;  ///< directories listed so far, by path ("" the root)

  /// The directory at `path`, listed on first use; null when there is no directory there.
  const Dir* dir(git_repository* repo, const std::string& path) {
    if (auto hit = dirs.find(path); hit != dirs.end()) return &hit->second;
    TreePtr owned;
    git_tree* t = tree.get();
    if (!path.empty()) {
      auto e = entry(repo, path);
      if (!e || e->type != EntryType::directory) return nullptr;
      git_tree* sub = nullptr;
      check(git_tree_lookup(&sub, repo, &e->id), "cannot read the directory " + path);
      owned.reset(sub);
      t = sub;
    }
    Dir d;
    for (std::size_t i = 0, n = git_tree_entrycount(t); i < n; ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(t, i);
      // By the raw mode, as git checks out: libgit2's normalized mode takes an unknown one (140000)
      // for a file, where git writes a submodule's empty directory.
      EntryType type = EntryType::other;  // a submodule (160000), or a mode git does not check out as a file
      switch (git_tree_entry_filemode_raw(e) & 0170000) {
        case 0100000: type = EntryType::file; break;
        case 0120000: type = EntryType::link; break;
        case 0040000: type = EntryType::directory; break;
        default: break;
      }
      if (auto [at, fresh] = d.emplace(git_tree_entry_name(e), Entry{type, *git_tree_entry_id(e)}); !fresh)
        at->second.twice = true;
    }
    return &dirs.emplace(path, std::move(d)).first->second;
  }

  /// The entry at `path` (the directories on the way must be directories, not links).
  std::optional<Entry> entry(git_repository* repo, const std::string& path) {
    auto slash = path.rfind('/');
    const Dir* parent = dir(repo, slash == std::string::npos ? "" : path.substr(0, slash));
    if (!parent) return std::nullopt;
    auto hit = parent->find(std::string_view(path).substr(slash == std::string::npos ? 0 : slash + 1));
    if (hit == parent->end()) return std::nullopt;
    if (hit->second.twice)  // a crafted tree (git fsck: duplicateEntries): refused, never read either way
      throw Error(fmt::format("{} is in the commit's tree twice: git checks out another version than the first, "
                              "which tandem would read",
                              path));
    return hit->second;
  }
};

Repository::Repository(const std::string& path) : m_impl(std::make_unique<Impl>()) {
  load_libgit2();
  git_repository* repo = nullptr;
  if (int rc = git_repository_open_ext(&repo, path.c_str(), 0, nullptr); rc < 0) {
    if (auto dir = foreign_repository(path); dir || rc == GIT_EOWNER) {
      std::string at = dir ? *dir : path;
      throw Error(fmt::format("detected dubious ownership in repository at '{}' (it belongs to another user); to "
                              "trust it, run: git config --global --add safe.directory '{}'",
                              at, at));
    }
    throw Error(fmt::format("{} is not in a git repository (this command reads git history)", path));
  }
  m_impl->repo.reset(repo);
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) == 0) m_impl->odb.reset(odb);
  m_impl->cat_file_threshold = cat_file_threshold();
  git_mailmap* mm = nullptr;
  if (git_mailmap_from_repository(&mm, repo) == 0) m_impl->mailmap.reset(mm);
}

Repository::~Repository() = default;

std::string Repository::workdir() const {
  const char* w = git_repository_workdir(m_impl->get());
  return w ? w : "";
}

bool Repository::is_shallow() const { return m_impl->is_shallow(); }

std::size_t Repository::large_blob_size() const { return m_impl->cat_file_threshold; }

std::string Repository::git_dir() const {
  const char* d = git_repository_commondir(m_impl->get());
  return d ? d : "";
}

std::string worktree_git_dir(const Repository& repo) {
  const char* d = git_repository_path(repo.impl().get());
  return d ? d : "";
}

std::optional<std::pair<std::string, std::string>> Repository::author_ident() const {
  // "Name <email> 1733580000 +0100": the name before the last '<', the email up to its '>'.
  std::string dir = workdir().empty() ? git_dir() : workdir();
  try {
    auto r = process::run({{"git", "-C", dir, "var", "GIT_AUTHOR_IDENT"}, "", std::chrono::seconds(10), {}, "git"});
    auto close = r.out.rfind('>'), open = close == std::string::npos ? close : r.out.rfind('<', close);
    if (r.exit_code != 0 || open == std::string::npos || close <= open + 1) return std::nullopt;
    std::string name = r.out.substr(0, open);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    return std::pair{name, r.out.substr(open + 1, close - open - 1)};
  } catch (const Error&) {  // git is not installed
    return std::nullopt;
  }
}

std::optional<std::string> Repository::user_email() const {
  // Where git refuses (no name, say) or is not installed, the email the configuration names, as libgit2
  // reads it.
  if (auto ident = author_ident()) return ident->second;
  if (const char* e = std::getenv("GIT_AUTHOR_EMAIL"); e && *e) return std::string(e);
  git_config* config = nullptr;
  if (git_repository_config_snapshot(&config, m_impl->get()) < 0) return std::nullopt;
  const char* value = nullptr;
  std::optional<std::string> out;
  if (git_config_get_string(&value, config, "user.email") == 0 && value && *value) out = value;
  git_config_free(config);
  return out;
}

namespace {
using ConfigPtr = std::unique_ptr<git_config, Deleter<git_config, git_config_free>>;

/// The user's global configuration file, opened (created when written to).
ConfigPtr global_config() {
  git_buf buf{};
  std::string path;
  if (git_config_find_global(&buf) == 0 && buf.ptr) path = buf.ptr;
  git_buf_dispose(&buf);
  if (path.empty()) {
    const char* home = std::getenv("HOME");
    if (!home || !*home) throw Error("cannot find the user's git configuration: HOME is not set");
    path = std::string(home) + "/.gitconfig";
  }
  git_config* config = nullptr;
  check(git_config_open_ondisk(&config, path.c_str()), "cannot open " + path);
  return ConfigPtr(config);
}
}  // namespace

std::optional<std::string> Repository::config(const std::string& name, bool global) const {
  git_config* raw = nullptr;
  ConfigPtr live;
  if (global) {
    live = global_config();
    check(git_config_snapshot(&raw, live.get()), "cannot read the git configuration");
  } else {
    check(git_repository_config_snapshot(&raw, m_impl->get()), "cannot read the git configuration");
  }
  ConfigPtr snapshot(raw);
  const char* value = nullptr;
  if (git_config_get_string(&value, snapshot.get(), name.c_str()) == 0 && value) return std::string(value);
  return std::nullopt;
}

void Repository::set_config(const std::string& name, const std::string& value, bool global) const {
  ConfigPtr config;
  if (global) {
    config = global_config();
  } else {
    git_config* raw = nullptr;
    check(git_repository_config(&raw, m_impl->get()), "cannot open the repository's git configuration");
    config.reset(raw);
  }
  check(git_config_set_string(config.get(), name.c_str(), value.c_str()), "cannot set " + name);
}

bool Repository::unborn() const { return git_repository_head_unborn(m_impl->get()) == 1; }

Oid Repository::resolve(const std::string& rev) const {
  git_object* obj = nullptr;
  if (git_revparse_single(&obj, m_impl->get(), rev.c_str()) < 0) {
    if (unborn()) throw Error(k_no_commits);
    std::string hint = rev.find("@{u") != std::string::npos || rev.find("@{upstream}") != std::string::npos
                           ? " (the branch has no upstream: name a range such as main..HEAD, or use --base)"
                           : is_shallow() ? " (this is a shallow clone: fetch more history, e.g. fetch-depth: 0)" : "";
    throw Error(fmt::format("unknown revision '{}'{}", rev, hint));
  }
  ObjectPtr o(obj);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0)
    throw Error(fmt::format("revision '{}' is not a commit", rev));
  ObjectPtr p(peeled);
  return from_git(*git_object_id(peeled));
}

CommitPtr Repository::Impl::lookup(const git_oid& id) const {
  git_commit* c = nullptr;
  if (git_commit_lookup(&c, repo.get(), &id) < 0)
    throw Error(fmt::format("commit {} is not in the repository{}", to_hex(id),
                            is_shallow() ? " (shallow clone: fetch more history, e.g. git fetch --unshallow)" : ""));
  return CommitPtr(c);
}

bool Repository::contains(const Oid& id) const {
  git_commit* c = nullptr;
  git_oid gid = to_git(id);
  if (git_commit_lookup(&c, m_impl->get(), &gid) < 0) return false;
  git_commit_free(c);
  return true;
}

CommitInfo Repository::info(const Oid& id) const {
  auto owned = m_impl->lookup(to_git(id));
  git_commit* commit = owned.get();
  const git_mailmap* mailmap = m_impl->mailmap.get();
  CommitInfo ci;
  ci.oid = id;
  ci.id = id.hex();
  ci.short_id = ci.id.substr(0, 10);
  git_signature* sig = nullptr;
  if (git_commit_author_with_mailmap(&sig, commit, mailmap) == 0) {
    SignaturePtr s(sig);
    ci.author_name = sig->name ? sig->name : "";
    ci.author_email = sig->email ? sig->email : "";
  }
  ci.time = git_commit_time(commit);
  ci.date = Date{static_cast<std::int32_t>((ci.time >= 0 ? ci.time : ci.time - 86399) / 86400)};
  const char* summary = git_commit_summary(commit);
  ci.summary = summary ? summary : "";
  ci.parents = git_commit_parentcount(commit);
  for (unsigned i = 0; i < ci.parents; ++i) ci.parent_ids.push_back(from_git(*git_commit_parent_id(commit, i)));
  git_message_trailer_array trailers{};
  if (git_message_trailers(&trailers, git_commit_message(commit)) == 0) {
    for (std::size_t i = 0; i < trailers.count; ++i) {
      std::string key = trailers.trailers[i].key;
      for (auto& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (key == "approves") {
        std::string target = trailers.trailers[i].value;
        while (!target.empty() && std::isspace(static_cast<unsigned char>(target.back()))) target.pop_back();
        ci.approves.push_back(target);
        continue;
      }
      if (key != "approved-by") continue;
      auto who = parse_identity(trailers.trailers[i].value);
      if (!who || who->first.empty()) {  // git's form is "Name <email>"
        ci.trailer_notes.push_back(fmt::format("'Approved-by: {}' has no {}", trailers.trailers[i].value,
                                               who ? "name (write 'Approved-by: Name <email>')" : "<email>"));
        continue;
      }
      const char* real_name = nullptr;
      const char* real_email = nullptr;
      std::string email = who->second;
      if (mailmap && git_mailmap_resolve(&real_name, &real_email, mailmap, who->first.c_str(), email.c_str()) == 0)
        email = real_email;
      ci.approver_emails.push_back(email);
    }
    git_message_trailer_array_free(&trailers);
  }
  // An Approved-by line git does not read as a trailer (not in the message's last paragraph, after a
  // blank line) approves nothing: say so, so that the author can fix it.
  std::size_t counted = ci.approver_emails.size() + ci.trailer_notes.size();
  std::size_t written = 0;
  std::string_view message = git_commit_message(commit) ? git_commit_message(commit) : "";
  for (std::size_t at = 0; at < message.size();) {
    std::size_t end = message.find('\n', at);
    std::string_view line = message.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (line.size() >= 12 && strncasecmp(line.data(), "approved-by:", 12) == 0) ++written;
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  if (written > counted)
    ci.trailer_notes.push_back("an Approved-by: line is not a trailer (trailers are the message's last paragraph, after a "
                               "blank line)");
  return ci;
}

std::optional<std::pair<std::string, std::string>> Repository::signature(const Oid& id) const {
  git_buf sig{}, data{};
  git_oid gid = to_git(id);
  int rc = git_commit_extract_signature(&sig, &data, m_impl->get(), &gid, nullptr);
  std::optional<std::pair<std::string, std::string>> out;
  if (rc == 0) out.emplace(std::string(sig.ptr, sig.size), std::string(data.ptr, data.size));
  git_buf_dispose(&sig);
  git_buf_dispose(&data);
  if (rc < 0 && rc != GIT_ENOTFOUND) check(rc, fmt::format("cannot read the signature of commit {}", id.hex()));
  return out;
}

namespace {

struct OidHash {
  std::size_t operator()(const git_oid& id) const {
    std::size_t h;
    std::memcpy(&h, id.id, sizeof h);
    return h;
  }
};
struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b); }
};
using OidSet = std::unordered_set<git_oid, OidHash, OidEqual>;


}  // namespace

/// The walk of a shallow clone, by hand: libgit2 1.5's revwalk does not know the shallow boundary and
/// fails on the parents of the boundary commits even when they lie outside the range (and leaks).
/// Commits listed in the `shallow` file are roots here; the walk fails only when the range itself
/// reaches past them.
static std::vector<git_oid> shallow_walk(const Repository::Impl& repo, const git_oid& head,
                                         const std::optional<git_oid>& base) {
  OidSet boundary;
  std::ifstream in(std::string(git_repository_commondir(repo.get())) + "shallow");
  for (std::string line; std::getline(in, line);) {
    git_oid id;
    if (git_oid_fromstrn(&id, line.data(), std::min<std::size_t>(line.size(), GIT_OID_HEXSZ)) == 0) boundary.insert(id);
  }
  auto parents_of = [&](const git_oid& id) {
    std::vector<git_oid> out;
    if (boundary.count(id)) return out;
    auto c = repo.lookup(id);
    for (unsigned i = 0; i < git_commit_parentcount(c.get()); ++i) out.push_back(*git_commit_parent_id(c.get(), i));
    return out;
  };
  OidSet hidden;
  if (base) {
    std::vector<git_oid> todo{*base};
    hidden.insert(*base);
    while (!todo.empty()) {
      git_oid id = todo.back();
      todo.pop_back();
      for (const auto& p : parents_of(id))
        if (hidden.insert(p).second) todo.push_back(p);
    }
  }
  // Depth-first from head; a commit is emitted after its parents (oldest first, topological).
  std::vector<git_oid> out;
  OidSet seen;
  std::vector<std::pair<git_oid, bool>> stack{{head, false}};
  while (!stack.empty()) {
    auto [id, expanded] = stack.back();
    stack.pop_back();
    if (expanded) {
      out.push_back(id);
      continue;
    }
    if (hidden.count(id) || !seen.insert(id).second) continue;
    if (boundary.count(id) && base)
      throw Error(fmt::format("the history is incomplete: the range reaches past commit {}, where this shallow clone "
                              "stops; {}", to_hex(id).substr(0, 10), k_fetch_hint));
    stack.push_back({id, true});
    auto parents = parents_of(id);
    for (auto p = parents.rbegin(); p != parents.rend(); ++p)
      if (!hidden.count(*p) && !seen.count(*p)) stack.push_back({*p, false});
  }
  return out;
}

std::vector<Oid> Repository::walk(const Oid& head_id, const std::optional<Oid>& base_id) const {
  git_oid head = to_git(head_id);
  std::optional<git_oid> base;
  if (base_id) base = to_git(*base_id);
  std::vector<Oid> out;
  if (is_shallow()) {
    for (const auto& id : shallow_walk(*m_impl, head, base)) out.push_back(from_git(id));
    return out;
  }
  git_revwalk* w = nullptr;
  check(git_revwalk_new(&w, m_impl->get()), "cannot walk the history");
  WalkPtr walk(w);
  git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
  check(git_revwalk_push(w, &head), "cannot walk the history");
  if (base && git_revwalk_hide(w, &*base) < 0)
    throw Error(fmt::format("cannot read the history below {}: {}", to_hex(*base).substr(0, 10), last_error()));
  git_oid id;
  int rc;
  while ((rc = git_revwalk_next(&id, w)) == 0) out.push_back(from_git(id));
  if (rc != GIT_ITEROVER) throw Error(fmt::format("the history is incomplete: {}", last_error()));
  return out;
}

std::vector<Oid> ref_tips(const Repository& repo) {
  std::set<Oid> tips;
  if (!repo.unborn()) tips.insert(repo.resolve("HEAD"));
  git_reference_iterator* it = nullptr;
  check(git_reference_iterator_new(&it, repo.impl().get()), "cannot list the branches and tags");
  std::unique_ptr<git_reference_iterator, Deleter<git_reference_iterator, git_reference_iterator_free>> iter(it);
  git_reference* ref = nullptr;
  while (git_reference_next(&ref, it) == 0) {
    std::unique_ptr<git_reference, Deleter<git_reference, git_reference_free>> owned(ref);
    std::string_view name = git_reference_name(ref);
    if (!name.starts_with("refs/heads/") && !name.starts_with("refs/remotes/") && !name.starts_with("refs/tags/"))
      continue;
    git_object* target = nullptr;
    if (git_reference_peel(&target, ref, GIT_OBJECT_COMMIT) < 0) continue;  // a tag of a blob, a dangling ref
    ObjectPtr peeled(target);
    tips.insert(from_git(*git_object_id(target)));
  }
  return {tips.begin(), tips.end()};
}

std::vector<Oid> walk_many(const Repository& repo, const std::vector<Oid>& heads, const std::vector<Oid>& hidden) {
  std::vector<Oid> out;
  if (repo.is_shallow()) {  // a shallow clone's walk is tandem's own: each head's, without the hidden ones'
    std::set<Oid> seen, hide;
    for (const auto& h : hidden)
      if (repo.contains(h))
        for (const auto& id : shallow_walk(repo.impl(), to_git(h), std::nullopt)) hide.insert(from_git(id));
    for (const auto& head : heads)
      for (const auto& id : shallow_walk(repo.impl(), to_git(head), std::nullopt))
        if (auto oid = from_git(id); !hide.contains(oid) && seen.insert(oid).second) out.push_back(oid);
    return out;
  }
  git_revwalk* w = nullptr;
  check(git_revwalk_new(&w, repo.impl().get()), "cannot walk the history");
  WalkPtr walk(w);
  git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
  for (const auto& head : heads) {
    git_oid id = to_git(head);
    check(git_revwalk_push(w, &id), "cannot walk the history");
  }
  for (const auto& h : hidden) {
    git_oid id = to_git(h);
    if (repo.contains(h)) git_revwalk_hide(w, &id);
  }
  git_oid id;
  int rc;
  while ((rc = git_revwalk_next(&id, w)) == 0) out.push_back(from_git(id));
  if (rc != GIT_ITEROVER) throw Error(fmt::format("the history is incomplete: {}", last_error()));
  return out;
}

std::optional<Oid> Repository::merge_base(const std::vector<Oid>& commits) const {
  std::vector<git_oid> ids;
  for (const auto& c : commits) ids.push_back(to_git(c));
  git_oid out;
  if (git_merge_base_many(&out, m_impl->get(), ids.size(), ids.data()) < 0) return std::nullopt;
  return from_git(out);
}

Oid Repository::first_parent_root(const Oid& head) const {
  Oid at = head;
  for (;;) {
    auto parents = info(at).parent_ids;
    if (parents.empty() || !contains(parents[0])) return at;
    at = parents[0];
  }
}

void Repository::use_mailmap_of(const Oid& commit) {
  m_impl->mailmap.reset();
  TreeSource tree(*this, commit);
  std::optional<std::string> text;
  if (tree.type(".mailmap") == EntryType::file && !tree.link_on(".mailmap")) text = tree.read(".mailmap", 1u << 20);
  if (!text) return;
  git_mailmap* mm = nullptr;
  if (git_mailmap_from_buffer(&mm, text->data(), text->size()) == 0) m_impl->mailmap.reset(mm);
}

std::string Repository::mailmap_email(const std::string& name, const std::string& email) const {
  const char* real_name = nullptr;
  const char* real_email = nullptr;
  const git_mailmap* mailmap = m_impl->mailmap.get();
  if (mailmap && git_mailmap_resolve(&real_name, &real_email, mailmap, name.c_str(), email.c_str()) == 0 && real_email)
    return real_email;
  return email;
}

std::vector<Oid> Repository::since(const Oid& head_id, std::int64_t since_time, std::int64_t until) const {
  git_oid head = to_git(head_id);
  std::vector<Oid> out;
  if (is_shallow()) {  // the walk is topological: order by time, as GIT_SORT_TIME does below
    std::vector<std::pair<std::int64_t, git_oid>> timed;
    for (const auto& id : shallow_walk(*m_impl, head, std::nullopt))
      if (auto t = git_commit_time(m_impl->lookup(id).get()); t >= since_time && t <= until) timed.emplace_back(t, id);
    std::reverse(timed.begin(), timed.end());  // children first among commits of the same second
    std::stable_sort(timed.begin(), timed.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [t, id] : timed) out.push_back(from_git(id));
    return out;
  }
  git_revwalk* w = nullptr;
  check(git_revwalk_new(&w, m_impl->get()), "cannot walk the history");
  WalkPtr walk(w);
  git_revwalk_sorting(w, GIT_SORT_TIME);
  check(git_revwalk_push(w, &head), "cannot walk the history");
  git_oid id;
  while (git_revwalk_next(&id, w) == 0) {
    auto t = git_commit_time(m_impl->lookup(id).get());
    if (t < since_time) break;
    if (t <= until) out.push_back(from_git(id));  // commits dated after the window are passed over
  }
  return out;
}

TreeSource::TreeSource(const Repository& repo, const Oid& commit) : m_repo(repo), m_tree(std::make_unique<Tree>()) {
  auto c = repo.impl().lookup(to_git(commit));
  git_tree* tree = nullptr;
  check(git_commit_tree(&tree, c.get()), "cannot read the tree of " + commit.hex());
  m_tree->tree.reset(tree);
}

TreeSource::~TreeSource() = default;

std::optional<Oid> TreeSource::blob_id(const std::string& path) const {
  auto e = m_tree->entry(m_repo.impl().get(), path);
  if (!e || e->type != EntryType::file) return std::nullopt;
  return from_git(e->id);
}

EntryType TreeSource::type(const std::string& path) const {
  auto e = m_tree->entry(m_repo.impl().get(), path);
  return e ? e->type : EntryType::none;
}

std::vector<std::pair<std::string, EntryType>> TreeSource::list(const std::string& dir) const {
  std::vector<std::pair<std::string, EntryType>> out;
  if (const Tree::Dir* d = m_tree->dir(m_repo.impl().get(), dir))
    for (const auto& [name, e] : *d) out.emplace_back(name, e.type);
  return out;
}

std::optional<TreeSource::Shared> TreeSource::read_shared(const std::string& path, std::size_t max_bytes) const {
  auto e = m_tree->entry(m_repo.impl().get(), path);
  if (!e) return std::nullopt;
  // A symbolic link in a commit could point anywhere: tandem never follows links in history.
  if (e->type == EntryType::link) throw Error(fmt::format("{} is a symbolic link, not a plan file", path));
  if (e->type != EntryType::file) throw Error(fmt::format("{} is not a file in that revision", path));
  if (auto large = m_repo.impl().read_large(e->id, path, max_bytes)) return large;
  git_blob* b = nullptr;
  check(git_blob_lookup(&b, m_repo.impl().get(), &e->id), "cannot read " + path);
  std::shared_ptr<git_blob> blob(b, git_blob_free);
  auto size = static_cast<std::size_t>(git_blob_rawsize(b));
  if (size > max_bytes) throw Error(too_large(path, size, max_bytes));
  return Shared{blob, {static_cast<const char*>(git_blob_rawcontent(b)), size}};
}

void TreeSource::prefetch(const std::string& path) const {
  try {
    auto e = m_tree->entry(m_repo.impl().get(), path);
    if (e && e->type == EntryType::file) m_repo.impl().prefetch_large(e->id);
  } catch (const Error&) {  // only a guess: the read itself says what is wrong
  }
}

std::optional<std::string> TreeSource::read(const std::string& path, std::size_t max_bytes) const {
  auto bytes = read_shared(path, max_bytes);
  if (!bytes) return std::nullopt;
  return std::string(bytes->text);
}

}  // namespace tandem::git
