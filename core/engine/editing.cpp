#include "core/engine/editing.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

#include "core/base/text.hpp"
#include "core/plan/decode.hpp"
#include "core/engine/check.hpp"
#include "core/engine/priority.hpp"

namespace tandem::editing {

using edit::Refused;
using nlohmann::json;

std::optional<std::string> OverlaySource::read(const std::string& path, std::size_t max_bytes) const {
  for (const auto& f : m_result.files)
    if (f.path == path) return f.after;
  return m_base.read(path, max_bytes);
}

Place locate(const load::Loaded& loaded, std::string_view id) {
  const auto* r = loaded.index.find(id);
  if (!r) throw Refused(fmt::format("no item, milestone or risk has the id '{}'", id));
  const model::Plan& plan = loaded.plan;
  model::FileIndex file = r->kind == index::Kind::item        ? plan.items[r->index].file
                          : r->kind == index::Kind::milestone ? plan.milestones[r->index].file
                                                              : plan.risks[r->index].file;
  std::size_t k = r->kind == index::Kind::item ? 0 : r->kind == index::Kind::milestone ? 1 : 2;
  return {&kinds::k_lists[k], plan.files[file]};
}

edit::FieldEdit parse_assignment(const kinds::KindInfo& kind, std::string_view arg) {
  auto eq = arg.find('=');
  if (eq == std::string_view::npos || eq == 0)
    throw Refused(fmt::format("'{}' is not FIELD=VALUE (or FIELD=, FIELD+=X, FIELD-=X)", arg));
  edit::FieldEdit e;
  std::string_view name = arg.substr(0, eq);
  if (name.ends_with('+')) e.op = edit::FieldEdit::Op::add;
  if (name.ends_with('-')) e.op = edit::FieldEdit::Op::subtract;
  if (e.op != edit::FieldEdit::Op::set) name.remove_suffix(1);
  std::string_view value = arg.substr(eq + 1);
  const kinds::FieldInfo* f = kinds::field(kind, name);
  if (!f) {
    std::vector<std::string> names;
    for (auto n : kinds::field_names(kind)) names.emplace_back(n);
    std::string hint = did_you_mean(name, names);
    throw Refused(fmt::format("{} has no field '{}'{}", kind.record, name, hint.empty() ? "" : "; " + hint));
  }
  e.field = std::string(f->name);
  if (f->name == "id") throw Refused("an id is not changed by set: other records refer to it");
  bool list = f->type == kinds::Type::id_list || f->type == kinds::Type::string_set || f->type == kinds::Type::string_list;
  if (e.op != edit::FieldEdit::Op::set) {
    if (!list) throw Refused(fmt::format("{} is not a list: use {}=VALUE", f->name, f->name));
    auto one = edit::parse_value(*f, value);
    if (one.items.size() != 1) throw Refused(fmt::format("{}{}= takes one element", f->name, arg[eq - 1]));
    e.value = one.items.front();
    return e;
  }
  if (value.empty()) {
    if (f->required) throw Refused(fmt::format("{} is required: it cannot be removed", f->name));
    e.op = edit::FieldEdit::Op::remove;
    return e;
  }
  e.value = edit::parse_value(*f, value);
  return e;
}

namespace {

/// The file at `path` as it is now, with the tree the load kept when the text is still the same.
edit::File read_file(const load::Loaded& loaded, const Source& source, const std::string& path,
                     const kinds::KindInfo& kind) {
  auto text = source.read(path, std::size_t(1) << 31);
  if (!text) throw Refused(fmt::format("{} no longer exists", path));
  if (auto it = loaded.trees.find(path); it != loaded.trees.end() && it->second.text == *text)
    return edit::File(std::move(*text), it->second.root, kind, path);
  return edit::File(std::move(*text), kind, path);
}

/// Every line of `part` is free of what parsing it alone could read otherwise than in its file: an anchor
/// (`&`: other records may repeat its value), a carriage return alone, a document marker.
bool reads_alone(std::string_view part) {
  if (part.find('&') != std::string_view::npos) return false;
  for (std::size_t b = 0; b < part.size();) {
    std::size_t nl = part.find('\n', b);
    std::string_view line = part.substr(b, nl == std::string_view::npos ? std::string_view::npos : nl - b);
    if (line.starts_with("---") || line.starts_with("...")) return false;
    auto cr = line.find('\r');
    if (cr != std::string_view::npos && (cr + 1 != line.size() || nl == std::string_view::npos)) return false;
    b = nl == std::string_view::npos ? part.size() : nl + 1;
  }
  return true;
}

/// Whether `text` starts with a directive (`%YAML`, `%TAG`), after a BOM, comments and blank lines: a
/// directive anywhere else would make a second document, which the parser refuses.
bool has_directive(std::string_view text) {
  std::size_t b = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (b < text.size()) {
    std::size_t nl = text.find('\n', b);
    std::string_view line = text.substr(b, nl == std::string_view::npos ? std::string_view::npos : nl - b);
    if (line.starts_with('%')) return true;
    auto first = line.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && line[first] != '#') return false;
    b = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  return false;
}

/// Record `kept` of `before`, parsed alone from `after`, which differs from `before` only inside the
/// record's lines (`splices`): from the line of its dash to the line where the next record begins (the
/// end of the file for the last). Null when that cannot stand for parsing the whole of `after`: the
/// splices reach outside those lines, the part holds an anchor or a document marker, the file has a
/// directive, or the part does not parse without a finding as exactly one record of a block list.
yaml::NodePtr reparse_record(std::string_view before, std::string_view after, const std::vector<edit::Splice>& splices,
                             const load::KeptRecord& kept, const std::string& path) {
  const yaml::Node& old = *kept.node;
  std::size_t b = edit::line_start(before, old.begin);
  std::string_view lead = before.substr(b, old.begin - b);  // "  - " before the record's first key
  std::size_t dash = lead.find_first_not_of(' ');
  if (b == 0 || dash == std::string_view::npos || lead[dash] != '-' || lead.size() == dash + 1 ||
      lead.find_first_not_of(' ', dash + 1) != std::string_view::npos)
    return nullptr;
  std::size_t e = kept.next == std::string::npos ? before.size() : edit::line_start(before, kept.next);
  if (e <= b || has_directive(before)) return nullptr;
  for (const auto& s : splices)
    if (s.begin < b || s.end > e) return nullptr;
  std::string_view part = after.substr(b, after.size() - (before.size() - e) - b);
  if (!reads_alone(part) || !reads_alone(before.substr(b, e - b))) return nullptr;
  Diagnostics diags;
  auto root = yaml::parse(part, path, diags, {}, {}, yaml::Origin{old.mark.line, b});
  if (!root || diags.size() != 0 || root->type != yaml::Type::sequence || root->style != yaml::Style::block ||
      root->items.size() != 1 || root->items.front()->type != yaml::Type::mapping)
    return nullptr;
  return yaml::NodePtr(root, root->items.front());
}

/// The field changes of record `id` from `old_record` to `want`, into `r`.
void record_changes(Result& r, const Place& place, std::string_view id, json old_record, json want) {
  std::map<std::string, std::pair<json, json>> fields;
  for (const auto& [k, v] : old_record.items()) fields[k].first = v;
  for (const auto& [k, v] : want.items()) fields[k].second = v;
  for (const auto& [k, v] : fields)
    if (v.first != v.second) r.changes.push_back({std::string(place.kind->name), std::string(id), k, v.first, v.second});
  r.records[std::string(id)] = {std::move(old_record), std::move(want)};
}

/// set_fields on the record the load kept (load::Options::keep_records), its file not parsed again: the
/// edited record alone is (reparse_record). nullopt when the record was not kept, its file changed since,
/// or the record cannot be read alone: set_fields then reads the whole file.
std::optional<Result> set_in_record(const load::Loaded& loaded, const Source& source, const Place& place,
                                    std::string_view id, const std::vector<edit::FieldEdit>& edits) {
  auto kept = loaded.records.find(std::string(id));
  auto known = loaded.texts.find(place.path);
  if (kept == loaded.records.end() || known == loaded.texts.end() || kept->second.path != place.path) return std::nullopt;
  auto text = source.read(place.path, std::size_t(1) << 31);
  if (!text || *text != known->second) return std::nullopt;
  edit::File file(std::move(*text), place.path);
  const yaml::Node& record = *kept->second.node;
  auto splices = edit::edit_record(file, record, edits);
  std::string after = edit::apply(file.text, splices);
  json old_record = schema::to_json(record);
  json want = edit::expected(old_record, edits);
  if (want == old_record) return Result{};
  auto edited = reparse_record(file.text, after, splices, kept->second, place.path);
  if (!edited || schema::to_json(*edited) != want) return std::nullopt;
  Result r;
  r.files.push_back({place.path, std::move(file.text), std::move(after), nullptr, std::move(edited), place.kind,
                     kept->second.model_index});
  record_changes(r, place, id, std::move(old_record), std::move(want));
  return r;
}

}  // namespace

Result set_fields(const load::Loaded& loaded, const Source& source, std::string_view id,
                  const std::vector<edit::FieldEdit>& edits) {
  Place place = locate(loaded, id);
  if (auto r = set_in_record(loaded, source, place, id, edits)) return std::move(*r);
  edit::File file = read_file(loaded, source, place.path, *place.kind);
  std::size_t i = file.find(id);
  if (i == std::string::npos || file.list->items[i]->type != yaml::Type::mapping)
    throw Refused(fmt::format("{}: no record with the id '{}'", place.path, id));
  auto splices = edit::edit_record(file, *file.list->items[i], edits);
  std::string after = edit::apply(file.text, splices);
  json old_record = schema::to_json(*file.list->items[i]);
  json want = edit::expected(old_record, edits);
  if (want == old_record) return {};
  std::optional<edit::File> next;
  try {
    next.emplace(after, *place.kind, place.path);
  } catch (const Refused& e) {
    throw Refused(fmt::format("the edited text would not parse ({}); nothing written", e.what()));
  }
  // Every other record must read back the same (an alias of an edited anchor would not), and the
  // edited one exactly as asked. Nodes are compared directly: JSON of 10,000 records costs more.
  const auto& old_items = file.list->items;
  const auto& new_items = next->list ? next->list->items : old_items;
  auto misread = [&] {
    return edit::Misread(fmt::format("the edit of {} would not read back as exactly the change asked for; nothing "
                                     "written (please report this with the file)",
                                     place.path));
  };
  if (!next->list || new_items.size() != old_items.size()) throw misread();
  std::vector<std::string> also;  // records that repeat an edited value through an alias
  for (std::size_t j = 0; j < new_items.size(); ++j) {
    if (j == i || edit::same_value(*old_items[j], *new_items[j])) continue;
    const yaml::Node* other = new_items[j]->type == yaml::Type::mapping ? new_items[j]->get("id") : nullptr;
    also.push_back(other && other->is_scalar() ? std::string(other->text) : fmt::format("record {}", j + 1));
  }
  if (!also.empty())
    throw Refused(fmt::format("the edit of {} would also change {}: {} the value through a YAML alias (*name); nothing "
                              "written (write the value out where it is repeated, or edit the anchored value by hand)",
                              id, join(also, ", "), also.size() == 1 ? "it repeats" : "they repeat"));
  if (schema::to_json(*new_items[i]) != want) throw misread();
  Result r;
  r.files.push_back({place.path, file.text, std::move(after), next->clean ? next->root : nullptr, nullptr, nullptr, 0});
  record_changes(r, place, id, std::move(old_record), std::move(want));
  return r;
}

Result set_fields(const load::Loaded& loaded, const Source& source,
                  const std::vector<std::pair<std::string, std::vector<edit::FieldEdit>>>& edits) {
  Result all;
  for (const auto& [id, fields] : edits) {
    Result one = set_fields(loaded, OverlaySource(source, all), id, fields);
    for (auto& f : one.files) {
      auto it = std::find_if(all.files.begin(), all.files.end(), [&](const FileChange& c) { return c.path == f.path; });
      if (it == all.files.end()) {
        all.files.push_back(std::move(f));
      } else {
        it->after = std::move(f.after);
        it->after_tree = std::move(f.after_tree);
        it->record = nullptr;  // two edits of one file: verify reads the whole of it
      }
    }
    for (auto& c : one.changes) all.changes.push_back(std::move(c));
    for (auto& [rid, rec] : one.records) {
      auto [it, fresh] = all.records.try_emplace(rid, rec);
      if (!fresh) it->second.second = std::move(rec.second);
    }
  }
  return all;
}

namespace {

/// The list files of `kind` in the loaded plan.
std::vector<std::string> files_of(const load::Loaded& loaded, std::string_view kind) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < loaded.plan.files.size(); ++i)
    if (i < loaded.plan.file_kinds.size() && loaded.plan.file_kinds[i] == kind) out.push_back(loaded.plan.files[i]);
  return out;
}

