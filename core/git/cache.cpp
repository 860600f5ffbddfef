#include "core/git/cache.hpp"
#include "core/git/judged.hpp"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <optional>
#include <string_view>
#include <tuple>

#include "core/base/error.hpp"
#include "core/base/output.hpp"

namespace tandem::history {

namespace {

// The file: the key, then one entry per commit, every value a netstring ("5:hello") or, for an
// absent optional value, "-". An entry: commit id, number of changes, each change (kind, id, field,
// old, new, file, line, column, number of flags, flags), number of statuses, each (id, status).

void emit(std::string& out, std::string_view s) {
  fmt::format_to(std::back_inserter(out), "{}:", s.size());
  out += s;
}
void emit(std::string& out, std::uint64_t n) { emit(out, std::to_string(n)); }
void emit(std::string& out, const std::optional<std::string>& s) {
  if (s) emit(out, std::string_view(*s));
  else out += '-';
}

/// Reads netstrings from the file's text; any flaw makes it `bad` (and every later read empty).
struct Parser {
  std::string_view rest;
  bool bad = false;

  std::string_view str() {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
    if (bad || ec != std::errc{} || end == rest.data() + rest.size() || *end != ':' ||
        n > rest.size() - (end + 1 - rest.data()))
      return fail();
    std::string_view s(end + 1, n);
    rest.remove_prefix(end + 1 - rest.data() + n);
    return s;
  }
  std::uint64_t num(std::uint64_t max) {
    auto s = str();
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc{} || end != s.data() + s.size() || n > max) fail();
    return bad ? 0 : n;
  }
  std::optional<std::string> opt() {
    if (!bad && !rest.empty() && rest.front() == '-') {
      rest.remove_prefix(1);
      return std::nullopt;
    }
    return std::string(str());
  }
  std::int64_t integer() {
    auto s = str();
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc{} || end != s.data() + s.size()) fail();
    return bad ? 0 : n;
  }
  std::vector<std::string> list() {
    std::vector<std::string> out;
    for (auto n = num(rest.size()); n > 0 && !bad; --n) out.emplace_back(str());
    return out;
  }
  Change change() {
    Change c;
    c.kind = str();
    c.id = str();
    c.field = str();
    c.old_value = opt();
    c.new_value = opt();
    c.file = str();
    c.line = static_cast<std::uint32_t>(num(UINT32_MAX));
    c.column = static_cast<std::uint32_t>(num(UINT32_MAX));
    c.flags = list();
    return c;
  }
  std::string_view fail() {
    bad = true;
    rest = {};
    return {};
  }
};

void emit(std::string& out, const std::vector<std::string>& list) {
  emit(out, std::uint64_t{list.size()});
  for (const auto& s : list) emit(out, std::string_view(s));
}
void emit(std::string& out, const Change& c) {
  for (const auto* s : {&c.kind, &c.id, &c.field}) emit(out, std::string_view(*s));
  emit(out, c.old_value);
  emit(out, c.new_value);
  emit(out, std::string_view(c.file));
  emit(out, std::uint64_t{c.line});
  emit(out, std::uint64_t{c.column});
  emit(out, c.flags);
}
void emit(std::string& out, const git::CommitInfo& c) {
  for (const auto* s : {&c.id, &c.short_id, &c.author_name, &c.author_email}) emit(out, std::string_view(*s));
  for (const auto* l : {&c.approver_emails, &c.trailer_notes, &c.approves}) emit(out, *l);
  emit(out, std::string_view(std::to_string(c.time)));
  emit(out, std::string_view(std::to_string(c.date.days)));
  emit(out, std::string_view(c.summary));
  emit(out, std::uint64_t{c.parents});
  emit(out, std::uint64_t{c.parent_ids.size()});
  for (const auto& p : c.parent_ids) emit(out, std::string_view(p.hex()));
}
void emit(std::string& out, const audit::Violation& v) {
  emit(out, v.commit);
  emit(out, std::string_view(v.person));
  emit(out, v.approvers);
  emit(out, v.roles);
  emit(out, v.change);
  emit(out, std::string_view(v.requirement));
  emit(out, std::uint64_t{v.unaccounted});
  emit(out, std::string_view(v.code));
  emit(out, v.notes);
  emit(out, std::string_view(v.missing));
}

