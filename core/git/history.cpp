#include "core/git/history.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/plan/decode.hpp"
#include "core/plan/schema.hpp"
#include "core/plan/yaml.hpp"

namespace tandem::history {

namespace {

std::size_t kind_index(std::string_view kind) {
  for (std::size_t k = 0; k < k_kinds.size(); ++k)
    if (k_kinds[k] == kind) return k;
  return 0;
}

std::string canonical(const yaml::Node& node) {
  return schema::to_json(node).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// A record from a list element; `line0` is the element's first line (1-based) in its text.
RecordPtr make_record(const yaml::Node& element) {
  if (element.type != yaml::Type::mapping) return nullptr;
  const yaml::Node* id = element.get("id");
  if (!id || !id->is_scalar() || id->text.empty()) return nullptr;
  auto r = std::make_shared<Record>();
  r->id = id->text;
  std::vector<std::tuple<std::string, std::string, std::uint32_t>> fields;
  for (const auto& [k, v] : element.entries) {
    if (k->text == "id" || k->text.starts_with("x-")) continue;
    std::uint32_t line = v->mark.line >= element.mark.line ? v->mark.line - element.mark.line : 0;
    fields.emplace_back(k->text, canonical(*v), line);
  }
  std::sort(fields.begin(), fields.end());
  for (auto& [name, value, line] : fields) {
    r->fields.emplace_back(std::move(name), std::move(value));
    r->lines.push_back(line);
  }
  return r;
}

/// One list element's text inside a file.
struct Chunk {
  std::string_view text;
  std::uint32_t line;  // 1-based first line
};

/// Splits a list file at the item boundaries of its one top-level list, or nullopt when the layout is
/// not the plain one (comments, then `key:`, then `- ` items at one indentation, nothing after).
std::optional<std::vector<Chunk>> split(std::string_view text, std::string_view list_key) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<Chunk> chunks;
  std::size_t pos = 0;
  std::uint32_t line = 1;
  bool in_list = false;
  std::size_t indent = std::string_view::npos;
  auto is_comment_or_blank = [](std::string_view l) {
    auto first = l.find_first_not_of(" \t\r");
    return first == std::string_view::npos || l[first] == '#';
  };
  std::size_t chunk_start = std::string_view::npos;
  std::uint32_t chunk_line = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    std::size_t next = end == std::string_view::npos ? text.size() : end + 1;
    std::string_view l = text.substr(pos, next - pos);
    std::string_view body = l;
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.remove_suffix(1);
    if (!in_list) {
      if (!is_comment_or_blank(body) && body != "---") {
        std::string_view k = body;
        auto hash = k.find(" #");
        if (hash != std::string_view::npos) k = k.substr(0, hash);
        while (!k.empty() && k.back() == ' ') k.remove_suffix(1);
        if (k.size() != list_key.size() + 1 || !k.starts_with(list_key) || k.back() != ':') return std::nullopt;
        in_list = true;
      }
    } else if (!is_comment_or_blank(body)) {
      std::size_t spaces = body.find_first_not_of(' ');
      if (spaces == std::string_view::npos) spaces = body.size();
      if (body.find('\t') < spaces) return std::nullopt;
      if (indent == std::string_view::npos) {
        if (body.substr(spaces, 2) != "- " && body.substr(spaces) != "-") return std::nullopt;
        indent = spaces;
      }
      bool starts_item = spaces == indent && (body.substr(spaces, 2) == "- " || body.substr(spaces) == "-");
      if (starts_item) {
        if (chunk_start != std::string_view::npos) chunks.push_back({text.substr(chunk_start, pos - chunk_start), chunk_line});
        chunk_start = pos;
        chunk_line = line;
      } else if (spaces <= indent) {
        return std::nullopt;  // another top-level key, a document marker, or an odd layout
      }
    }
    pos = next;
    ++line;
  }
  if (!in_list) return std::nullopt;
  if (chunk_start != std::string_view::npos) chunks.push_back({text.substr(chunk_start), chunk_line});
  return chunks;
}

}  // namespace

std::string display(const std::optional<std::string>& canonical) {
  if (!canonical) return "(none)";
  if (canonical->size() >= 2 && canonical->front() == '"') {
    auto j = nlohmann::json::parse(*canonical, nullptr, false);
    if (j.is_string()) return j.get<std::string>();
  }
  return *canonical;
}

Reader::Reader(const git::Repository* repo, std::string config_path, load::Options options)
    : m_repo(repo), m_config_path(std::move(config_path)), m_options(std::move(options)) {}