void must_equal(const std::vector<json>& now, const std::vector<json>& want, const std::string& path) {
  if (now != want)
    throw edit::Misread(fmt::format("the edit of {} would not read back as exactly the change asked for; nothing "
                                    "written (please report this with the file)",
                                    path));
}

/// The new text of a file, parsed; refuses when it does not parse.
edit::File parse_after(const std::string& text, const kinds::KindInfo& kind, const std::string& path) {
  try {
    return edit::File(text, kind, path);
  } catch (const edit::Unparsable& e) {
    throw Refused(fmt::format("the edit would leave {} unreadable at {}: {}{}; nothing written", path, e.where,
                              e.problem,
                              e.problem.find("no anchor defined before it") != std::string::npos
                                  ? " (an alias must come after its anchor: write the value out where it is repeated)"
                                  : ""));
  } catch (const Refused& e) {
    throw Refused(fmt::format("the edited text would not parse ({}); nothing written", e.what()));
  }
}

/// `text`, the new text of `path`, checked to read back as the records `want`: the change for `Result`.
FileChange checked_change(const edit::File& before, std::string text, const kinds::KindInfo& kind,
                          const std::string& path, const std::vector<json>& want) {
  edit::File after = parse_after(text, kind, path);
  must_equal(after.records(), want, path);
  return {path, before.text, std::move(text), after.clean ? after.root : nullptr, nullptr, nullptr, 0};
}