/// An object id read from the file; a malformed one makes the parser bad.
git::Oid oid(Parser& in) {
  auto id = git::Oid::from_hex(in.str());
  if (!id) in.fail();
  return id.value_or(git::Oid{});
}

git::CommitInfo commit_info(Parser& in) {
  git::CommitInfo c;
  for (auto* s : {&c.id, &c.short_id, &c.author_name, &c.author_email}) *s = in.str();
  for (auto* l : {&c.approver_emails, &c.trailer_notes, &c.approves}) *l = in.list();
  c.time = in.integer();
  auto days = in.integer();
  if (days < INT32_MIN || days > INT32_MAX) in.fail();
  c.date = Date{static_cast<std::int32_t>(days)};
  c.summary = in.str();
  c.parents = in.num(UINT32_MAX);
  for (auto n = in.num(in.rest.size()); n > 0 && !in.bad; --n) c.parent_ids.push_back(oid(in));
  if (auto id = git::Oid::from_hex(c.id)) c.oid = *id;
  else in.fail();
  return c;
}

audit::Violation violation(Parser& in) {
  audit::Violation v;
  v.commit = commit_info(in);
  v.person = in.str();
  v.approvers = in.list();
  v.roles = in.list();
  v.change = in.change();
  v.requirement = in.str();
  v.unaccounted = in.num(1) == 1;
  v.code = in.str();
  v.notes = in.list();
  v.missing = in.str();
  return v;
}

/// The GNU build id of the running program (hex), or "": the caches' keys name the build that wrote
/// them, so that a tandem built from other sources (whose version string may be the same) never reads
/// what an older walk or judgement found.
std::string build_id() {
  std::string id;
  dl_iterate_phdr(
      [](dl_phdr_info* info, std::size_t, void* out) {
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const auto& ph = info->dlpi_phdr[i];
          if (ph.p_type != PT_NOTE) continue;
          const char* at = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
          const char* end = at + ph.p_memsz;
          while (at + sizeof(ElfW(Nhdr)) <= end) {
            const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(at);
            const char* name = at + sizeof(ElfW(Nhdr));
            const char* desc = name + ((note->n_namesz + 3) & ~3u);
            if (desc + note->n_descsz > end) break;
            if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
              auto& hex = *static_cast<std::string*>(out);
              for (std::uint32_t k = 0; k < note->n_descsz; ++k)
                hex += fmt::format("{:02x}", static_cast<unsigned char>(desc[k]));
              return 1;
            }
            at = desc + ((note->n_descsz + 3) & ~3u);
          }
        }
        return 1;  // the first object is the program itself
      },
      &id);
  return id;
}

/// The build the cache files are written by: tandem's version and its build id.
const std::string& build() {
  static const std::string b = fmt::format("{} {}", TANDEM_VERSION, build_id());
  return b;
}

/// A path's hash for the file name (FNV-1a: the same in every build).
std::string hash(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325u;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3u;
  return fmt::format("{:016x}", h);
}

/// The file at `path` when it is a regular file of at most `max` bytes, else "" (never blocks on a FIFO,
/// never follows a symbolic link).
std::string read_capped(const std::string& path, std::size_t max) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return "";
  struct stat st{};
  std::string text;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) <= max) {
    text.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < text.size()) {
      ssize_t n = ::read(fd, text.data() + got, text.size() - got);
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    text.resize(got);
  }
  ::close(fd);
  return text;
}

/// Writes a cache file atomically into its private directory, unless it is over the size limit;
/// whether it was written (errors are ignored: a cache that cannot be written is simply not kept).
bool write_cache(const std::string& path, const std::string& bytes) {
  if (bytes.size() > Cache::k_max_bytes) return false;
  std::error_code ec;  // the directory, private to the user (plans are not for everyone on the machine)
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (std::filesystem::create_directories(dir, ec) && !ec)
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  if (!std::filesystem::is_directory(dir, ec)) return false;
  try {
    write_file_atomically(path, bytes);
    return true;
  } catch (const Error&) {
    return false;  // a read-only cache directory
  }
}

/// What a judgement is kept under: "BASE..HEAD START_DIR" (BASE "-" when none).
std::string range_key(const git::Range& range, const std::string& start_dir) {
  return fmt::format("{}..{} {}", range.base ? range.base->hex() : "-", range.head.hex(), start_dir);
}