std::shared_ptr<const Reader::ConfigEntry> Reader::parse_config(const std::string& text) {
  auto entry = std::make_shared<ConfigEntry>();
  Diagnostics diags;
  auto root = yaml::parse(text, m_config_path, diags, m_options.limits);
  entry->present = true;
  for (auto& p : entry->patterns) p.clear();
  for (std::size_t k = 0; k < k_kinds.size(); ++k) entry->patterns[k] = {std::string(kinds::k_lists[k].default_file)};
  if (!root || root->type != yaml::Type::mapping) return entry;
  std::vector<std::tuple<std::string, std::string, std::uint32_t>> fields;
  for (const auto& [k, v] : root->entries) {
    if (k->text.starts_with("x-")) continue;
    fields.emplace_back(k->text, canonical(*v), v->mark.line);
  }
  std::sort(fields.begin(), fields.end());
  for (auto& [name, value, line] : fields) {
    entry->record.fields.emplace_back(std::move(name), std::move(value));
    entry->record.lines.push_back(line);
  }
  if (const yaml::Node* files = root->get("files"); files && files->type == yaml::Type::mapping) {
    for (std::size_t k = 0; k < k_kinds.size(); ++k) {
      const yaml::Node* v = files->get(k_kinds[k]);
      if (!v) continue;
      entry->patterns[k].clear();
      if (v->type == yaml::Type::string) entry->patterns[k].push_back(v->text);
      for (const auto& e : v->items)
        if (e->type == yaml::Type::string) entry->patterns[k].push_back(e->text);
    }
  }
  return entry;
}

std::shared_ptr<const Reader::FileRecords> Reader::parse_file(const std::string& path, std::string_view kind,
                                                               const std::string& text) {
  auto out = std::make_shared<FileRecords>();
  std::string_view list_key = kinds::k_lists[kind_index(kind)].list_key;
  if (auto chunks = split(text, list_key)) {
    bool ok = true;
    for (const auto& c : *chunks) {
      auto hit = m_chunks.find(c.text);
      RecordPtr record;
      if (hit != m_chunks.end()) {
        record = hit->second;
      } else {
        Diagnostics diags;
        auto root = yaml::parse(c.text, path, diags, m_options.limits);
        if (diags.has_errors() || !root || root->type != yaml::Type::sequence || root->items.size() != 1) {
          ok = false;  // e.g. an alias to an anchor in another item: parse the whole file instead
          break;
        }
        record = make_record(*root->items[0]);
        m_chunks.emplace(std::string(c.text), record);
      }
      if (record) out->records.push_back({record, path, c.line});
    }
    if (ok) return out;
    out->records.clear();
  }
  Diagnostics diags;
  auto on_element = [&](std::string_view key, std::size_t, const yaml::NodePtr& element) {
    if (key != list_key) return;
    if (auto r = make_record(*element)) out->records.push_back({r, path, element->mark.line});
  };
  yaml::parse(text, path, diags, m_options.limits, on_element);
  for (const auto& d : diags.items())
    if (d.severity == Severity::error) out->problems.push_back(d);
  return out;
}

std::shared_ptr<const Version> Reader::build(const Source& source, const git::TreeSource* tree) {
  auto v = std::make_shared<Version>();
  v->config_file = m_config_path;
  std::shared_ptr<const ConfigEntry> config;
  auto config_blob = tree ? tree->blob_id(m_config_path) : std::nullopt;
  std::string config_key = config_blob ? git::to_hex(*config_blob) : "";
  if (auto hit = config_key.empty() ? m_configs.end() : m_configs.find(config_key); hit != m_configs.end()) {
    config = hit->second;
  } else if (auto text = source.read(m_config_path, m_options.max_file_size)) {
    config = parse_config(*text);
    if (!config_key.empty()) m_configs.emplace(config_key, config);
  }
  if (!config) return v;
  v->has_config = true;
  v->config = config->record;
  std::filesystem::path dir = std::filesystem::path(m_config_path).parent_path();
  std::set<std::string> seen;
  if (m_files.size() > 64) m_files.clear();
  for (std::size_t k = 0; k < k_kinds.size(); ++k) {
    for (const auto& pattern : config->patterns[k]) {
      if (pattern.empty() || std::filesystem::path(pattern).is_absolute()) continue;
      std::string rel = (dir / pattern).lexically_normal().generic_string();
      if (rel.starts_with("..")) continue;
      std::vector<std::string> paths;
      if (pattern.find_first_of("*?[") != std::string::npos) paths = source.glob(rel);
      else paths.push_back(rel);
      for (const auto& path : paths) {
        if (!seen.insert(path).second || !source.stays_inside(path)) continue;
        auto blob = tree ? tree->blob_id(path) : std::nullopt;
        std::string key = blob ? git::to_hex(*blob) + ":" + std::string(k_kinds[k]) + ":" + path : "";
        std::shared_ptr<const FileRecords> records;
        if (auto hit = key.empty() ? m_files.end() : m_files.find(key); hit != m_files.end()) {
          records = hit->second;
        } else {
          auto text = source.read(path, m_options.max_file_size);
          if (!text) continue;
          records = parse_file(path, k_kinds[k], *text);
          if (!key.empty()) m_files.emplace(key, records);
        }
        // A file that does not parse stands as it last parsed: its records are not taken as deleted
        // (nor the part read before the fault as all there is), so no change is invented for it.
        std::string where = std::string(k_kinds[k]) + ":" + path;
        const FileRecords* good = records.get();
        if (records->problems.empty()) m_last_good[where] = records;
        else if (auto last = m_last_good.find(where); last != m_last_good.end()) good = last->second.get();
        v->kinds[k].insert(v->kinds[k].end(), good->records.begin(), good->records.end());
        v->problems.insert(v->problems.end(), records->problems.begin(), records->problems.end());
      }
    }
  }
  return v;
}