/// The ids of the plan's records of `kind`.
std::vector<std::string> ids_of(const load::Loaded& loaded, const kinds::KindInfo& kind) {
  std::vector<std::string> ids;
  auto add = [&](const auto& records) {
    for (const auto& r : records)
      if (r.id.has()) ids.push_back(*r.id);
  };
  if (kind.name == "backlog") add(loaded.plan.items);
  else if (kind.name == "roadmap") add(loaded.plan.milestones);
  else add(loaded.plan.risks);
  return ids;
}

/// An id split into its prefix and trailing number ("WEB-12" → "WEB-", 12); nullopt without digits.
std::optional<std::pair<std::string, unsigned long long>> numbered(const std::string& id) {
  std::size_t d = id.size();
  while (d > 0 && id[d - 1] >= '0' && id[d - 1] <= '9') --d;
  if (d == id.size() || id.size() - d > 18) return std::nullopt;
  return std::pair{id.substr(0, d), std::stoull(id.substr(d))};
}

/// Inserts `chunk` (whole lines) into a list at `at`, or makes an empty list (`items: []`, `items:`) a
/// block list holding it.
edit::Splice insert_lines(const edit::File& file, std::size_t at, std::string chunk) {
  std::string_view text = file.text;
  if (!chunk.ends_with('\n')) chunk += file.eol();
  if (at == text.size() && !text.empty() && !text.ends_with('\n')) {  // the last line stays without a break
    chunk.pop_back();
    if (chunk.ends_with('\r')) chunk.pop_back();
    chunk = std::string(file.eol()) + chunk;
  }
  return {at, at, std::move(chunk)};
}

/// The offset where new records go at the end of the file's list (npos: the list is empty or absent).
std::size_t list_end(const edit::File& file) {
  if (!file.list || file.list->items.empty()) return std::string::npos;
  return edit::record_span(file, file.list->items.size() - 1).second;
}

/// The splice that puts `chunk` as the only content of an empty list (`items: []` or `items:`).
edit::Splice fill_empty_list(const edit::File& file, const kinds::KindInfo& kind, std::string chunk) {
  const yaml::Node* key = nullptr;
  const yaml::Node* value = nullptr;
  for (const auto& [k, v] : file.root->entries)
    if (k->text == kind.list_key) key = k, value = v;
  if (!key) throw Refused(fmt::format("the file has no '{}:' list", kind.list_key));
  while (chunk.ends_with('\n') || chunk.ends_with('\r')) chunk.pop_back();
  auto colon = file.text.find(':', key->end);
  return {colon + 1, std::max(colon + 1, value->end), std::string(file.eol()) + chunk};
}

bool is_flow(const edit::File& file) { return file.list && file.list->style == yaml::Style::flow; }

/// Record `i` of a flow list as written (`{...}`), and the comment lines between it and the next
/// record ("" when none): the comment travels with the record.
struct FlowRecord {
  std::string text, comment;
};
FlowRecord flow_record(const edit::File& file, std::size_t i) {
  const auto& items = file.list->items;
  const yaml::Node& r = *items[i];
  FlowRecord out{file.text.substr(r.begin, r.end - r.begin), {}};
  if (i + 1 < items.size()) {
    std::string_view between = std::string_view(file.text).substr(r.end, items[i + 1]->begin - r.end);
    auto hash = between.find('#');  // between two records there is only space, one comma and comments
    if (hash != std::string_view::npos) {
      auto end = between.find_last_of('\n');
      out.comment = std::string(between.substr(hash, end > hash ? end - hash : std::string_view::npos));
      while (!out.comment.empty() && (out.comment.back() == '\r' || out.comment.back() == ' ')) out.comment.pop_back();
    }
  }
  return out;
}

/// The indentation of a line that continues a flow list: that of its last record's line, or two more
/// than the list's first line when the list is on one line.
std::string flow_indent(const edit::File& file) {
  std::size_t start = edit::line_start(file.text, file.list->items.back()->begin);
  std::size_t spaces = file.text.find_first_not_of(' ', start) - start;
  return std::string(start <= file.list->begin ? spaces + 2 : spaces, ' ');
}