/// The files that end with a hash of their body (ids, judgements): the key, the body, its hash.
bool write_hashed(const std::string& path, const std::string& key, const std::string& body) {
  std::string out;
  emit(out, std::string_view(key));
  out += body;
  emit(out, std::string_view(hash(body)));
  return write_cache(path, out);
}

/// The body of such a file when its key is `key` and its hash is right (else "": nothing from it).
std::string read_hashed(const std::string& path, const std::string& key) {
  std::string text = read_capped(path, Cache::k_max_bytes);
  Parser in{text};
  if (in.str() != key) return "";
  std::string_view body = in.rest;  // the hash is its last netstring: "16:" and 16 hex digits
  if (body.size() < 19 || body.substr(body.size() - 19, 3) != "16:") return "";
  std::string_view stated = body.substr(body.size() - 16);
  body.remove_suffix(19);
  return stated == hash(body) ? std::string(body) : "";
}

/// The cache file's path and key for `repo` and the plan, or {"", ""} when caching is off.
std::pair<std::string, std::string> file_and_key(std::string_view prefix, int format, const git::Repository& repo,
                                                 const std::string& config_path, const load::Options& options) {
  if (const char* off = std::getenv("TANDEM_NO_CACHE"); off && *off && std::string_view(off) != "0") return {};
  std::string dir = Cache::directory(), git_dir = repo.git_dir();
  if (dir.empty() || git_dir.empty()) return {};
  return {fmt::format("{}/{}-{}-{}", dir, prefix, hash(git_dir), hash(config_path)),
          fmt::format("tandem {} cache {} {}\nrepository {}\nplan {}\nlimits {} {} {} {}\n", prefix, format,
                      build(), git_dir, config_path, options.limits.max_depth, options.limits.max_alias_nodes,
                      options.max_file_size, options.max_items)};
}

}  // namespace

std::string Cache::directory() {
  auto env = [](const char* name) -> std::string {
    const char* v = std::getenv(name);
    return v && *v == '/' ? v : "";  // only absolute paths (as the XDG spec asks)
  };
  if (auto d = env("TANDEM_CACHE_DIR"); !d.empty()) return d;
  if (auto d = env("XDG_CACHE_HOME"); !d.empty()) return d + "/tandem";
  if (auto d = env("HOME"); !d.empty()) return d + "/.cache/tandem";
  return "";
}

Cache::Cache(const git::Repository& repo, const std::string& config_path, const load::Options& options) {
  std::tie(m_path, m_key) = file_and_key("history", k_format, repo, config_path, options);
  if (m_path.empty()) return;
  read();
}

void Cache::read() {
  std::string text = read_capped(m_path, k_max_bytes);
  Parser in{text};
  if (in.str() != m_key) return;
  std::unordered_map<git::Oid, Slot> entries;
  while (!in.bad && !in.rest.empty()) {
    auto id = git::Oid::from_hex(in.str());
    if (!id) return;
    Found f;
    for (auto n = in.num(text.size()); n > 0 && !in.bad; --n) f.changes.push_back(in.change());
    for (auto n = in.num(text.size()); n > 0 && !in.bad; --n) {
      std::string record(in.str());
      f.created_status.emplace_back(std::move(record), in.str());
    }
    if (in.bad) return;  // damaged: nothing from it
    entries[*id].found = std::move(f);
  }
  m_entries = std::move(entries);
}

const Found* Cache::find(const git::Oid& commit) {
  auto it = m_entries.find(commit);
  if (it == m_entries.end()) return nullptr;
  it->second.used = true;
  return &it->second.found;
}

void Cache::put(const git::Oid& commit, Found found) {
  if (!enabled()) return;
  m_entries[commit] = Slot{std::move(found), true};
  m_dirty = true;
}

void Cache::save() {
  if (!enabled() || !m_dirty) return;
  std::string out;
  emit(out, std::string_view(m_key));
  std::vector<const std::pair<const git::Oid, Slot>*> kept;  // by commit id: the same walk writes the same file
  for (const auto& e : m_entries)
    if (e.second.used) kept.push_back(&e);
  std::sort(kept.begin(), kept.end(), [](auto* a, auto* b) { return a->first < b->first; });
  for (const auto* e : kept) {
    const auto& [id, slot] = *e;
    emit(out, std::string_view(id.hex()));
    emit(out, std::uint64_t{slot.found.changes.size()});
    for (const auto& c : slot.found.changes) emit(out, c);
    emit(out, std::uint64_t{slot.found.created_status.size()});
    for (const auto& [record, status] : slot.found.created_status) {
      emit(out, std::string_view(record));
      emit(out, std::string_view(status));
    }
  }
  if (write_cache(m_path, out)) m_dirty = false;
}

