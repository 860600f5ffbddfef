#include "core/git/history.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <list>
#include <map>
#include <memory_resource>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>

#include "core/base/attributes.hpp"
#include "core/base/error.hpp"
#include "core/plan/decode.hpp"
#include "core/plan/yaml.hpp"

namespace tandem::history {

namespace {

std::size_t kind_index(std::string_view kind) {
  for (std::size_t k = 0; k < k_kinds.size(); ++k)
    if (k_kinds[k] == kind) return k;
  return 0;
}

/// A string as nlohmann::json dumps it (UTF-8 kept, invalid bytes replaced): printable ASCII without
/// quotes or backslashes is written as it is, the rest by nlohmann.
void write_string(std::string_view s, std::string& out) {
  bool plain = std::all_of(s.begin(), s.end(), [](unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (!plain) {
    out += nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  out += s;
  out += '"';
}

/// `schema::to_json(node).dump(…)` written straight from the node, without building the JSON value
/// (a mapping's keys sorted as a JSON object sorts them, the last of equal keys kept).
void write_canonical(const yaml::Node& n, std::string& out) {
  switch (n.type) {
    case yaml::Type::null: out += "null"; return;
    case yaml::Type::boolean: out += n.boolean ? "true" : "false"; return;
    case yaml::Type::integer:
    case yaml::Type::real:
      if (!std::isfinite(n.number)) return write_string(n.text, out);
      if (std::trunc(n.number) == n.number && std::fabs(n.number) < 9.2e18)
        out += std::to_string(static_cast<std::int64_t>(n.number));
      else
        out += nlohmann::json(n.number).dump();
      return;
    case yaml::Type::string: return write_string(n.text, out);
    case yaml::Type::sequence: {
      out += '[';
      bool first = true;
      for (const auto& e : n.items) {
        if (!first) out += ',';
        first = false;
        write_canonical(*e, out);
      }
      out += ']';
      return;
    }
    case yaml::Type::mapping: {
      std::vector<std::pair<std::string_view, const yaml::Node*>> entries;
      entries.reserve(n.entries.size());
      for (const auto& [k, v] : n.entries) entries.emplace_back(k->text, &*v);
      std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      bool first = true;
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i + 1 < entries.size() && entries[i + 1].first == entries[i].first) continue;  // the last one counts
        if (!first) out += ',';
        first = false;
        write_string(entries[i].first, out);
        out += ':';
        write_canonical(*entries[i].second, out);
      }
      out += '}';
      return;
    }
  }
  out += "null";
}

std::string canonical(const yaml::Node& node) {
  std::string out;
  write_canonical(node, out);
  return out;
}

RecordPtr make_record(const yaml::Node& element) { return record_of(element); }

}  // namespace

namespace {

/// Records live in a pool of their own: a version holds a reference to each of its records, and the
/// walk takes and drops one per record and version, so their counts are best close together (a
/// third of an audit's time went to cache misses on counts spread over the heap). Never freed: a
/// record may be released during static destruction.
std::pmr::memory_resource& record_pool() {
  static auto* pool = new std::pmr::unsynchronized_pool_resource();
  return *pool;
}

/// The paths interned so far (never freed: versions may outlive everything else).
const std::string* intern(std::string_view path) {
  static auto* mutex = new std::mutex();  // signature checks run on other threads (they place nothing today)
  static auto* paths = new std::unordered_set<std::string, std::hash<std::string_view>, std::equal_to<>>();
  std::lock_guard lock(*mutex);
  return &*paths->emplace(path).first;
}

}  // namespace

FileName::FileName() : m_path(intern("")) {}
FileName::FileName(std::string_view path) : m_path(intern(path)) {}

RecordPtr record_of(const yaml::Node& element, bool extensions) {
  if (element.type != yaml::Type::mapping) return nullptr;
  const yaml::Node* id = element.get("id");
  if (!id || !id->is_scalar() || id->text.empty()) return nullptr;
  auto r = std::allocate_shared<Record>(std::pmr::polymorphic_allocator<Record>(&record_pool()));
  r->id = id->text;
  std::vector<std::tuple<std::string, std::string, std::uint32_t, std::uint32_t>> fields;
  for (const auto& [k, v] : element.entries) {
    if (k->text == "id" || (k->text.starts_with("x-") && !extensions)) continue;
    std::uint32_t line = k->mark.line >= element.mark.line ? k->mark.line - element.mark.line : 0;
    fields.emplace_back(k->text, canonical(*v), line, k->mark.column);
  }
  std::sort(fields.begin(), fields.end());
  for (auto& [name, value, line, column] : fields) {
    r->fields.emplace_back(std::move(name), std::move(value));
    r->lines.push_back(line);
    r->columns.push_back(column);
  }
  return r;
}

namespace {

/// What a line of the list is, inside the list whose items stand at `indent` (npos: not known yet;
/// the first item sets it).
enum class ListLine { other, item, bad };
ListLine list_line(std::string_view l, std::size_t& indent) {
  std::string_view body = l;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.remove_suffix(1);
  auto first = body.find_first_not_of(" \t\r");
  if (first == std::string_view::npos || body[first] == '#') return ListLine::other;  // blank or comment
  std::size_t spaces = body.find_first_not_of(' ');  // a tab there is content: at or under the items, bad
  if (spaces == std::string_view::npos) spaces = body.size();
  bool dash = body.substr(spaces, 2) == "- " || body.substr(spaces) == "-";
  if (indent == std::string_view::npos) {
    if (!dash) return ListLine::bad;
    indent = spaces;
  }
  if (spaces == indent && dash) return ListLine::item;
  return spaces <= indent ? ListLine::bad : ListLine::other;  // another top-level key, `---`, an odd layout
}

/// The end of the item whose first line starts at `pos`, before `to` (a line start, or the end): where the
/// next line that starts an item begins, or `to`. Adds its lines to `lines`; nullopt when a line does not
/// fit the plain layout.
std::optional<std::size_t> item_end(std::string_view text, std::size_t pos, std::size_t to, std::size_t& indent,
                                    std::uint32_t& lines) {
  for (std::size_t at = pos; at < to; ++lines) {
    std::size_t nl = text.find('\n', at);
    std::size_t next = nl == std::string_view::npos || nl >= to ? to : nl + 1;
    auto kind = list_line(text.substr(at, next - at), indent);
    if (kind == ListLine::bad) return std::nullopt;
    if (kind == ListLine::item && at != pos) return at;
    at = next;
  }
  return to;
}

/// Cuts `text` from `pos` (the start of a line inside the list, line number `line`) to its end at the
/// items' first lines into `chunks`: false when a line does not fit the plain layout.
bool cut_items(std::string_view text, std::size_t pos, std::uint32_t line, std::size_t& indent,
               std::vector<Chunk>& chunks) {
  for (; pos < text.size(); ++line) {  // blank lines and comments before the first item
    std::size_t end = text.find('\n', pos);
    std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
    auto kind = list_line(text.substr(pos, next - pos), indent);
    if (kind == ListLine::bad) return false;
    if (kind == ListLine::item) break;
    pos = next;
  }
  while (pos < text.size()) {
    std::uint32_t lines = 0;
    auto end = item_end(text, pos, text.size(), indent, lines);
    if (!end) return false;
    chunks.push_back({text.substr(pos, *end - pos), line});
    pos = *end;
    line += lines;
  }
  return true;
}

std::size_t count_lines(std::string_view s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

std::optional<std::vector<Chunk>> split(std::string_view text, std::string_view list_key) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::size_t pos = 0;
  std::uint32_t line = 1;
  // Comments and blank lines, then `key:` (a comment after it allowed).
  for (; pos < text.size(); ++line) {
    std::size_t end = text.find('\n', pos);
    std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
    std::string_view body = text.substr(pos, next - pos);
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.remove_suffix(1);
    pos = next;
    auto first = body.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || body[first] == '#' || body == "---") continue;
    std::string_view k = body;
    auto hash = k.find(" #");
    if (hash != std::string_view::npos) k = k.substr(0, hash);
    while (!k.empty() && k.back() == ' ') k.remove_suffix(1);
    if (k.size() != list_key.size() + 1 || !k.starts_with(list_key) || k.back() != ':') return std::nullopt;
    std::vector<Chunk> chunks;
    std::size_t indent = std::string_view::npos;
    if (!cut_items(text, pos, line + 1, indent, chunks)) return std::nullopt;
    return chunks;
  }
  return std::nullopt;
}

std::optional<std::vector<Chunk>> resplit(std::string_view old, const std::vector<Chunk>& old_chunks,
                                          std::string_view text, std::vector<std::size_t>& reused) {
  reused.clear();
  if (old.starts_with("\xEF\xBB\xBF") || text.starts_with("\xEF\xBB\xBF") || old_chunks.size() < 2) return std::nullopt;
  // The common prefix and suffix, by blocks of memcmp (a byte loop was a fifth of an audit's time).
  constexpr std::size_t k_block = 1024;
  std::size_t most = std::min(old.size(), text.size()), prefix = 0, suffix = 0;
  while (prefix + k_block <= most && std::memcmp(old.data() + prefix, text.data() + prefix, k_block) == 0) prefix += k_block;
  while (prefix < most && old[prefix] == text[prefix]) ++prefix;
  auto back = [&](std::string_view s, std::size_t n) { return s.data() + s.size() - n; };
  while (suffix + k_block <= most - prefix && std::memcmp(back(old, suffix + k_block), back(text, suffix + k_block), k_block) == 0)
    suffix += k_block;
  while (suffix < most - prefix && old[old.size() - 1 - suffix] == text[text.size() - 1 - suffix]) ++suffix;
  auto offset = [&](std::size_t i) { return static_cast<std::size_t>(old_chunks[i].text.data() - old.data()); };
  auto line_end = [&](std::size_t at) {  // just after the line starting at `at` in `old`
    std::size_t nl = old.find('\n', at);
    return nl == std::string_view::npos ? old.size() : nl + 1;
  };
  // Items kept from the start: item k - 1 ends where item k's first line starts, and that line is
  // unchanged (so it still starts an item, at the indentation the first item set). k may be 0 when the
  // first item's first line is unchanged. (Both conditions hold for a first run of items and fail after
  // it: binary searches.)
  auto first_line_kept = [&](const Chunk& c) { return line_end(static_cast<std::size_t>(c.text.data() - old.data())) <= prefix; };
  if (!first_line_kept(old_chunks[0])) return std::nullopt;  // the first item's first line sets the indentation
  std::size_t k = static_cast<std::size_t>(
      std::partition_point(old_chunks.begin() + 1, old_chunks.end(), first_line_kept) - (old_chunks.begin() + 1));
  // Items kept from the end: those whose first line, and the line break before it, are unchanged.
  std::size_t m = static_cast<std::size_t>(
      std::partition_point(old_chunks.begin() + static_cast<std::ptrdiff_t>(k + 1), old_chunks.end(),
                           [&](const Chunk& c) { return static_cast<std::size_t>(c.text.data() - old.data()) <= old.size() - suffix; }) -
      old_chunks.begin());
  std::size_t from = offset(k);
  std::size_t old_to = m < old_chunks.size() ? offset(m) : old.size();
  std::size_t to = old_to + text.size() - old.size();
  std::size_t indent = std::string_view::npos;
  list_line(old_chunks[0].text, indent);
  std::vector<Chunk> out;
  out.reserve(old_chunks.size() + 8);
  reused.reserve(old_chunks.size() + 8);
  for (std::size_t i = 0; i < k; ++i) {
    out.push_back({text.substr(offset(i), old_chunks[i].text.size()), old_chunks[i].line});
    reused.push_back(i);
  }
  // The middle, from an item's first line at `p` to `to` (where an unchanged item's first line stands,
  // or the end). Between two changes, most items stand as they stood: where the old item at the same
  // index has the same text, followed by an item's first line, it is that item (its lines were looked
  // at in the old version, and a line's kind depends on nothing else); else the lines are looked at.
  auto lines_in = [&](std::size_t i) {  // chunks are contiguous: an item's lines end where the next one's start
    return i + 1 < old_chunks.size() ? old_chunks[i + 1].line - old_chunks[i].line
                                     : static_cast<std::uint32_t>(count_lines(old_chunks[i].text));
  };
  auto starts_item = [&](std::size_t at) {
    std::size_t nl = text.find('\n', at);
    return list_line(text.substr(at, nl == std::string_view::npos ? to - at : nl + 1 - at), indent) == ListLine::item;
  };
  std::size_t p = from;
  std::uint32_t line = old_chunks[k].line;
  for (std::size_t was = k; p < to; ++was) {
    if (was < m) {
      std::string_view same = old_chunks[was].text;
      if (same.size() <= to - p && text.compare(p, same.size(), same) == 0 &&
          (p + same.size() == to || (same.back() == '\n' && starts_item(p + same.size())))) {
        out.push_back({text.substr(p, same.size()), line});
        reused.push_back(was);
        p += same.size();
        line += lines_in(was);
        continue;
      }
    }
    // One item cut at its lines.
    std::uint32_t lines = 0;
    auto end = item_end(text, p, to, indent, lines);
    if (!end) return std::nullopt;
    out.push_back({text.substr(p, *end - p), line});
    reused.push_back(std::string_view::npos);
    p = *end;
    line += lines;
  }
  if (m < old_chunks.size()) {
    auto shift = static_cast<std::int64_t>(line) - static_cast<std::int64_t>(old_chunks[m].line);
    for (std::size_t i = m; i < old_chunks.size(); ++i) {
      out.push_back({text.substr(offset(i) + text.size() - old.size(), old_chunks[i].text.size()),
                     static_cast<std::uint32_t>(old_chunks[i].line + shift)});
      reused.push_back(i);
    }
  }
  return out;
}

bool reads_as_other_type(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return true;
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::string_view word : {"~", "null", "true", "false", "yes", "no", "on", "off", "y", "n", "(none)"})
    if (lower == word) return true;
  auto j = nlohmann::json::parse(s, nullptr, false);
  if (!j.is_discarded() && !j.is_string()) return true;  // 8, 1.5, [a], {…}
  char* end = nullptr;
  std::strtod(lower.c_str(), &end);  // .5, 1e3, +7, 0x10 read as numbers in YAML
  return end && *end == '\0';
}

namespace {

/// A list or mapping as a YAML flow collection ([A, B], {reach: 500}): strings plain unless YAML would
/// read them otherwise or they hold flow indicators, then JSON-quoted (valid YAML).
std::string flow(const nlohmann::json& j) {
  if (j.is_array()) {
    std::string out;
    for (const auto& e : j) out += (out.empty() ? "" : ", ") + flow(e);
    return "[" + out + "]";
  }
  if (j.is_object()) {
    std::string out;
    for (const auto& [k, v] : j.items()) out += (out.empty() ? "" : ", ") + flow(nlohmann::json(k)) + ": " + flow(v);
    return "{" + out + "}";
  }
  if (!j.is_string()) return j.dump();
  const std::string& s = j.get_ref<const std::string&>();
  // Flow indicators anywhere, a comment or a mapping key inside, or an indicator that starts a token.
  bool plain = !reads_as_other_type(s) && s.find_first_of(",[]{}\n\t") == std::string::npos &&
               s.find(": ") == std::string::npos && s.find(" #") == std::string::npos && !s.ends_with(':') &&
               !s.starts_with("- ") && std::string_view("#&*!|>'\"%@`?").find(s.front()) == std::string_view::npos;
  return plain ? s : j.dump();
}

}  // namespace

std::string display(const std::optional<std::string>& canonical, const std::optional<std::string>& other) {
  if (!canonical) return "(none)";
  if (!canonical->empty() && (canonical->front() == '[' || canonical->front() == '{')) {
    auto j = nlohmann::json::parse(*canonical, nullptr, false);
    if (!j.is_discarded()) return flow(j);
  }
  if (canonical->size() >= 2 && canonical->front() == '"') {
    auto j = nlohmann::json::parse(*canonical, nullptr, false);
    if (j.is_string()) {
      std::string s = j.get<std::string>();
      bool other_is_string = !other || (other->size() >= 2 && other->front() == '"');
      return other_is_string && !reads_as_other_type(s) ? s : *canonical;
    }
  }
  return *canonical;
}

Reader::Reader(const git::Repository* repo, std::string config_path, load::Options options, std::size_t cache_limit)
    : m_repo(repo), m_config_path(std::move(config_path)), m_options(std::move(options)), m_cache_limit(cache_limit) {}

namespace {

/// Roughly the heap a record takes.
std::size_t bytes_of(const Record& r) {
  std::size_t n = sizeof(Record) + r.id.size() + r.lines.size() * 8;
  for (const auto& [name, value] : r.fields) n += sizeof(std::pair<std::string, std::string>) + name.size() + value.size();
  return n;
}

/// Roughly the heap of a list of placed records (the records counted too: some are shared, some not).
std::size_t bytes_of(const std::vector<Placed>& placed) {
  std::size_t n = 0;
  for (const auto& p : placed) n += sizeof(Placed) + bytes_of(*p.record);
  return n;
}

Diagnostic problem(const std::string& file, std::string code, std::string message) {
  return Diagnostic{Severity::error, std::move(code), file, Mark{1, 1}, std::move(message), {}};
}

}  // namespace

bool Reader::make_room(std::size_t bytes, bool record) {
  if (bytes > m_cache_limit) return false;
  if (m_cache_bytes + bytes > m_cache_limit) {
    // Clearing at once is simple and enough: a walk needs only the last few versions, and what is gone
    // is read again from git. Versions and files go first (rebuilt from records that are still there),
    // the records by text only when that is not enough.
    m_files.clear();
    m_configs.clear();
    m_versions.clear();
    m_cache_bytes = m_record_bytes;
    if (m_cache_bytes + bytes > m_cache_limit) {
      m_chunks.clear();
      m_cache_bytes = m_record_bytes = 0;
    }
    // Except the version read last: the walk asks for it next, as the parent of the next commit.
    if (m_last_version.second && m_last_version_bytes + bytes <= m_cache_limit) {
      m_versions.emplace(m_last_version);
      m_cache_bytes = m_last_version_bytes;
    }
  }
  m_cache_bytes += bytes;
  if (record) m_record_bytes += bytes;
  return true;
}

void Reader::Shelf::put(const std::string& key, const std::shared_ptr<const FileRecords>& records) {
  if (records->bytes > m_limit || !m_files.emplace(key, records).second) return;
  m_order.emplace_back(key, records->bytes);
  for (m_bytes += records->bytes; m_bytes > m_limit; m_order.pop_front()) {
    m_files.erase(m_order.front().first);
    m_bytes -= m_order.front().second;
  }
}

std::shared_ptr<const Reader::FileRecords> Reader::Shelf::find(const std::string& key) const {
  auto hit = m_files.find(key);
  return hit == m_files.end() ? nullptr : hit->second;
}

void Reader::share_records(Reader& from) {
  for (auto& [text, record] : from.m_chunks)
    if (!m_chunks.count(text) && make_room(text.size() + (record ? bytes_of(*record) : 0), true))
      m_chunks.emplace(text, record);
}

std::shared_ptr<const Reader::ConfigEntry> Reader::parse_config(std::string_view text) {
  auto entry = std::make_shared<ConfigEntry>();
  Diagnostics diags;
  auto root = yaml::parse(text, m_config_path, diags, m_options.limits);
  entry->present = true;
  for (auto& p : entry->patterns) p.clear();
  for (std::size_t k = 0; k < k_kinds.size(); ++k) entry->patterns[k] = {std::string(kinds::k_lists[k].default_file)};
  if (!root || root->type != yaml::Type::mapping) return entry;
  std::vector<std::tuple<std::string, std::string, std::uint32_t, std::uint32_t>> fields;
  for (const auto& [k, v] : root->entries) {
    if (k->text.starts_with("x-")) continue;
    fields.emplace_back(k->text, canonical(*v), k->mark.line, k->mark.column);
  }
  std::sort(fields.begin(), fields.end());
  for (auto& [name, value, line, column] : fields) {
    entry->record.fields.emplace_back(std::move(name), std::move(value));
    entry->record.lines.push_back(line);
    entry->record.columns.push_back(column);
  }
  if (const yaml::Node* files = root->get("files"); files && files->type == yaml::Type::mapping) {
    for (std::size_t k = 0; k < k_kinds.size(); ++k) {
      const yaml::Node* v = files->get(k_kinds[k]);
      if (!v) continue;
      entry->patterns[k].clear();
      if (v->type == yaml::Type::string) entry->patterns[k].emplace_back(v->text);
      for (const auto& e : v->items)
        if (e->type == yaml::Type::string) entry->patterns[k].emplace_back(e->text);
    }
  }
  return entry;
}

std::shared_ptr<Reader::FileRecords> Reader::parse_file(const std::string& path, std::string_view kind,
                                                               Text file) {
  std::string_view text = file.text;
  auto out = std::make_shared<FileRecords>();
  const FileName file_name(path);
  std::string_view list_key = kinds::k_lists[kind_index(kind)].list_key;
  auto& last = m_last_split[std::string(kind) + ":" + path];
  std::vector<std::size_t> reused;
  std::optional<std::vector<Chunk>> chunks;
  if (last) chunks = resplit(last->text.text, last->chunks, text, reused);  // only the changed items are looked at
  if (!chunks) {
    reused.clear();
    chunks = split(text, list_key);
  }
  if (chunks) {
    bool ok = true;
    std::vector<RecordPtr> records(chunks->size());
    out->records.reserve(chunks->size());
    for (std::size_t i = 0; i < chunks->size() && ok; ++i) {
      const Chunk& c = (*chunks)[i];
      if (i < reused.size() && reused[i] != std::string::npos) {
        records[i] = std::move(last->records[reused[i]]);  // the last split is replaced by this one, or dropped
      } else if (auto hit = m_chunks.find(c.text); hit != m_chunks.end()) {
        records[i] = hit->second;
      } else {
        Diagnostics diags;
        auto root = yaml::parse(c.text, path, diags, m_options.limits);
        if (diags.has_errors() || !root || root->type != yaml::Type::sequence || root->items.size() != 1) {
          ok = false;  // e.g. an alias to an anchor in another item: parse the whole file instead
          break;
        }
        records[i] = make_record(*root->items[0]);
        if (make_room(c.text.size() + (records[i] ? bytes_of(*records[i]) : 0), true))
          m_chunks.emplace(std::string(c.text), records[i]);
      }
      if (records[i]) out->records.push_back({records[i], file_name, c.line});
    }
    if (ok) {
      out->bytes = out->records.size() * sizeof(Placed) + path.size();
      // Kept for the next version of the file (its bytes stay where they are).
      last = std::make_unique<LastSplit>(LastSplit{std::move(file), std::move(*chunks), std::move(records)});
      return out;
    }
    out->records.clear();
    last.reset();  // its records were moved from
  }
  Diagnostics diags;
  auto on_element = [&](std::string_view key, std::size_t, const yaml::NodePtr& element) {
    if (key != list_key) return;
    if (auto r = make_record(*element)) out->records.push_back({r, file_name, element->mark.line});
  };
  yaml::parse(text, path, diags, m_options.limits, on_element);
  for (const auto& d : diags.items())
    if (d.severity == Severity::error) out->problems.push_back(d);
  out->bytes = bytes_of(out->records) + 128 * out->problems.size();
  return out;
}

// A file that is a link, or cannot be read, is a problem of the version: it is never followed, never
// skipped, and its records stand as they last stood (none, if it never parsed). The bytes of a commit
// are not copied out of libgit2.
std::optional<Reader::Text> Reader::read_text(const Source& source, const git::TreeSource* tree,
                                              const std::string& path, std::vector<Diagnostic>& problems) {
  if (auto link = source.link_on(path)) {
    problems.push_back(
        problem(path, "unsafe-path", "unsafe-path: " + link_refusal(path, *link) + ", which tandem never follows"));
    return std::nullopt;
  }
  if (tree && tree->type(path) == EntryType::other) {  // a submodule (gitlink), or a mode git does not check out as a file
    problems.push_back(problem(path, "unsafe-path",
                                  "unsafe-path: " + path + " is not a regular file in this tree (a submodule, or a "
                                  "mode that git does not check out as a file)"));
    return std::nullopt;
  }
  std::optional<Text> out;
  try {
    if (tree) {
      out = tree->read_shared(path, m_options.max_file_size);
    } else if (auto text = source.read(path, m_options.max_file_size)) {
      auto owned = std::make_shared<const std::string>(std::move(*text));
      out = Text{owned, *owned};
    }
  } catch (const Error& e) {
    problems.push_back(problem(path, "unreadable-file", e.what()));
    return Text{};  // read, but nothing usable: not the same as absent
  }
  if (out) count_bytes(out->text.size());  // the budget error ends the run: it is not a problem of the file
  return out;
}

std::shared_ptr<const Version> Reader::build(const Source& source, const git::TreeSource* tree) {
  auto v = std::make_shared<Version>();
  v->config_file = m_config_path;
  auto read = [&](const std::string& path) { return read_text(source, tree, path, v->problems); };
  std::shared_ptr<const ConfigEntry> config;
  auto config_blob = tree ? tree->blob_id(m_config_path) : std::nullopt;
  std::string config_key = config_blob && !tree->link_on(m_config_path) ? git::to_hex(*config_blob) : "";
  if (auto hit = config_key.empty() ? m_configs.end() : m_configs.find(config_key); hit != m_configs.end()) {
    config = hit->second;
  } else if (auto text = read(m_config_path)) {
    if (v->problems.empty()) {
      config = parse_config(text->text);
      if (!config_key.empty() && make_room(bytes_of(config->record) + text->text.size()))
        m_configs.emplace(config_key, config);
    }
  }
  if (!v->problems.empty()) config = m_last_config;  // unreadable: stands as it last stood
  else if (config) m_last_config = config;
  if (!config) return v;
  v->has_config = true;
  v->config = config->record;
  if (m_watch_mailmap) {
    if (auto text = read(std::string(k_mailmap_field))) {
      // Sorted by name: '.' comes before every field name.
      v->config.fields.insert(v->config.fields.begin(), {std::string(k_mailmap_field), nlohmann::json(std::string(text->text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
      v->config.lines.insert(v->config.lines.begin(), 1);
      v->config.columns.insert(v->config.columns.begin(), 1);
    }
  }
  // The base's files first (see pin_files), then the version's own: a range can neither hide a file
  // the base names nor change one the audit does not read.
  std::array<std::vector<std::string>, 3> patterns = config->patterns;
  if (m_pinned_files)
    for (std::size_t k = 0; k < k_kinds.size(); ++k)
      patterns[k].insert(patterns[k].begin(), (*m_pinned_files)[k].begin(), (*m_pinned_files)[k].end());
  std::filesystem::path dir = std::filesystem::path(m_config_path).parent_path();
  std::set<std::string> seen;
  for (std::size_t k = 0; k < k_kinds.size(); ++k) {
    for (const auto& pattern : patterns[k]) {
      if (pattern.empty() || std::filesystem::path(pattern).is_absolute()) continue;
      std::string rel = (dir / pattern).lexically_normal().generic_string();
      if (rel.starts_with("..")) continue;
      std::vector<std::string> paths;
      if (pattern.find_first_of("*?[") != std::string::npos) paths = source.glob(rel);
      else paths.push_back(rel);
      for (const auto& path : paths) {
        if (!seen.insert(path).second) continue;
        std::string where = std::string(k_kinds[k]) + ":" + path;
        auto blob = tree ? tree->blob_id(path) : std::nullopt;
        std::string key = blob && !tree->link_on(path) ? git::to_hex(*blob) + ":" + where : "";
        std::shared_ptr<const FileRecords> records;
        FileRecords* fresh = nullptr;  // parsed for this version
        bool unreadable = false;  // a link, or a file that cannot be read: reported by `read`
        if (auto hit = key.empty() ? m_files.end() : m_files.find(key); hit != m_files.end()) {
          records = hit->second;
        } else if (auto lent = m_shelf && !key.empty() ? m_shelf->find(key) : nullptr) {
          records = std::move(lent);
        } else {
          std::size_t before = v->problems.size();
          auto text = read(path);
          unreadable = v->problems.size() != before;
          if (text && blob && m_next && text->text.size() >= m_repo->large_blob_size()) prefetch_next(path, where, *blob);
          if (!text && !unreadable) continue;  // absent: its records are gone
          if (unreadable) {
            records = std::make_shared<FileRecords>();
          } else {
            auto parsed = parse_file(path, k_kinds[k], std::move(*text));
            fresh = parsed.get();
            records = std::move(parsed);
            if (!key.empty() && make_room(records->bytes))
              m_files.emplace(key, records);
            if (!key.empty() && m_shelf) m_shelf->put(key, records);
          }
        }
        // A file that does not parse stands as it last parsed: its records are not taken as deleted
        // (nor the part read before the fault as all there is), so no change is invented for it.
        const FileRecords* good = records.get();
        if (records->problems.empty() && !unreadable) m_last_good[where] = records;
        else if (auto last = m_last_good.find(where); last != m_last_good.end()) good = last->second.get();
        place(v, k, fresh, *good);
        v->problems.insert(v->problems.end(), records->problems.begin(), records->problems.end());
      }
    }
  }
  seen.insert(m_config_path);
  check_attributes(source, *v, seen);
  return v;
}

void Reader::place(const std::shared_ptr<Version>& v, std::size_t k, FileRecords* fresh, const FileRecords& good) {
  auto& list = v->kinds[k];
  if (fresh == &good && !good.in) {  // just parsed: moved into the version, and read from there from now on
    fresh->begin = list.size();
    if (list.empty()) list.swap(fresh->records);  // the kind's first file (most plans have one): no copy
    else list.insert(list.end(), std::make_move_iterator(fresh->records.begin()), std::make_move_iterator(fresh->records.end()));
    fresh->records = {};
    fresh->in = v;
    fresh->kind = k;
    fresh->end = list.size();
    return;
  }
  if (!good.in) {
    list.insert(list.end(), good.records.begin(), good.records.end());
    return;
  }
  const auto& from = good.in->kinds[good.kind];
  auto first = from.begin() + static_cast<std::ptrdiff_t>(good.begin), last = from.begin() + static_cast<std::ptrdiff_t>(good.end);
  std::vector<Placed> same;  // (never the list itself: a path is read once per version)
  if (&from == &list) same.assign(first, last), first = same.begin(), last = same.end();
  list.insert(list.end(), first, last);
}

void Reader::prefetch_next(const std::string& path, const std::string& where, const git::Oid& now) {
  try {
    git::TreeSource next(*m_repo, *m_next);
    auto blob = next.blob_id(path);
    if (!blob || *blob == now || next.link_on(path)) return;
    std::string key = git::to_hex(*blob) + ":" + where;
    if (m_files.count(key) || (m_shelf && m_shelf->find(key))) return;  // read from there, not from git
    next.prefetch(path);  // git reads it while this version's is parsed
  } catch (const Error&) {  // only a guess: reading that version says what is wrong
  }
}

void Reader::count_bytes(std::size_t bytes) {
  m_bytes_read += bytes;
  if (m_bytes_read > m_options.max_history_bytes)
    throw Error(fmt::format("the plan-file versions read from history passed {} bytes, the limit of one run (raise it "
                            "with --max-history-bytes, or audit a shorter range)",
                            m_options.max_history_bytes));
}

void Reader::check_attributes(const Source& source, Version& v, const std::set<std::string>& paths) {
  attributes::Checker checker(source, [this](std::size_t bytes) { count_bytes(bytes); });
  std::vector<std::string> present;  // a path `files:` names that is not there has no checkout to differ
  for (const auto& path : paths)
    if (source.type(path) != EntryType::none) present.push_back(path);
  for (const auto& path : present)
    for (const auto& u : checker.unsafe(path))
      v.problems.push_back(Diagnostic{
          Severity::error, "unsafe-attributes", u.file, Mark{static_cast<std::uint32_t>(u.line), 1},
          fmt::format("unsafe-attributes: '{}' gives the plan file {} '{}', so a checkout writes other bytes than "
                      "the ones tandem reads",
                      u.file, u.path, u.attribute),
          "only merge, text, eol and diff attributes may apply to plan files"});
  if (!m_watch_mailmap || !v.has_config) return;
  // The attribute lines that could change plan files, as a config field: a change to them is judged
  // like a change to the config (sorted by name: ".gitattributes" comes before ".mailmap").
  std::string lines = checker.canonical(present);
  if (lines.empty()) return;
  v.config.fields.insert(v.config.fields.begin(),
                         {std::string(k_attributes_field),
                          nlohmann::json(lines).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
  v.config.lines.insert(v.config.lines.begin(), 1);
  v.config.columns.insert(v.config.columns.begin(), 1);
}

void Reader::pin_files(const git::Oid& commit) {
  git::TreeSource tree(*m_repo, commit);
  std::optional<std::string> text;
  if (!tree.link_on(m_config_path)) text = tree.read(m_config_path, m_options.max_file_size);
  if (!text) return;  // no plan at the base: the range brings it, with its own files
  m_pinned_files = parse_config(*text)->patterns;
  m_versions.clear();
}

std::shared_ptr<const Version> Reader::at(const git::Oid& commit) {
  std::string key = git::to_hex(commit);
  if (auto hit = m_versions.find(key); hit != m_versions.end()) return hit->second;
  git::TreeSource tree(*m_repo, commit);
  auto v = build(tree, &tree);
  std::size_t bytes = sizeof(Version) + bytes_of(v->config);
  for (const auto& placed : v->kinds) bytes += placed.size() * sizeof(Placed);  // the records are counted elsewhere
  if (make_room(bytes)) {
    m_versions.emplace(key, v);
    m_last_version = {std::move(key), v};
    m_last_version_bytes = bytes;
  }
  return v;
}

Version without(const Version& v, const std::vector<std::string>& files) {
  Version out = v;
  if (std::find(files.begin(), files.end(), v.config_file) != files.end()) out.has_config = false;
  for (auto& placed : out.kinds)
    std::erase_if(placed, [&](const Placed& p) { return std::find(files.begin(), files.end(), p.file) != files.end(); });
  return out;
}

std::shared_ptr<const Version> Reader::read(const Source& source) { return build(source, nullptr); }

Side side(const git::Repository& repo, const std::string& root, const std::optional<std::string>& rev) {
  Side s;
  if (!rev) {
    s.label = "working tree";
    s.source = std::make_unique<WorkTreeSource>(root);
  } else {
    s.commit = repo.resolve(*rev);
    s.label = *rev;
    s.source = std::make_unique<git::TreeSource>(repo, *s.commit);
  }
  return s;
}

std::shared_ptr<const Version> version(Reader& reader, const Side& side) {
  return side.commit ? reader.at(*side.commit) : reader.read(*side.source);
}

namespace {

std::optional<std::string> field_value(const Record& r, std::string_view name) {
  for (const auto& [f, v] : r.fields)
    if (f == name) return v;
  return std::nullopt;
}

}  // namespace

bool is_open(const Record& r) {
  auto status = field_value(r, "status");
  return !status || (*status != "\"done\"" && *status != "\"dropped\"" && *status != "\"closed\"");
}

namespace {

void diff_fields(const std::string& kind, const std::string& id, const Record* old_r, const Record& new_r,
                 const std::string& file, std::uint32_t line0, std::vector<Change>& out) {
  static const Record k_empty;
  const Record& o = old_r ? *old_r : k_empty;
  std::size_t first = out.size();
  std::vector<std::string> flags;  // true before or after: what conditional ownership rules look at
  for (const Record* r : {&o, &new_r})
    for (const auto& [name, value] : r->fields)
      if (value == "true" && std::find(flags.begin(), flags.end(), name) == flags.end()) flags.push_back(name);
  std::size_t i = 0, j = 0;
  while (i < o.fields.size() || j < new_r.fields.size()) {
    bool take_old = j == new_r.fields.size() || (i < o.fields.size() && o.fields[i].first < new_r.fields[j].first);
    bool take_new = i == o.fields.size() || (j < new_r.fields.size() && new_r.fields[j].first < o.fields[i].first);
    if (take_old) {
      out.push_back({kind, id, o.fields[i].first, o.fields[i].second, std::nullopt, file, line0});
      ++i;
    } else if (take_new) {
      out.push_back({kind, id, new_r.fields[j].first, std::nullopt, new_r.fields[j].second, file,
                     line0 + new_r.lines[j], new_r.columns[j]});
      ++j;
    } else {
      if (o.fields[i].second != new_r.fields[j].second)
        out.push_back({kind, id, new_r.fields[j].first, o.fields[i].second, new_r.fields[j].second, file,
                       line0 + new_r.lines[j], new_r.columns[j]});
      ++i;
      ++j;
    }
  }
  if (!id.empty())
    for (std::size_t k = first; k < out.size(); ++k) out[k].flags = flags;
}

}  // namespace

namespace {

using Value = std::optional<std::string>;

/// Three-way: the sides' value where they agree or only some changed the base's value alike.
Value merge_value(const Value& base, const std::vector<Value>& sides) {
  const Value* changed = nullptr;
  for (const auto& v : sides) {
    if (v == base) continue;
    if (changed && *changed != v) return k_conflict;
    changed = &v;
  }
  return changed ? *changed : base;
}

/// A list field merged element by element (canonical JSON arrays; an absent base is empty): the first
/// side's elements that no side removed, then each other side's additions; k_conflict when a side
/// has no list.
Value merge_list(const Value& base, const std::vector<Value>& sides) {
  auto parse = [](const Value& v) {
    auto j = nlohmann::json::parse(*v, nullptr, false);
    return j.is_array() ? std::optional<nlohmann::json>(std::move(j)) : std::nullopt;
  };
  nlohmann::json b = nlohmann::json::array();
  if (base) {
    auto parsed = parse(base);
    if (!parsed) return k_conflict;
    b = std::move(*parsed);
  }
  std::vector<nlohmann::json> lists;
  for (const auto& v : sides) {
    auto parsed = v ? parse(v) : std::nullopt;
    if (!parsed) return k_conflict;
    lists.push_back(std::move(*parsed));
  }
  auto has = [](const nlohmann::json& list, const nlohmann::json& e) {
    return std::find(list.begin(), list.end(), e) != list.end();
  };
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : lists[0])
    if (std::all_of(lists.begin() + 1, lists.end(), [&](const auto& l) { return !has(b, e) || has(l, e); }))
      out.push_back(e);
  for (std::size_t i = 1; i < lists.size(); ++i)
    for (const auto& e : lists[i])
      if (!has(b, e) && !has(out, e)) out.push_back(e);
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// A record merged field by field; null when the clean merge does not have it.
RecordPtr merge_record(const Record* base, const std::vector<RecordPtr>& sides,
                       const std::function<bool(std::string_view)>& is_list) {
  std::vector<Value> exists;
  for (const auto& r : sides) exists.push_back(r ? Value("") : std::nullopt);
  if (!merge_value(base ? Value("") : std::nullopt, exists)) return nullptr;
  if (std::all_of(sides.begin(), sides.end(), [&](const RecordPtr& r) { return r == sides[0]; }) && sides[0])
    return sides[0];
  auto out = std::make_shared<Record>();
  std::set<std::string> names;
  for (const auto& r : sides)
    if (r) {
      out->id = r->id;
      for (const auto& [name, v] : r->fields) names.insert(name);
    }
  if (base) {
    out->id = base->id;
    for (const auto& [name, v] : base->fields) names.insert(name);
  }
  auto find = [](const Record* r, const std::string& name) -> std::optional<std::size_t> {
    if (!r) return std::nullopt;
    for (std::size_t i = 0; i < r->fields.size(); ++i)
      if (r->fields[i].first == name) return i;
    return std::nullopt;
  };
  for (const auto& name : names) {
    auto b = find(base, name);
    std::vector<Value> values;
    std::pair<std::uint32_t, std::uint32_t> where{0, 0};
    for (const auto& r : sides) {
      auto i = find(r.get(), name);
      values.push_back(i ? Value(r->fields[*i].second) : std::nullopt);
      if (i && where.second == 0) where = {r->lines[*i], r->columns[*i]};
    }
    Value b_value = b ? Value(base->fields[*b].second) : std::nullopt;
    Value merged = merge_value(b_value, values);
    if (merged == k_conflict && is_list(name)) merged = merge_list(b_value, values);
    if (!merged) continue;
    out->fields.emplace_back(name, std::move(*merged));
    out->lines.push_back(where.first);
    out->columns.push_back(where.second);
  }
  return out;
}

/// Whether the open records that `a` and `b` both have stand in the same relative order.
bool same_order(const std::vector<Placed>& a, const std::vector<Placed>& b) {
  auto ids = [](const std::vector<Placed>& from, const std::vector<Placed>& other) {
    std::set<std::string_view> there;
    for (const auto& p : other) there.insert(p.record->id);
    std::vector<std::string_view> out;
    for (const auto& p : from)
      if (is_open(*p.record) && there.count(p.record->id)) out.push_back(p.record->id);
    return out;
  };
  return ids(a, b) == ids(b, a);
}

}  // namespace

namespace {

using Index = std::unordered_map<std::string_view, const Placed*>;

/// The positions of a longest subsequence of `seq` whose values increase (patience sorting).
std::vector<bool> in_longest_increasing(const std::vector<std::size_t>& seq) {
  std::vector<std::size_t> tails, tail_at, before(seq.size(), SIZE_MAX);
  for (std::size_t i = 0; i < seq.size(); ++i) {
    auto k = static_cast<std::size_t>(std::lower_bound(tails.begin(), tails.end(), seq[i]) - tails.begin());
    if (k > 0) before[i] = tail_at[k - 1];
    if (k == tails.size()) tails.push_back(seq[i]), tail_at.push_back(i);
    else tails[k] = seq[i], tail_at[k] = i;
  }
  std::vector<bool> out(seq.size(), false);
  for (std::size_t i = tails.empty() ? SIZE_MAX : tail_at.back(); i != SIZE_MAX; i = before[i]) out[i] = true;
  return out;
}

/// The base's records that a parent still has, in the order the parents give them pair by pair (SPEC
/// 13.1): a pair of records that a parent put in the other order than the base's stands as that parent
/// has it (parents that both did agree: a pair has two orders), every other pair as in the base.
/// nullopt when no order holds every pair (the parents' moves contradict one another) or when too many
/// records moved to weigh them (over 2·10⁷ pairs). Linear in the records that kept their place: those
/// stand in every parent as in the base; each moved record goes into the one gap between them that its
/// pairs allow, and the moved records are checked pair by pair.
std::optional<std::vector<std::string_view>> pairwise_order(const std::vector<Placed>& base,
                                                            const std::vector<const std::vector<Placed>*>& sides) {
  std::unordered_map<std::string_view, std::size_t> index;  // id → position among the base's kept records
  std::vector<std::string_view> ids;
  std::unordered_set<std::string_view> kept;
  for (const auto* side : sides)
    for (const auto& p : *side) kept.insert(p.record->id);
  for (const auto& p : base)
    if (kept.count(p.record->id) && index.emplace(p.record->id, ids.size()).second) ids.push_back(p.record->id);
  const std::size_t n = ids.size();
  std::vector<std::vector<std::size_t>> pos(sides.size(), std::vector<std::size_t>(n, SIZE_MAX));
  std::vector<bool> moved(n, false);
  for (std::size_t s = 0; s < sides.size(); ++s) {
    std::vector<std::size_t> seq;  // the base positions of the parent's records, in its order
    for (const auto& p : *sides[s])
      if (auto hit = index.find(p.record->id); hit != index.end() && pos[s][hit->second] == SIZE_MAX)
        pos[s][hit->second] = seq.size(), seq.push_back(hit->second);
    auto stays = in_longest_increasing(seq);
    for (std::size_t i = 0; i < seq.size(); ++i)
      if (!stays[i]) moved[seq[i]] = true;
  }
  auto before = [&](std::size_t x, std::size_t y) {  // x stands before y in the merge
    for (const auto& at : pos)
      if (at[x] != SIZE_MAX && at[y] != SIZE_MAX && (at[x] < at[y]) != (x < y)) return at[x] < at[y];
    return x < y;
  };
  std::vector<std::size_t> still, movers;
  for (std::size_t i = 0; i < n; ++i) (moved[i] ? movers : still).push_back(i);
  if (movers.size() * (n + movers.size()) > 20'000'000) return std::nullopt;
  std::vector<std::vector<std::size_t>> gaps(still.size() + 1);  // gap g: before still[g]
  for (std::size_t x : movers) {
    std::size_t g = 0;
    while (g < still.size() && before(still[g], x)) ++g;
    for (std::size_t i = g; i < still.size(); ++i)
      if (before(still[i], x)) return std::nullopt;
    auto& gap = gaps[g];
    auto at = gap.begin();
    while (at != gap.end() && before(*at, x)) ++at;
    gap.insert(at, x);
  }
  std::vector<std::string_view> out;
  std::vector<std::size_t> placed;  // the moved records, in the merge's order
  for (std::size_t g = 0; g <= still.size(); ++g) {
    for (std::size_t x : gaps[g]) out.push_back(ids[x]), placed.push_back(x);
    if (g < still.size()) out.push_back(ids[still[g]]);
  }
  for (std::size_t i = 0; i < placed.size(); ++i)
    for (std::size_t j = i + 1; j < placed.size(); ++j)
      if (!before(placed[i], placed[j])) return std::nullopt;
  return out;
}

/// The ids of a merge in their order: the leader's (or, given, the base's records in `first`'s order),
/// then each parent's that it lacks, each right after the record before it on that parent (after the
/// additions of earlier parents there).
std::vector<std::string_view> merge_order(const Index& in_base, const std::vector<const std::vector<Placed>*>& sides,
                                          std::size_t leader, const std::vector<std::string_view>* first = nullptr) {
  std::list<std::string_view> seq;
  std::unordered_map<std::string_view, std::pair<std::list<std::string_view>::iterator, std::size_t>> at;
  if (first) {
    for (std::string_view id : *first) at.emplace(id, std::pair{seq.insert(seq.end(), id), std::size_t{0}});
  } else {
    for (const auto& p : *sides[leader])
      if (!at.count(p.record->id)) at.emplace(p.record->id, std::pair{seq.insert(seq.end(), p.record->id), leader});
  }
  for (std::size_t s = 0; s < sides.size(); ++s) {
    if (s == leader && !first) continue;
    auto anchor = seq.begin();  // where the next addition goes: before this
    for (const auto& p : *sides[s]) {
      if (auto hit = at.find(p.record->id); hit != at.end()) {
        anchor = std::next(hit->second.first);
        continue;
      }
      // Past the additions of earlier parents at this place: those come first.
      while (anchor != seq.end() && !in_base.count(*anchor) && at.at(*anchor).second < s) ++anchor;
      at.emplace(p.record->id, std::pair{seq.insert(anchor, p.record->id), s});
    }
  }
  return {seq.begin(), seq.end()};
}

}  // namespace

bool is_list_field(std::size_t k, std::string_view name) {
  if (k >= kinds::k_lists.size()) return false;
  for (const auto& f : kinds::k_lists[k].fields)
    if (f.name == name)
      return f.type == kinds::Type::id_list || f.type == kinds::Type::string_set || f.type == kinds::Type::string_list;
  return false;
}

Version merge(const Version& base, const std::vector<const Version*>& parents, std::vector<std::size_t>* order_conflicts) {
  Version out;
  out.config_file = parents[0]->config_file;
  std::vector<RecordPtr> configs;
  for (const Version* p : parents) configs.push_back(p->has_config ? std::make_shared<Record>(p->config) : nullptr);
  auto no_list = [](std::string_view) { return false; };
  if (auto config = merge_record(base.has_config ? &base.config : nullptr, configs, no_list)) {
    out.has_config = true;
    out.config = *config;
  }
  for (std::size_t k = 0; k < k_kinds.size(); ++k) {
    auto index = [&](const Version& v) {
      Index m;
      for (const auto& p : v.kinds[k]) m.emplace(p.record->id, &p);
      return m;
    };
    auto in_base = index(base);
    std::vector<Index> in_parent;
    std::vector<const std::vector<Placed>*> sides;
    std::size_t leader = 0, reordered = 0;
    for (std::size_t i = 0; i < parents.size(); ++i) {
      in_parent.push_back(index(*parents[i]));
      sides.push_back(&parents[i]->kinds[k]);
      if (!same_order(parents[i]->kinds[k], base.kinds[k])) leader = i, ++reordered;
    }
    std::optional<std::vector<std::string_view>> pairwise;
    if (reordered > 1) {
      pairwise = pairwise_order(base.kinds[k], sides);
      if (!pairwise && order_conflicts) order_conflicts->push_back(k);
    }
    if (reordered != 1) leader = 0;
    auto is_list = [k](std::string_view name) { return is_list_field(k, name); };
    for (std::string_view id : merge_order(in_base, sides, leader, pairwise ? &*pairwise : nullptr)) {
      auto at = [&](const Index& m) -> const Placed* {
        auto hit = m.find(id);
        return hit == m.end() ? nullptr : hit->second;
      };
      std::vector<RecordPtr> records;
      const Placed* where = nullptr;
      for (const auto& m : in_parent) {
        const Placed* p = at(m);
        records.push_back(p ? p->record : nullptr);
        if (!where) where = p;
      }
      const Placed* b = at(in_base);
      if (auto r = merge_record(b ? b->record.get() : nullptr, records, is_list))
        out.kinds[k].push_back({std::move(r), where->file, where->line});
    }
  }
  return out;
}

namespace {

/// The common case of a commit, without hashing every id: the same ids in the same files and order on
/// both sides, a few records changed. Then nothing is created, deleted or reordered, and the changes
/// are those of the changed records' fields (the first of a duplicate id counts, as in `diff`). False,
/// with nothing added, when the records are not laid out alike or too many changed.
bool same_records(const std::vector<Placed>& old, const std::vector<Placed>& now, std::vector<Change>& out,
                  const std::string& kind) {
  constexpr std::size_t k_most = 64;  // each changed record looks back for a duplicate of its id
  if (old.size() != now.size()) return false;
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < now.size(); ++i) {
    if (old[i].record == now[i].record && old[i].file == now[i].file) continue;  // interned: pointers
    if (old[i].record->id != now[i].record->id || old[i].file != now[i].file || changed.size() == k_most) return false;
    changed.push_back(i);
  }
  for (std::size_t i : changed) {
    const std::string& id = now[i].record->id;
    if (std::any_of(now.begin(), now.begin() + static_cast<std::ptrdiff_t>(i),
                    [&](const Placed& p) { return p.record->id == id; }))
      continue;
    diff_fields(kind, id, old[i].record.get(), *now[i].record, now[i].file, now[i].line, out);
  }
  return true;
}

}  // namespace

std::vector<Change> diff(const Version& old, const Version& now) {
  std::vector<Change> out;
  if (!old.has_config && now.has_config) out.push_back({"config", "", "create", std::nullopt, std::nullopt, now.config_file, 1});
  if (old.has_config && !now.has_config) out.push_back({"config", "", "delete", std::nullopt, std::nullopt, old.config_file, 0});
  if (old.has_config && now.has_config) {
    // Lines of config fields are absolute (the record starts at line 0).
    diff_fields("config", "", &old.config, now.config, now.config_file, 0, out);
    for (auto& c : out)
      if (c.field == k_mailmap_field || c.field == k_attributes_field) c.file = c.field;
  }
  for (std::size_t k = 0; k < k_kinds.size(); ++k) {
    std::string kind(k_kinds[k]);
    if (same_records(old.kinds[k], now.kinds[k], out, kind)) continue;
    std::unordered_map<std::string_view, const Placed*> before, after;
    for (const auto& p : old.kinds[k]) before.emplace(p.record->id, &p);
    for (const auto& p : now.kinds[k]) after.emplace(p.record->id, &p);
    for (const auto& p : now.kinds[k]) {
      if (after[p.record->id] != &p) continue;  // a duplicate id: the first one counts
      if (before.count(p.record->id)) {
        const Placed* b = before[p.record->id];
        if (b->record != p.record) diff_fields(kind, p.record->id, b->record.get(), *p.record, p.file, p.line, out);
        continue;
      }
      out.push_back({kind, p.record->id, "create", std::nullopt, field_value(*p.record, "title"), p.file, p.line});
    }
    for (const auto& p : old.kinds[k])
      if (before[p.record->id] == &p && !after.count(p.record->id))
        out.push_back({kind, p.record->id, "delete", field_value(*p.record, "title"), std::nullopt, p.file, p.line});
    // The order: the relative order, across the kind's files in `files:` order, of the records on both
    // sides that are open on either side (a record marked done, moved and reopened has moved; archiving
    // done records is not a reorder, moving an open record to another file that changes its rank is).
    auto in_order = [&](const Placed& p, const std::unordered_map<std::string_view, const Placed*>& other) {
      auto o = other.find(p.record->id);
      return o != other.end() && (is_open(*p.record) || is_open(*o->second->record));
    };
    std::vector<std::string_view> was, ids;
    for (const auto& p : old.kinds[k])
      if (before[p.record->id] == &p && in_order(p, after)) was.push_back(p.record->id);
    for (const auto& p : now.kinds[k])
      if (after[p.record->id] == &p && in_order(p, before)) ids.push_back(p.record->id);
    if (auto [n, o] = std::mismatch(ids.begin(), ids.end(), was.begin(), was.end()); n != ids.end()) {
      // The positions as the files have them: the record's place among all the records of the kind (done
      // ones included) across its files in `files:` order. The first record out of order names the move,
      // unless its place is the same on both sides (records created or deleted around it): then the
      // first whose place changed, which exists because the relative order did.
      auto position = [](const std::vector<Placed>& list, const Placed* p) {
        return std::to_string(static_cast<std::size_t>(p - list.data()) + 1);
      };
      auto moved = [&](std::string_view id) { return position(old.kinds[k], before[id]) != position(now.kinds[k], after[id]); };
      if (!moved(*n)) n = std::find_if(ids.begin(), ids.end(), moved);
      if (n == ids.end()) n = std::mismatch(ids.begin(), ids.end(), was.begin(), was.end()).first;
      const Placed* p = after[*n];
      out.push_back({kind, std::string(*n), "order", position(old.kinds[k], before[*n]), position(now.kinds[k], p),
                     p->file, p->line});
    }
  }
  return out;
}

}  // namespace tandem::history