/// The splices that cut the records marked in `cut` out of a flow list, each with its separator and
/// comment: a record and everything up to the next one, or, for a run of records at the end, what
/// follows the last record kept (its own comment stays).
std::vector<edit::Splice> flow_cuts(const edit::File& file, const std::vector<bool>& cut) {
  const auto& items = file.list->items;
  std::size_t n = items.size(), tail = n;  // records tail..n-1 are all cut
  std::vector<edit::Splice> out;
  if (std::find(cut.begin(), cut.end(), true) == cut.end()) return out;  // nothing cut (an empty list too)
  while (tail > 0 && cut[tail - 1]) --tail;
  for (std::size_t i = 0; i < tail; ++i)
    if (cut[i]) out.push_back({items[i]->begin, items[i + 1]->begin, ""});
  if (tail == 0) out.push_back({items[0]->begin, items[n - 1]->end, ""});
  if (tail == 0 || tail == n) return out;
  std::string keep = flow_record(file, tail - 1).comment;
  if (!keep.empty()) keep = " " + keep + std::string(file.eol()) + flow_indent(file);
  out.push_back({items[tail - 1]->end, items[n - 1]->end, keep});
  return out;
}

/// The splice that puts `record` before record `j` of a non-empty flow list (j == size: at the end),
/// separated from its neighbour as the list's records are (on a line of its own where they are).
edit::Splice flow_insert(const edit::File& file, std::size_t j, const FlowRecord& record) {
  const auto& items = file.list->items;
  std::string eol(file.eol());
  std::string sep = edit::flow_separator(file.text, *file.list, eol, j);
  if (j < items.size()) {
    std::string text = record.text + (record.comment.empty() ? sep : ", " + record.comment + eol + flow_indent(file));
    return {items[j]->begin, items[j]->begin, text};
  }
  std::string text = sep + record.text +
                     (record.comment.empty() ? "" : " " + record.comment + eol + flow_indent(file));
  return {items.back()->end, items.back()->end, text};
}

/// What `move` tells of item `id`, moved from place `i` to `to` of its file's `n` records, when a score
/// model ranks the backlog: the file's order only breaks ties there, so its rank may stay. "" otherwise.
std::string move_note(const load::Loaded& loaded, std::string_view id, std::size_t i, std::size_t to,
                      std::size_t n) {
  const model::Plan& plan = loaded.plan;
  auto model = priority::configured_model(plan);
  const auto* r = loaded.index.find(id);
  if (model == model::PriorityModel::manual || !r || r->kind != index::Kind::item || r->index < i) return {};
  std::size_t first = r->index - i, from = r->index, now = first + to;
  if (first + n > plan.items.size()) return {};
  for (std::size_t k = first; k < first + n; ++k)
    if (plan.items[k].file != plan.items[from].file) return {};
  model::Plan moved = plan;
  model::Item item = moved.items[from];
  moved.items.erase(moved.items.begin() + static_cast<std::ptrdiff_t>(from));
  moved.items.insert(moved.items.begin() + static_cast<std::ptrdiff_t>(now), std::move(item));
  auto rank_of = [](const priority::Ranking& ranking, std::size_t at) -> std::optional<int> {
    for (const auto& row : ranking.rows)
      if (row.item == at) return row.rank;
    return std::nullopt;
  };
  auto was = rank_of(priority::rank(plan, loaded.index, model), from);
  auto is = rank_of(priority::rank(moved, model), now);
  if (!was || !is) return {};
  std::string why = fmt::format("under the {} model the file's order only breaks ties between equal scores",
                                model::to_string(model));
  if (*was == *is) return fmt::format("{}: moved in the file; its rank stays {} ({})", id, *was, why);
  return fmt::format("{}: moved; rank {} → {} ({})", id, *was, *is, why);
}

/// The text of a block list with record `i` moved to position `to`: the records' own lines (with the
/// comments right above them) change places, and what stands between records (blank lines, section
/// comments) stays where it was, so the blank lines are as they were.
std::string reorder_lines(const edit::File& file, std::size_t i, std::size_t to) {
  std::size_t n = file.list->items.size();
  std::vector<std::pair<std::size_t, std::size_t>> spans(n);
  for (std::size_t k = 0; k < n; ++k) spans[k] = edit::record_span(file, k);
  std::vector<std::size_t> order(n);
  for (std::size_t k = 0; k < n; ++k) order[k] = k;
  order.erase(order.begin() + static_cast<std::ptrdiff_t>(i));
  order.insert(order.begin() + static_cast<std::ptrdiff_t>(to), i);
  std::string_view text = file.text;
  auto record = [&](std::size_t k) {
    std::string chunk(text.substr(spans[k].first, spans[k].second - spans[k].first));
    // The last record may end the file without a line break; in another place it needs one.
    if (!chunk.ends_with('\n')) chunk += file.eol();
    return chunk;
  };
  std::string out(text.substr(0, spans[0].first));
  for (std::size_t k = 0; k < n; ++k) {
    out += record(order[k]);
    if (k + 1 < n) out += text.substr(spans[k].second, spans[k + 1].first - spans[k].second);
  }
  std::string_view tail = text.substr(spans[n - 1].second);
  if (!text.substr(spans[n - 1].first, spans[n - 1].second - spans[n - 1].first).ends_with('\n') && tail.empty() &&
      out.ends_with(file.eol()))
    out.resize(out.size() - file.eol().size());  // the file ended without a line break: so it still does
  return out + std::string(tail);
}

}  // namespace

std::string next_id(const load::Loaded& loaded, const kinds::KindInfo& kind, const std::set<std::string>& history) {
  auto ids = ids_of(loaded, kind);
  std::map<std::string, std::size_t> count;
  std::vector<std::string> order;
  for (const auto& id : ids)
    if (auto n = numbered(id)) {
      if (count[n->first]++ == 0) order.push_back(n->first);
    }
  std::string prefix = kind.name == "backlog" ? "ITEM-" : kind.name == "roadmap" ? "M" : "R";
  std::size_t best = 0;
  for (const auto& p : order)
    if (count[p] > best) best = count[p], prefix = p;
  unsigned long long top = 0;
  for (const auto& id : ids)
    if (auto n = numbered(id); n && n->first == prefix) top = std::max(top, n->second);
  for (const auto& id : history)
    if (auto n = numbered(id); n && n->first == prefix) top = std::max(top, n->second);
  std::string id;
  do id = prefix + std::to_string(++top);
  while (loaded.index.find(id) || history.contains(id));
  return id;
}