std::shared_ptr<const Version> Reader::at(const git::Oid& commit) {
  std::string key = git::to_hex(commit);
  if (auto hit = m_versions.find(key); hit != m_versions.end()) return hit->second;
  git::TreeSource tree(*m_repo, commit);
  auto v = build(tree, &tree);
  if (m_versions.size() >= 8) m_versions.clear();  // a walk needs only the last few (parents)
  m_versions.emplace(key, v);
  return v;
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

void diff_fields(const std::string& kind, const std::string& id, const Record* old_r, const Record& new_r,
                 const std::string& file, std::uint32_t line0, std::vector<Change>& out) {
  static const Record k_empty;
  const Record& o = old_r ? *old_r : k_empty;
  std::size_t i = 0, j = 0;
  while (i < o.fields.size() || j < new_r.fields.size()) {
    bool take_old = j == new_r.fields.size() || (i < o.fields.size() && o.fields[i].first < new_r.fields[j].first);
    bool take_new = i == o.fields.size() || (j < new_r.fields.size() && new_r.fields[j].first < o.fields[i].first);
    if (take_old) {
      out.push_back({kind, id, o.fields[i].first, o.fields[i].second, std::nullopt, file, line0});
      ++i;
    } else if (take_new) {
      out.push_back({kind, id, new_r.fields[j].first, std::nullopt, new_r.fields[j].second, file,
                     line0 + new_r.lines[j]});
      ++j;
    } else {
      if (o.fields[i].second != new_r.fields[j].second)
        out.push_back({kind, id, new_r.fields[j].first, o.fields[i].second, new_r.fields[j].second, file,
                       line0 + new_r.lines[j]});
      ++i;
      ++j;
    }
  }
}

}  // namespace

std::vector<Change> diff(const Version& old, const Version& now) {
  std::vector<Change> out;
  if (!old.has_config && now.has_config) out.push_back({"config", "", "create", std::nullopt, std::nullopt, now.config_file, 1});
  if (old.has_config && !now.has_config) out.push_back({"config", "", "delete", std::nullopt, std::nullopt, old.config_file, 0});
  if (old.has_config && now.has_config) {
    // Lines of config fields are absolute (the record starts at line 0).
    diff_fields("config", "", &old.config, now.config, now.config_file, 0, out);
  }
  for (std::size_t k = 0; k < k_kinds.size(); ++k) {
    std::string kind(k_kinds[k]);
    std::unordered_map<std::string_view, const Placed*> before, after;
    for (const auto& p : old.kinds[k]) before.emplace(p.record->id, &p);
    for (const auto& p : now.kinds[k]) after.emplace(p.record->id, &p);
    std::vector<std::string_view> common_new;
    for (const auto& p : now.kinds[k]) {
      if (after[p.record->id] != &p) continue;  // a duplicate id: the first one counts
      auto b = before.find(p.record->id);
      if (b == before.end()) {
        std::optional<std::string> title;
        for (const auto& [f, val] : p.record->fields)
          if (f == "title") title = val;
        out.push_back({kind, p.record->id, "create", std::nullopt, title, p.file, p.line});
        continue;
      }
      common_new.push_back(p.record->id);
      if (b->second->record != p.record) diff_fields(kind, p.record->id, b->second->record.get(), *p.record, p.file, p.line, out);
    }
    std::vector<std::string_view> common_old;
    for (const auto& p : old.kinds[k]) {
      if (before[p.record->id] != &p) continue;
      if (!after.count(p.record->id)) {
        std::optional<std::string> title;
        for (const auto& [f, val] : p.record->fields)
          if (f == "title") title = val;
        out.push_back({kind, p.record->id, "delete", title, std::nullopt, p.file, p.line});
      } else {
        common_old.push_back(p.record->id);
      }
    }
    for (std::size_t i = 0; i < common_new.size(); ++i) {
      if (common_new[i] == common_old[i]) continue;
      std::size_t old_pos = std::find(common_old.begin(), common_old.end(), common_new[i]) - common_old.begin();
      const Placed* p = after[common_new[i]];
      out.push_back({kind, std::string(common_new[i]), "order", std::to_string(old_pos + 1), std::to_string(i + 1),
                     p->file, p->line});
      break;
    }
  }
  return out;
}

}  // namespace tandem::history