// The ids file: the key, the number of tips, each tip's id, the number of ids, each id, and the hash
// of everything after the key (a file cut short or changed by hand is not read), all netstrings.

IdCache::IdCache(const git::Repository& repo, const std::string& config_path, const load::Options& options) {
  std::tie(m_path, m_key) = file_and_key("ids", k_format, repo, config_path, options);
  if (m_path.empty()) return;
  m_key += repo.is_shallow() ? "shallow\n" : "complete\n";  // a clone that fetches more must walk again
  std::string body = read_hashed(m_path, m_key);
  Parser in{body};
  std::vector<git::Oid> tips;
  for (auto n = in.num(body.size()); n > 0 && !in.bad; --n)
    if (auto id = git::Oid::from_hex(in.str())) tips.push_back(*id);
    else return;
  std::set<std::string> ids;
  for (auto n = in.num(body.size()); n > 0 && !in.bad; --n) ids.emplace(in.str());
  if (in.bad || !in.rest.empty()) return;  // damaged (or none): nothing from it
  m_tips = std::move(tips);
  m_ids = std::move(ids);
}

void IdCache::save(const std::vector<git::Oid>& tips, const std::set<std::string>& ids) {
  if (m_path.empty()) return;
  std::string body;
  emit(body, std::uint64_t{tips.size()});
  for (const auto& t : tips) emit(body, std::string_view(t.hex()));
  emit(body, std::uint64_t{ids.size()});
  for (const auto& id : ids) emit(body, std::string_view(id));
  write_hashed(m_path, m_key, body);
}

// The judgements file: the key, the number of ranges, each range ("BASE..HEAD START_DIR"), its number
// of violations and each violation (its commit's fields, then its own), and the hash of everything
// after the key, all netstrings.

JudgementCache::JudgementCache(const git::Repository& repo, const std::string& config_path,
                               const load::Options& options) {
  std::tie(m_path, m_key) = file_and_key("audit", k_format, repo, config_path, options);
  if (m_path.empty()) return;
  m_key += repo.is_shallow() ? "shallow\n" : "complete\n";  // a clone that fetches more judges again
  std::string body = read_hashed(m_path, m_key);
  Parser in{body};
  std::vector<Entry> entries;
  for (auto n = in.num(k_ranges); n > 0 && !in.bad; --n) {
    Entry e{std::string(in.str()), {}};
    for (auto k = in.num(body.size()); k > 0 && !in.bad; --k) e.violations.push_back(violation(in));
    entries.push_back(std::move(e));
  }
  if (in.bad || !in.rest.empty()) return;  // damaged (or none): nothing from it
  m_entries = std::move(entries);
}

std::optional<std::vector<audit::Violation>> JudgementCache::find(const git::Range& range,
                                                                  const std::string& start_dir) const {
  auto key = range_key(range, start_dir);
  for (const auto& e : m_entries)
    if (e.range == key) return e.violations;
  return std::nullopt;
}

void JudgementCache::save(const git::Range& range, const std::string& start_dir,
                          const audit::Result& judged) {
  const auto& violations = judged.violations;
  if (m_path.empty() || judged.problems.size() > 0) return;
  if (std::any_of(violations.begin(), violations.end(), [](const auto& v) { return v.code != "ownership-violation"; }))
    return;
  auto key = range_key(range, start_dir);
  std::erase_if(m_entries, [&](const Entry& e) { return e.range == key; });
  m_entries.insert(m_entries.begin(), Entry{key, violations});
  if (m_entries.size() > k_ranges) m_entries.resize(k_ranges);
  std::string body;
  emit(body, std::uint64_t{m_entries.size()});
  for (const auto& e : m_entries) {
    emit(body, std::string_view(e.range));
    emit(body, std::uint64_t{e.violations.size()});
    for (const auto& v : e.violations) emit(body, v);
  }
  write_hashed(m_path, m_key, body);
}

}  // namespace tandem::history