Result add_record(const load::Loaded& loaded, const Source& source, const NewRecord& rec,
                  const std::set<std::string>& history) {
  const kinds::KindInfo& kind = *rec.kind;
  std::string path = rec.file;
  auto files = files_of(loaded, kind.name);
  const std::string& next_to = rec.before.empty() ? rec.after : rec.before;
  if (!next_to.empty()) {
    Place p = locate(loaded, next_to);
    if (p.kind != rec.kind) throw Refused(fmt::format("{} is not {}", next_to, kind.record));
    if (!path.empty() && path != p.path) throw Refused(fmt::format("{} is in {}, not in {}", next_to, p.path, path));
    path = p.path;
  }
  if (!path.empty()) {
    std::string in_dir = loaded.plan.config_dir.empty() ? path : loaded.plan.config_dir + "/" + path;
    auto it = std::find_if(files.begin(), files.end(), [&](const std::string& f) { return f == path || f == in_dir; });
    if (it == files.end())
      throw Refused(fmt::format("{} is not a {} file named in files: ({})", path, kind.name, join(files, ", ")));
    path = *it;
  } else {
    if (files.empty()) throw Refused(fmt::format("the plan has no {} file: create {} first", kind.name, kind.default_file));
    path = files.front();
  }
  std::string id = rec.id.empty() ? next_id(loaded, kind, history) : rec.id;
  if (!decode::is_valid_id(id)) throw Refused(fmt::format("'{}' is not a valid id", id));
  if (loaded.index.find(id)) throw Refused(fmt::format("the id '{}' is taken", id));
  const kinds::FieldInfo* title_field = kinds::field(kind, "title");
  std::vector<std::pair<std::string, edit::Value>> fields{{"id", edit::parse_value(*kinds::field(kind, "id"), id)},
                                                          {"title", edit::parse_value(*title_field, rec.title)}};
  std::vector<edit::FieldEdit> edits;
  for (const auto& a : rec.assignments) {
    auto e = parse_assignment(kind, a);
    if (e.field == "title") throw Refused("the title is given as the first argument");
    if (e.op == edit::FieldEdit::Op::remove || e.op == edit::FieldEdit::Op::subtract)
      throw Refused(fmt::format("'{}' removes something from a record that does not exist yet", a));
    for (const auto& [name, value] : fields)
      if (name == e.field) throw Refused(fmt::format("{} is given twice", e.field));
    if (e.op == edit::FieldEdit::Op::add) e = {e.field, edit::FieldEdit::Op::set, {edit::Value::Kind::list, {}, {e.value}, {}}};
    fields.emplace_back(e.field, e.value);
    edits.push_back(e);
  }
  edit::File file = read_file(loaded, source, path, kind);
  std::string chunk = edit::emit_record(fields, file.indent(), file.eol());
  auto before = file.records();
  std::size_t index = before.size();
  edit::Splice splice;
  if (is_flow(file) && !file.list->items.empty()) {
    // A record in a flow list is a flow mapping: `{id: X, title: …}`, by the emitter.
    edit::Value record{edit::Value::Kind::map, {}, {}, {}};
    for (const auto& [name, value] : fields) record.entries.push_back({name, value});
    if (!next_to.empty()) index = file.find(next_to) + (rec.before.empty() ? 1 : 0);
    splice = flow_insert(file, index, {edit::emit(record), {}});
  } else if (!next_to.empty()) {
    std::size_t i = file.find(next_to);
    auto [b, e] = edit::record_span(file, i);
    index = rec.before.empty() ? i + 1 : i;
    splice = insert_lines(file, rec.before.empty() ? e : b, chunk);
  } else if (auto end = list_end(file); end != std::string::npos) {
    splice = insert_lines(file, end, chunk);
  } else {
    splice = fill_empty_list(file, kind, chunk);
  }
  std::string after = edit::apply(file.text, {splice});
  auto want = before;
  want.insert(want.begin() + static_cast<std::ptrdiff_t>(index),
              edit::expected(json{{"id", id}, {"title", rec.title}}, edits));
  Result r;
  r.files.push_back(checked_change(file, std::move(after), kind, path, want));
  r.changes.push_back({std::string(kind.name), id, "create", nullptr, want[index]});
  return r;
}

Result move_record(const load::Loaded& loaded, const Source& source, std::string_view id, Position where,
                   std::string_view other) {
  Place place = locate(loaded, id);
  const kinds::KindInfo& kind = *place.kind;
  edit::File file = read_file(loaded, source, place.path, kind);
  std::size_t i = file.find(id), n = file.list ? file.list->items.size() : 0;
  std::size_t j = where == Position::top ? 0 : n;  // the record goes before record j (n: at the end)
  if (where == Position::before || where == Position::after) {
    if (other == id) throw Refused(fmt::format("{} cannot move next to itself", id));
    Place p = locate(loaded, other);
    if (p.path != place.path)
      throw Refused(fmt::format("{} is in {} and {} in {}: move reorders within one file", id, place.path, other, p.path));
    j = file.find(other) + (where == Position::after ? 1 : 0);
  }
  auto before = file.records();
  auto want = before;
  json moved = want[i];
  want.erase(want.begin() + static_cast<std::ptrdiff_t>(i));
  std::size_t to = j > i ? j - 1 : j;
  want.insert(want.begin() + static_cast<std::ptrdiff_t>(to), moved);
  if (to == i) return {};
  std::string after;
  if (is_flow(file)) {
    std::vector<bool> cut(n);
    cut[i] = true;
    auto splices = flow_cuts(file, cut);
    splices.push_back(flow_insert(file, j, flow_record(file, i)));
    after = edit::apply(file.text, splices);
  } else {
    after = reorder_lines(file, i, to);
  }
  Result r;
  r.files.push_back(checked_change(file, std::move(after), kind, place.path, want));
  r.changes.push_back({std::string(kind.name), std::string(id), "order", nullptr, nullptr});
  if (auto note = move_note(loaded, id, i, to, n); !note.empty()) r.summary.push_back(std::move(note));
  return r;
}

Result archive(const load::Loaded& loaded, const Source& source, std::optional<Date> done_before, const std::string& to) {
  const kinds::KindInfo& kind = kinds::k_lists[0];
  auto files = files_of(loaded, kind.name);
  std::string in_dir = loaded.plan.config_dir.empty() ? to : loaded.plan.config_dir + "/" + to;
  auto target_it = std::find_if(files.begin(), files.end(), [&](const std::string& f) { return f == to || f == in_dir; });
  if (target_it == files.end()) {
    bool named = false;
    if (auto it = loaded.plan.config.files.find("backlog"); it != loaded.plan.config.files.end())
      for (const auto& f : it->second) named = named || (f.has() && *f == to);
    if (named)
      throw Refused(fmt::format("{} is named in files: but does not exist; start it with the line 'items: []'", to));
    throw Refused(fmt::format("{} is not a backlog file named in files: ({}); add it there first (and start it with "
                              "the line 'items: []')",
                              to, join(files, ", ")));
  }
  std::string target = *target_it;
  Result r;
  std::vector<json> moved;
  std::string chunks;                    // the moved records as block lines, for a block list
  std::vector<FlowRecord> flow_records;  // the same as flow mappings, for a flow list
  bool from_block = false;
  edit::File dest = read_file(loaded, source, target, kind);
  for (const auto& path : files) {
    if (path == target) continue;
    edit::File file = read_file(loaded, source, path, kind);
    auto before = file.records();
    std::vector<json> kept;
    std::vector<edit::Splice> cuts;
    std::vector<bool> cut(before.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
      const json& rec = before[i];
      bool done = rec.contains("status") && rec["status"] == "done";
      if (done && done_before) {
        auto date = rec.contains("done") && rec["done"].is_string() ? parse_date(rec["done"].get<std::string>()) : std::nullopt;
        done = date && *date < *done_before;
      }
      if (!done) {
        kept.push_back(rec);
        continue;
      }
      if (is_flow(file)) {
        cut[i] = true;
        flow_records.push_back(flow_record(file, i));
        const auto& [text, comment] = flow_records.back();
        chunks += std::string(dest.indent(), ' ') + "- " + text + (comment.empty() ? "" : " " + comment) + "\n";
      } else {
        auto [b, e] = edit::record_span(file, i);
        std::string chunk = file.text.substr(b, e - b);
        if (!chunk.ends_with('\n')) chunk += dest.eol();
        chunks += edit::reindent(chunk, file.indent(), dest.indent());
        cuts.push_back({b, e, ""});
        from_block = true;
      }
      moved.push_back(rec);
      std::string shown = !rec.contains("id") ? "?" : rec["id"].is_string() ? rec["id"].get<std::string>() : rec["id"].dump();
      r.summary.push_back(fmt::format("{}: archived from {} to {}", shown, path, target));
    }
    if (is_flow(file)) cuts = flow_cuts(file, cut);
    if (cuts.empty()) continue;
    std::string after = edit::apply(file.text, cuts);
    r.files.push_back(checked_change(file, std::move(after), kind, path, kept));
  }
  if (moved.empty()) return {};
  // The moved lines take the destination's line endings.
  std::string lines;
  for (char c : chunks) {
    if (c == '\r') continue;
    if (c == '\n') lines += dest.eol();
    else lines += c;
  }
  chunks = std::move(lines);
  edit::Splice splice;
  if (is_flow(dest) && !dest.list->items.empty()) {
    if (from_block)
      throw Refused(fmt::format("{}: the list is written in flow style ([...]); archive adds records written as blocks "
                                "only to a block list",
                                target));
    // One splice at the end: the records in order, each after the one before.
    for (const auto& rec : flow_records) {
      auto s = flow_insert(dest, dest.list->items.size(), rec);
      splice = {s.begin, s.end, splice.text + s.text};
    }
  } else {
    auto end = list_end(dest);
    splice = end != std::string::npos ? insert_lines(dest, end, chunks) : fill_empty_list(dest, kind, chunks);
  }
  std::string after = edit::apply(dest.text, {splice});
  auto want = dest.records();
  want.insert(want.end(), moved.begin(), moved.end());
  r.files.push_back(checked_change(dest, std::move(after), kind, target, want));
  return r;
}

namespace {

/// Whether a field names another record (not a person): the id lists and an item's milestone.
bool is_reference(const kinds::FieldInfo& f) { return f.type == kinds::Type::id_list || f.name == "milestone"; }

/// Every list file of the plan, read for an edit, with its kind.
struct ListFile {
  const kinds::KindInfo* kind;
  std::string path;
  edit::File file;
  std::vector<json> want;                  ///< its records as the edit must leave them
  std::map<std::size_t, edit::Splice> splices;  ///< by offset: an alias's node is rewritten once
};

std::vector<ListFile> list_files(const load::Loaded& loaded, const Source& source) {
  std::vector<ListFile> out;
  for (std::size_t i = 0; i < loaded.plan.files.size() && i < loaded.plan.file_kinds.size(); ++i) {
    const kinds::KindInfo* kind = kinds::find(loaded.plan.file_kinds[i]);
    if (!kind || kind->list_key.empty()) continue;
    edit::File file = read_file(loaded, source, loaded.plan.files[i], *kind);
    auto want = file.records();
    out.push_back({kind, loaded.plan.files[i], std::move(file), std::move(want), {}});
  }
  return out;
}

/// The id of a record node, or "" when it has none written as a scalar.
std::string_view id_of(const yaml::Node* record) {
  const yaml::Node* id = record->type == yaml::Type::mapping ? record->get("id") : nullptr;
  return id && id->is_scalar() ? std::string_view(id->text) : std::string_view();
}

/// Writes `id` over the scalar `node` of `f`, in the node's own quoting.
void rewrite(ListFile& f, const yaml::Node& node, const std::string& id) {
  const std::string& text = f.file.text;
  char q = node.begin < text.size() ? text[node.begin] : ' ';
  std::string out = node.style == yaml::Style::quoted && (q == '"' || q == '\'')
                        ? q + id + q
                        : edit::emit(edit::parse_value(*kinds::field(*f.kind, "id"), id));
  f.splices[node.begin] = {node.begin, node.end, out};
}

/// Rewrites every reference to `from` in the records of `files` to `to`; returns the field changes.
std::vector<Change> rewrite_references(std::vector<ListFile>& files, const std::string& from, const std::string& to) {
  std::vector<Change> changes;
  for (auto& f : files) {
    std::span<const yaml::Node* const> items = f.file.list ? f.file.list->items : std::span<const yaml::Node* const>{};
    for (std::size_t j = 0; j < items.size(); ++j) {
      if (items[j]->type != yaml::Type::mapping) continue;
      for (const auto& [key, value] : items[j]->entries) {
        const kinds::FieldInfo* field = kinds::field(*f.kind, key->text);
        if (!field || !is_reference(*field)) continue;
        json& now = f.want[j][key->text];
        json old = now;
        if (value->is_scalar() && value->text == from) {
          rewrite(f, *value, to);
          now = to;
        } else if (value->type == yaml::Type::sequence) {
          for (const auto& element : value->items)
            if (element->is_scalar() && element->text == from) rewrite(f, *element, to);
          for (auto& e : now)
            if (e == from) e = to;
        }
        if (now != old) changes.push_back({std::string(f.kind->name), std::string(id_of(items[j])), std::string(key->text), old, now});
      }
    }
  }
  return changes;
}

/// A field's value for a message: a string as it is, a list as [a, b].
std::string plain(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (!v.is_array()) return v.dump();
  std::vector<std::string> parts;
  for (const auto& e : v) parts.push_back(plain(e));
  return "[" + join(parts, ", ") + "]";
}

/// The records named `id` (file index, record index), in plan order.
std::vector<std::pair<std::size_t, std::size_t>> records_named(const std::vector<ListFile>& files, std::string_view id) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::span<const yaml::Node* const> items = files[i].file.list ? files[i].file.list->items : std::span<const yaml::Node* const>{};
    for (std::size_t j = 0; j < items.size(); ++j)
      if (id_of(items[j]) == id) out.emplace_back(i, j);
  }
  return out;
}

/// The record `renumber` renames among `hits` (see Renumbering); refuses when none fits.
std::pair<std::size_t, std::size_t> pick(const std::vector<ListFile>& files, const load::Loaded& loaded,
                                         const Renumbering& what,
                                         std::vector<std::pair<std::size_t, std::size_t>> hits) {
  if (hits.empty()) throw Refused(fmt::format("no item, milestone or risk has the id '{}'", what.old_id));
  if (!what.file.empty()) {
    std::string in_dir = loaded.plan.config_dir.empty() ? what.file : loaded.plan.config_dir + "/" + what.file;
    std::erase_if(hits, [&](const auto& h) {
      const std::string& path = files[h.first].path;
      return path != what.file && path != in_dir;
    });
    if (hits.empty()) throw Refused(fmt::format("no record in {} has the id '{}'", what.file, what.old_id));
  }
  if (what.nth == 0) return hits.back();
  if (what.nth > hits.size())
    throw Refused(fmt::format("--nth {}: {} record{} the id '{}'", what.nth, hits.size(),
                              hits.size() == 1 ? " has" : "s have", what.old_id));
  return hits[what.nth - 1];
}

}  // namespace

Result renumber(const load::Loaded& loaded, const Source& source, const Renumbering& what) {
  if (!decode::is_valid_id(what.new_id))
    throw Refused(fmt::format("'{}' is not a valid id (a letter, then letters, digits, '_', '.' or '-')", what.new_id));
  if (what.new_id == what.old_id) throw Refused(fmt::format("{} already has that id", what.old_id));
  auto files = list_files(loaded, source);
  for (auto [i, j] : records_named(files, what.new_id)) {
    const auto& mark = files[i].file.list->items[j]->mark;
    throw Refused(fmt::format("the id '{}' is taken ({}:{}:{})", what.new_id, files[i].path, mark.line, mark.column));
  }
  auto hits = records_named(files, what.old_id);
  auto [fi, ri] = pick(files, loaded, what, hits);
  ListFile& home = files[fi];
  const yaml::Node& record = *home.file.list->items[ri];
  json old_record = home.want[ri];
  rewrite(home, *record.get("id"), what.new_id);
  home.want[ri]["id"] = what.new_id;
  Result r;
  r.changes.push_back({std::string(home.kind->name), what.old_id, "delete", old_record, nullptr});
  r.changes.push_back({std::string(home.kind->name), what.new_id, "create", nullptr, home.want[ri]});
  r.summary.push_back(fmt::format("{}: renamed to {} ({}:{})", what.old_id, what.new_id, home.path, record.mark.line));
  if (hits.size() == 1) {
    for (auto& c : rewrite_references(files, what.old_id, what.new_id)) {
      r.summary.push_back(fmt::format("{}: {}: {} → {}", c.id, c.field, plain(c.before), plain(c.after)));
      r.changes.push_back(std::move(c));
    }
  } else {
    auto copy = files;  // the references are only named: they cannot say which record they meant
    std::vector<std::string> refs;
    for (const auto& c : rewrite_references(copy, what.old_id, what.new_id)) refs.push_back(c.id + " " + c.field);
    if (!refs.empty())
      r.summary.push_back(fmt::format("{} records had the id {}: the references to it stay as they are ({}); point "
                                      "those meant for the renamed record at {} with tandem set",
                                      hits.size(), what.old_id, join(refs, ", "), what.new_id));
  }
  for (auto& f : files) {
    if (f.splices.empty()) continue;
    std::vector<edit::Splice> splices;
    for (auto& [at, sp] : f.splices) splices.push_back(std::move(sp));
    std::string after = edit::apply(f.file.text, std::move(splices));
    r.files.push_back(checked_change(f.file, std::move(after), *f.kind, f.path, f.want));
  }
  return r;
}

namespace {

/// `edited`, decoded, in place of record `i` of `records` while the plan is checked; true when neither
/// finds an error. The old record and the index are back when it returns.
template <class Record, class Decode>
bool checks_with(load::Loaded& plan, std::deque<Record>& records, index::Kind kind, std::size_t i,
                 const yaml::Node& edited, decode::Context& ctx, Decode decode, Date today) {
  Record record;
  decode(edited, ctx, record);
  // `set` changes no id; were it another, the index would change more than PlanIndex::replaced knows.
  if (ctx.diags.has_errors() || record.id.has() != records[i].id.has() ||
      (record.id.has() && *record.id != *records[i].id))
    return false;
  struct Restore {  // the old record and what the index derives from it, even if the check throws
    load::Loaded& plan;
    Record& slot;
    Record& other;
    index::Kind kind;
    std::size_t i;
    ~Restore() {
      std::swap(slot, other);
      plan.index.replaced(plan.plan, kind, i);
    }
  };
  std::swap(records[i], record);
  Restore restore{plan, records[i], record, kind, i};
  plan.index.replaced(plan.plan, kind, i);
  check::run(plan, today, ctx.diags);
  return !ctx.diags.has_errors();
}

/// Whether the edited plan has no error, found with the one record the edit changed decoded in place of
/// the old one (FileChange::record): false when that cannot tell, and verify loads the whole edited plan.
/// Only for a plan that had no error: its other records decode as before, so no error of theirs is new.
bool passes_by_record(load::Loaded& before, const Diagnostics& before_diags, const load::Options& options,
                      const Result& result, Date today) {
  if (result.files.size() != 1 || !result.files.front().record || options.schema_backstop ||
      before_diags.has_errors() || !before.unparsed.empty())
    return false;
  const FileChange& f = result.files.front();
  model::Plan& plan = before.plan;
  auto file = std::find(plan.files.begin(), plan.files.end(), f.path);
  if (file == plan.files.end()) return false;
  Diagnostics diags;
  decode::Context ctx{diags, f.path, static_cast<model::FileIndex>(file - plan.files.begin())};
  switch (f.kind->schema) {
    case schema::Kind::backlog:
      return f.model_index < plan.items.size() &&
             checks_with(before, plan.items, index::Kind::item, f.model_index, *f.record, ctx, decode::decode_item, today);
    case schema::Kind::roadmap:
      return f.model_index < plan.milestones.size() &&
             checks_with(before, plan.milestones, index::Kind::milestone, f.model_index, *f.record, ctx, decode::decode_milestone, today);
    case schema::Kind::risks:
      return f.model_index < plan.risks.size() &&
             checks_with(before, plan.risks, index::Kind::risk, f.model_index, *f.record, ctx, decode::decode_risk, today);
    default:
      return false;
  }
}

}  // namespace

void verify(const load::Location& where, const Source& source, const load::Options& options,
            load::Loaded& before, const Diagnostics& before_diags, const Result& result, Date today) {
  if (passes_by_record(before, before_diags, options, result, today)) return;
  OverlaySource overlay(source, result);
  // What is parsed already is not parsed again: the unchanged files' trees and the edited texts'.
  std::map<std::string, load::Tree> parsed = before.trees;
  for (const auto& f : result.files) {
    if (f.after_tree) parsed[f.path] = {f.after, f.after_tree};
    else parsed.erase(f.path);
  }
  load::Options reading = options;  // keep_trees as before: a file that does not parse is read the same way
  reading.parsed = &parsed;
  Diagnostics diags;
  auto after = load::load(where, overlay, reading, diags);
  check::run(after, today, diags);
  if (!diags.has_errors()) return;
  Diagnostics old;
  old.append(before_diags);
  check::run(before, today, old);
  std::multiset<std::string> had;
  auto key = [](const Diagnostic& d) { return d.code + '\n' + d.file + '\n' + d.message; };
  for (const auto& d : old.items())
    if (d.severity == Severity::error) had.insert(key(d));
  std::string gained;
  for (const auto& d : diags.sorted()) {
    if (d.severity != Severity::error) continue;
    auto it = had.find(key(d));
    if (it != had.end()) had.erase(it);
    else gained += "\n  " + format_diagnostic(d);
  }
  if (!gained.empty()) throw Refused("the edit would give the plan errors; nothing written:" + gained);
}

namespace {

/// The requirement for a change, with `FIELD if FLAG` rules applied when FLAG is true before or after,
/// and `FIELD=VALUE` rules when VALUE is the old or the new value.
ownership::Requirement requirement(const ownership::Rules& rules, const Change& c, const json& before,
                                   const json& after) {
  if (c.field == "create") return rules.create(c.kind);
  if (c.field == "delete") return rules.remove(c.kind);
  std::vector<std::string> flags, values;
  for (const json* r : {&before, &after})
    if (r->is_object())
      for (const auto& [name, v] : r->items())
        if (v == true && std::find(flags.begin(), flags.end(), name) == flags.end()) flags.push_back(name);
  for (const json* v : {&c.before, &c.after})
    if (auto text = ownership::value_text(*v)) values.push_back(std::move(*text));
  return rules.field(c.kind, c.field, flags, values);
}

}  // namespace

Judgement judge(const load::Loaded& loaded, const Result& result, const std::optional<std::string>& email) {
  const auto& changes = result.changes;
  Judgement j;
  if (!email || email->empty()) {
    j.note = "ownership could not be checked: no git identity (set git config user.email, or GIT_AUTHOR_EMAIL)";
    return j;
  }
  const auto& people = loaded.index.people();
  const auto& config = loaded.plan.config;
  auto who = people.by_email(*email);
  if (!who) {
    j.note = fmt::format("ownership could not be checked: {} is not the email of anyone in people", *email);
    return j;
  }
  j.checked = true;
  const auto& roles = people.roles(*who);
  auto holds = [&](std::size_t p, std::string_view role) {
    const auto& r = people.roles(p);
    return std::find(r.begin(), r.end(), role) != r.end();
  };
  auto name = [&](std::size_t p) {
    const auto& person = config.people[p];
    return person.name.has() ? *person.name : person.id.has() ? *person.id : std::string("?");
  };
  // id → the record before/after, for conditions: whole where the edit knows it, else its changed fields.
  std::map<std::string, std::pair<json, json>> records = result.records;
  for (const auto& c : changes) {
    if (result.records.contains(c.id)) continue;
    auto& [b, a] = records[c.id];
    if (!b.is_object()) b = json::object(), a = json::object();
    if (!c.before.is_null()) b[c.field] = c.before;
    if (!c.after.is_null()) a[c.field] = c.after;
  }
  for (const auto& c : changes) {
    auto req = requirement(loaded.rules, c, records[c.id].first, records[c.id].second);
    auto has = [&](const std::string& role) { return std::find(roles.begin(), roles.end(), role) != roles.end(); };
    bool ok = req.all ? std::all_of(req.roles.begin(), req.roles.end(), has)
                      : std::any_of(req.roles.begin(), req.roles.end(), has);
    if (ok) continue;
    // Who can give the missing approval: holders of any of the roles, or of each missing role.
    std::vector<std::string> names;
    for (const auto& role : req.roles) {
      if (req.all && has(role)) continue;
      for (std::size_t p = 0; p < config.people.size(); ++p)
        if (p != *who && holds(p, role) && std::find(names.begin(), names.end(), name(p)) == names.end())
          names.push_back(name(p));
    }
    std::string from = names.empty() ? "someone who holds that role (nobody in people does)"
                                     : join(names, req.all ? " and " : " or ");
    std::string what = c.field == "create" ? "creating " + c.id : c.field == "delete" ? "deleting " + c.id : c.field;
    j.approvals.push_back(fmt::format("{} is owned by {}: this change needs an approval from {}", what,
                                      ownership::to_string(req), from));
  }
  return j;
}

}  // namespace tandem::editing
