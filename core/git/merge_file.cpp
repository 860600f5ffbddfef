#include "core/git/merge_file.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <functional>
#include <sstream>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/base/error.hpp"
#include "core/base/output.hpp"
#include "core/base/process.hpp"
#include "core/git/history.hpp"
#include "core/plan/edit.hpp"
#include "core/plan/schema.hpp"
#include "core/plan/yaml.hpp"

namespace tandem::merge_file {

namespace {

using nlohmann::json;

/// The driver cannot splice this merge: git's line merge takes it (the message says why).
struct Unsupported {
  std::string why;
};

/// The index in kinds::k_kinds of the first text's kind, by its top-level keys.
std::optional<std::size_t> kind_of(const std::vector<std::string_view>& texts) {
  for (std::string_view text : texts) {
    for (std::size_t b = 0; b < text.size();) {
      std::size_t e = text.find('\n', b);
      if (e == std::string_view::npos) e = text.size();
      std::string_view line = text.substr(b, e - b);
      if (b == 0 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
      b = e + 1;
      auto colon = line.find(':');
      if (line.empty() || line[0] == ' ' || line[0] == '#' || line[0] == '-' || colon == std::string_view::npos) continue;
      std::string_view key = line.substr(0, colon);
      for (std::size_t k = 0; k < std::size(kinds::k_kinds); ++k)
        if ((k < kinds::k_lists.size() && key == kinds::k_lists[k].list_key) ||
            (k == kinds::k_lists.size() && key == "version"))
          return k;
    }
  }
  return std::nullopt;
}

/// One version of the file: its text and tree (none when empty), and its records as history reads them.
struct Side {
  std::optional<edit::File> file;
  history::Version version;
  std::unordered_map<std::string_view, std::size_t> index;  ///< id → position in the list
  std::size_t k = 0;                                        ///< the kind's index in Version::kinds
  std::unordered_map<std::string, yaml::NodePtr> kept;      ///< read_records: the elements it was asked to keep
  history::Record top;  ///< a list file's top-level keys but its list (users' `x-` keys), as one record
  /// The record with `id`, or null.
  const history::Record* record(std::string_view id) const {
    auto hit = index.find(id);
    return hit == index.end() ? nullptr : version.kinds[k][hit->second].record.get();
  }
  /// The list element with `id`, or null.
  const yaml::Node* node(std::string_view id) const {
    auto hit = index.find(id);
    return hit == index.end() ? nullptr : file->list->items[hit->second];
  }
};

std::string canonical(const yaml::Node& node) {
  return schema::to_json(node).dump(-1, ' ', false, json::error_handler_t::replace);
}

/// tandem.yaml's top-level keys as one record, as history reads it, with the users' `x-` keys, which the
/// driver keeps (history ignores them). For a list file, its keys but the list (`skip`): users' `x-` keys.
history::Record config_record(const yaml::Node& root, std::string_view skip = {}) {
  std::vector<std::tuple<std::string, std::string, std::uint32_t, std::uint32_t>> fields;
  for (const auto& [k, v] : root.entries)
    if (k->text != skip) fields.emplace_back(k->text, canonical(*v), k->mark.line, k->mark.column);
  std::sort(fields.begin(), fields.end());
  history::Record r;
  for (auto& [name, value, line, column] : fields) {
    r.fields.emplace_back(std::move(name), std::move(value));
    r.lines.push_back(line);
    r.columns.push_back(column);
  }
  return r;
}

/// Records by the text of their list element (with their `x-` keys: the driver keeps users' extensions),
/// shared by the versions and the result: an element written
/// alike (without an alias, whose anchor may differ) reads alike, so it is read once, and the clean
/// merge of a record that no side changed is that same record (history::merge compares pointers first).
struct RecordCache {
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, history::RecordPtr, Hash, std::equal_to<>> by_text;

  history::RecordPtr get(std::string_view text, const yaml::Node& element) {
    if (element.begin >= element.end || element.end > text.size()) return history::record_of(element, true);
    std::string_view written = text.substr(element.begin, element.end - element.begin);
    if (written.find('*') != std::string_view::npos) return history::record_of(element, true);
    if (auto hit = by_text.find(written); hit != by_text.end()) return hit->second;
    auto r = history::record_of(element, true);
    by_text.emplace(std::string(written), r);
    return r;
  }
};

/// Indexes a side's records by id; a side with one id twice is left to git's line merge.
void index_records(Side& side, std::string_view label) {
  const auto& records = side.version.kinds[side.k];
  for (std::size_t i = 0; i < records.size(); ++i)
    if (!side.index.emplace(records[i].record->id, i).second)
      throw Unsupported{fmt::format("{}:{}:1: {} version: {} is there twice", records[i].file.str(), records[i].line, label,
                                    records[i].record->id)};
}

Side read_side(std::string_view text, std::size_t k, const std::string& path, std::string_view label,
               RecordCache& cache) {
  Side side;
  side.k = k;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return side;
  try {
    side.file.emplace(std::string(text), kinds::k_kinds[k], path);
  } catch (const edit::Unparsable& e) {
    throw Unsupported{fmt::format("{}: {} version does not parse: {}", e.where, label, e.problem)};
  } catch (const edit::Refused& e) {
    throw Unsupported{fmt::format("{} version: {}", label, e.what())};
  }
  const edit::File& f = *side.file;
  if (k == kinds::k_lists.size()) {
    side.version.has_config = true;
    side.version.config = config_record(*f.root);
    return side;
  }
  if (f.root && f.root->type == yaml::Type::mapping) side.top = config_record(*f.root, kinds::k_lists[k].list_key);
  if (!f.list) return side;
  if (f.list->style == yaml::Style::flow && !f.list->items.empty())
    throw Unsupported{fmt::format("{} version: the list is written in flow style ([...])", label)};
  auto& records = side.version.kinds[k];
  const history::FileName file(path);
  for (std::size_t i = 0; i < f.list->items.size(); ++i) {
    const yaml::Node& element = *f.list->items[i];
    auto r = cache.get(f.text, element);
    if (!r)
      throw Unsupported{fmt::format("{}:{}:{}: {} version: a record without an id", path, element.mark.line,
                                    element.mark.column, label)};
    records.push_back({r, file, element.mark.line});
  }
  index_records(side, label);
  return side;
}

/// The records of a list file's version without keeping its tree (the base, the result): each element
/// is read and let go, but those `keep` asks for, which stay in `kept` by id.
Side read_records(std::string_view text, std::size_t k, const std::string& path, std::string_view label,
                  RecordCache& cache, const std::function<bool(const history::Record*)>& keep = {}) {
  Side side;
  side.k = k;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return side;
  std::string_view list_key = kinds::k_lists[k].list_key;
  auto& records = side.version.kinds[k];
  const history::FileName file(path);
  std::string bad;
  auto on_element = [&](std::string_view key, std::size_t, const yaml::NodePtr& element) {
    if (key != list_key || !bad.empty()) return;
    auto r = cache.get(text, *element);
    if (!r) {
      bad = fmt::format("{}:{}:{}: {} version: a record without an id", path, element->mark.line,
                        element->mark.column, label);
      return;
    }
    if (keep && keep(r.get())) side.kept.emplace(r->id, element);
    records.push_back({std::move(r), file, element->mark.line});
  };
  Diagnostics diags;
  auto root = yaml::parse(text, path, diags, {}, on_element);
  if (!root || diags.has_errors()) {
    auto sorted = diags.sorted();
    if (sorted.empty()) throw Unsupported{fmt::format("{}: {} version is not a YAML mapping", path, label)};
    throw Unsupported{fmt::format("{}:{}:{}: {} version does not parse: {}", path, sorted.front().mark.line,
                                  sorted.front().mark.column, label, sorted.front().message)};
  }
  if (!bad.empty()) throw Unsupported{bad};
  if (root->type == yaml::Type::mapping) side.top = config_record(*root, list_key);
  index_records(side, label);
  return side;
}


/// A value as the editing machinery writes it: from their node, plain scalars as written.
edit::Value value_of(const yaml::Node& n) {
  edit::Value v;
  switch (n.type) {
    case yaml::Type::sequence:
      v.kind = edit::Value::Kind::list;
      for (const auto& e : n.items) v.items.push_back(value_of(*e));
      break;
    case yaml::Type::mapping:
      v.kind = edit::Value::Kind::map;
      for (const auto& [key, e] : n.entries) v.entries.push_back({std::string(key->text), value_of(*e)});
      break;
    case yaml::Type::string:
      v.kind = n.style == yaml::Style::plain ? edit::Value::Kind::scalar : edit::Value::Kind::string;
      v.text = n.text;
      break;
    default:
      v.kind = edit::Value::Kind::scalar;
      v.text = n.text.empty() ? "null" : n.text;
  }
  return v;
}

/// A value from canonical JSON (where no side wrote it so: an element-wise merged list).
edit::Value value_of(const json& j) {
  edit::Value v;
  if (j.is_string()) {
    v.text = j.get<std::string>();
  } else if (j.is_array()) {
    v.kind = edit::Value::Kind::list;
    for (const auto& e : j) v.items.push_back(value_of(e));
  } else if (j.is_object()) {
    v.kind = edit::Value::Kind::map;
    for (const auto& [key, e] : j.items()) v.entries.push_back({key, value_of(e)});
  } else {
    v.kind = edit::Value::Kind::scalar;
    v.text = j.dump();
  }
  return v;
}

using Value = std::optional<std::string>;

Value field(const history::Record* r, std::string_view name) {
  if (r)
    for (const auto& [f, v] : r->fields)
      if (f == name) return v;
  return std::nullopt;
}

/// The explicit entry of `record` (not from a merge key) with key `name`, or null.
const yaml::Entry* entry(const yaml::Node* record, std::string_view name) {
  if (!record) return nullptr;
  for (std::size_t i = 0; i + record->merged < record->entries.size(); ++i)
    if (record->entries[i].first->text == name) return &record->entries[i];
  return nullptr;
}

/// The edits that give our record `o` the merged record's values (`t` is their node, which holds the
/// values they changed); the names of fields in conflict go to `conflicts`.
std::vector<edit::FieldEdit> field_edits(const history::Record& o, const history::Record& merged, const yaml::Node* t,
                                         std::size_t k, std::vector<std::string>& conflicts) {
  std::vector<std::string> names;
  for (const auto* r : {&o, &merged})
    for (const auto& [name, v] : r->fields) names.push_back(name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<edit::FieldEdit> out;
  for (const auto& name : names) {
    Value ov = field(&o, name), mv = field(&merged, name);
    if (mv == history::k_conflict) {
      conflicts.push_back(name);
    } else if (ov == mv) {
      continue;
    } else if (!mv) {
      out.push_back({name, edit::FieldEdit::Op::remove, {}});
    } else if (const auto* te = entry(t, name); te && canonical(*te->second) == *mv) {
      out.push_back({name, edit::FieldEdit::Op::set, value_of(*te->second)});
    } else if (json was = ov ? json::parse(*ov, nullptr, false) : json(), now = json::parse(*mv);
               history::is_list_field(k, name) && was.is_array() && now.is_array()) {
      for (const auto& e : was)
        if (std::find(now.begin(), now.end(), e) == now.end())
          out.push_back({name, edit::FieldEdit::Op::subtract, value_of(e)});
      for (const auto& e : now)
        if (std::find(was.begin(), was.end(), e) == was.end())
          out.push_back({name, edit::FieldEdit::Op::add, value_of(e)});
    } else {
      out.push_back({name, edit::FieldEdit::Op::set, value_of(now)});
    }
  }
  // Keys ours lacks go after our last key in the order their side wrote them (as `tandem set` adds them).
  auto rank = [&](const edit::FieldEdit& e) -> std::size_t {
    if (field(&o, e.field) || !t) return 0;
    for (std::size_t i = 0; i < t->entries.size(); ++i)
      if (t->entries[i].first->text == e.field) return i + 1;
    return t->entries.size() + 1;
  };
  std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  return out;
}

/// What stands at one place of the merged list.
struct Entry {
  enum class What { ours, theirs, both_added, deleted_by_theirs, deleted_by_ours };
  What what;
  std::string_view id;
  const history::Record* merged = nullptr;  ///< the clean merge's record (null for a deleted one)
};

/// The records of the result in order: the clean merge's, and the records one side changed and the
/// other deleted, each after the record before it on its side.
std::vector<Entry> entries(const Side& b, const Side& o, const Side& t, const std::vector<history::Placed>& merged) {
  std::vector<Entry> out;
  for (const auto& p : merged) {
    std::string_view id = p.record->id;
    const auto *ro = o.record(id), *rt = t.record(id);
    Entry::What what = ro ? Entry::What::ours : Entry::What::theirs;
    if (ro && rt && !b.record(id) && ro->fields != rt->fields) what = Entry::What::both_added;
    out.push_back({what, id, p.record.get()});
  }
  auto place = [&](const Side& side, std::size_t i, Entry::What what) {
    const auto& list = side.version.kinds[side.k];
    std::size_t at = 0;
    for (std::size_t j = i; j-- > 0 && at == 0;)
      for (std::size_t e = 0; e < out.size(); ++e)
        if (out[e].id == list[j].record->id) at = e + 1;
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(at), {what, list[i].record->id, nullptr});
  };
  for (const auto& p : b.version.kinds[b.k]) {
    std::string_view id = p.record->id;
    const auto *ro = o.record(id), *rt = t.record(id);
    if (ro && !rt && ro->fields != p.record->fields) place(o, o.index.at(id), Entry::What::deleted_by_theirs);
    if (!ro && rt && rt->fields != p.record->fields) place(t, t.index.at(id), Entry::What::deleted_by_ours);
  }
  return out;
}

/// The merged text being written, and the conflicts found on the way (offsets into it).
struct Writer {
  const Side &base, &ours, &theirs;
  const std::string& path;
  std::string lt, eq, gt;  ///< the marker lines, ended
  std::string text;
  std::vector<std::pair<std::size_t, std::string>> conflicts;
  RecordCache& cache;
  /// The records written anew (not our text as it was): where in `text`, and what they must read as.
  std::vector<std::tuple<std::size_t, std::size_t, const history::Record*>> written{};
  std::vector<std::size_t> record_starts{};  ///< where each record's text starts in `text`, in order
  /// Our last record as it was, when our file ends without a line break: where in `text`, and its record.
  std::optional<std::tuple<std::size_t, std::size_t, const history::Record*>> unended{};

  std::string_view eol() const { return ours.file->eol(); }
  /// Ends the text with a line break when it has text.
  void end_line() {
    if (!text.empty() && text.back() != '\n') text += eol();
  }
  /// `ours` and `theirs` (whole lines) between conflict markers.
  std::string markers(std::string_view a, std::string_view b) const {
    std::string out = lt + std::string(a);
    if (!a.empty() && a.back() != '\n') out += eol();
    out += eq + std::string(b);
    if (!b.empty() && b.back() != '\n') out += eol();
    return out + gt;
  }
};

/// Bytes [begin, end) of a record's chunk in a side: from its span to the next record's span.
std::pair<std::size_t, std::size_t> chunk(const Side& s, std::size_t i) {
  auto [begin, end] = edit::record_span(*s.file, i);
  if (i + 1 < s.file->list->items.size()) end = edit::record_span(*s.file, i + 1).first;
  return {begin, end};
}

/// Lines of their text as our file writes lines: indented from `from` to `to` columns, each line break
/// ours ("\r\n" or "\n"), so that the result never mixes line endings.
std::string as_ours(const Writer& w, std::string_view chunk, std::size_t from, std::size_t to) {
  std::string lines = edit::reindent(chunk, from, to), out;
  std::string_view eol = w.eol();
  out.reserve(lines.size());
  for (std::size_t b = 0; b < lines.size();) {
    auto nl = lines.find('\n', b);
    if (nl == std::string::npos) {
      out.append(lines, b);
      break;
    }
    out.append(lines, b, nl - b - (nl > b && lines[nl - 1] == '\r' ? 1 : 0));
    out += eol;
    b = nl + 1;
  }
  return out;
}

/// Their record `i` (its span), indented as our records are.
std::string theirs_span(const Writer& w, std::size_t i) {
  auto [begin, end] = edit::record_span(*w.theirs.file, i);
  std::string_view text = w.theirs.file->text;
  return as_ours(w, text.substr(begin, end - begin), w.theirs.file->indent(), w.ours.file->indent());
}

std::string shown(const Value& v) { return v ? history::display(v) : "(absent)"; }

/// The column (0-based) of a node's first character in its text.
std::size_t column(std::string_view text, std::size_t pos) { return pos - edit::line_start(text, pos); }

/// A field in conflict: its line(s) on each side between markers, in place of ours (at the record's
/// end when ours has none).
edit::Splice field_conflict(const Writer& w, const yaml::Node& o_node, const yaml::Node* t_node, const std::string& name) {
  std::string_view ot = w.ours.file->text, tt = w.theirs.file->text;
  const auto* oe = entry(&o_node, name);
  const auto* te = entry(t_node, name);
  std::size_t begin = edit::line_end(ot, o_node.end), end = begin;
  std::string mine, theirs;
  if (oe) {
    begin = edit::line_start(ot, oe->first->begin);
    end = edit::line_end(ot, std::max(oe->first->end, oe->second->end));
    mine = std::string(ot.substr(begin, end - begin));
  }
  if (te) {
    std::size_t tb = edit::line_start(tt, te->first->begin);
    std::size_t to = o_node.entries.empty() ? 0 : column(ot, (oe ? oe->first : o_node.entries[0].first)->begin);
    theirs = as_ours(w, tt.substr(tb, edit::line_end(tt, std::max(te->first->end, te->second->end)) - tb),
                     column(tt, te->first->begin), to);
  }
  return {begin, end, w.markers(mine, theirs)};
}

/// Writes our record `i` made into `merged` (fields spliced, conflicts between markers).
void write_ours(Writer& w, std::size_t i, const history::Record& merged, std::size_t k) {
  const edit::File& of = *w.ours.file;
  const yaml::Node& o_node = *of.list->items[i];
  const history::Record& o = *w.ours.version.kinds[k][i].record;
  const yaml::Node* t_node = w.theirs.node(o.id);
  auto [begin, end] = chunk(w.ours, i);
  if (&o == &merged || o.fields == merged.fields) {  // most records: ours as it is
    w.end_line();
    if (end == of.text.size() && !of.text.ends_with('\n')) w.unended.emplace(w.text.size(), w.text.size() + end - begin, &merged);
    w.text.append(of.text, begin, end - begin);
    return;
  }
  std::vector<std::string> conflicts;
  auto edits = field_edits(o, merged, t_node, k, conflicts);
  std::vector<edit::Splice> splices;
  try {
    splices = edit::edit_record(of, o_node, edits);
  } catch (const edit::Refused& e) {
    throw Unsupported{fmt::format("{}:{}:{}: {}: {}", w.path, o_node.mark.line, o_node.mark.column, o.id, e.what())};
  }
  std::vector<std::pair<std::size_t, std::string>> found;
  const auto* bn = w.base.record(o.id);
  for (const auto& name : conflicts) {
    splices.push_back(field_conflict(w, o_node, t_node, name));
    found.emplace_back(splices.back().begin,
                       fmt::format("{}: {} is {} on our side and {} on theirs (it was {}): keep one between the markers",
                                   o.id, name, shown(field(&o, name)), shown(field(w.theirs.record(o.id), name)),
                                   shown(field(bn, name))));
  }
  for (auto& s : splices) {
    if (s.begin < begin || s.end > end)
      throw Unsupported{fmt::format("{}:{}:{}: {}: an edit outside the record", w.path, o_node.mark.line,
                                    o_node.mark.column, o.id)};
    s.begin -= begin;
    s.end -= begin;
  }
  std::string text = edit::apply(std::string_view(of.text).substr(begin, end - begin), splices);
  w.end_line();
  if (found.empty()) w.written.emplace_back(w.text.size(), w.text.size() + text.size(), &merged);
  // Each conflict at its markers, in order.
  std::sort(found.begin(), found.end());
  std::size_t from = 0;
  for (auto& [offset, message] : found) {
    std::size_t at = text.find(w.lt, from);
    while (at != std::string::npos && at > 0 && text[at - 1] != '\n') at = text.find(w.lt, at + 1);
    from = at == std::string::npos ? text.size() : at + 1;
    w.conflicts.emplace_back(w.text.size() + std::min(at, text.size()), std::move(message));
  }
  w.text += text;
}

/// Writes a whole record in conflict: our span and theirs (either may be empty), then our chunk's tail.
void write_record_conflict(Writer& w, const Entry& e) {
  std::string mine, theirs, tail;
  if (auto hit = w.ours.index.find(e.id); hit != w.ours.index.end()) {
    auto [begin, end] = edit::record_span(*w.ours.file, hit->second);
    auto [cb, ce] = chunk(w.ours, hit->second);
    mine = w.ours.file->text.substr(begin, end - begin);
    tail = w.ours.file->text.substr(end, ce - end);
  }
  if (auto hit = w.theirs.index.find(e.id); hit != w.theirs.index.end()) theirs = theirs_span(w, hit->second);
  std::string why;
  if (e.what == Entry::What::both_added)
    why = fmt::format("{} was added on both sides with different content: keep both records (delete the marker "
                      "lines), then give one a new id with `tandem renumber {} NEW`",
                      e.id, e.id);
  else if (e.what == Entry::What::ours)  // a record on one line (flow style) with a field in conflict
    why = fmt::format("{} was changed differently on both sides (it is written on one line): keep one between the "
                      "markers",
                      e.id);
  else if (e.what == Entry::What::deleted_by_theirs)
    why = fmt::format("{} was changed on our side and deleted on theirs: keep our record or delete it", e.id);
  else
    why = fmt::format("{} was deleted on our side and changed on theirs: keep their record or delete it", e.id);
  w.end_line();
  w.conflicts.emplace_back(w.text.size(), std::move(why));
  w.text += w.markers(mine, theirs) + tail;
}

/// Writes their record `i` (its chunk, indented as ours), which ours lacks. A record that does not
/// read on its own (an alias to an anchor elsewhere in their file) is written out by value instead.
void write_theirs(Writer& w, std::size_t i, const history::Record& merged) {
  auto [begin, end] = chunk(w.theirs, i);
  std::string_view text = std::string_view(w.theirs.file->text).substr(begin, end - begin);
  w.end_line();
  std::size_t at = w.text.size();
  struct Mark {  // the record's piece, however it is written
    Writer& w;
    std::size_t at;
    const history::Record& merged;
    ~Mark() { w.written.emplace_back(at, w.text.size(), &merged); }
  } mark{w, at, merged};
  if (text.find('*') != std::string_view::npos) {
    Diagnostics diags;
    auto alone = yaml::parse(text, w.path, diags);
    if (!alone || diags.has_errors()) {
      std::vector<std::pair<std::string, edit::Value>> fields;
      for (const auto& [key, value] : w.theirs.file->list->items[i]->entries)
        if (key->text != "<<") fields.emplace_back(key->text, value_of(*value));
      w.text += edit::emit_record(fields, w.ours.file->indent(), w.eol());
      return;
    }
  }
  w.text += as_ours(w, text, w.theirs.file->indent(), w.ours.file->indent());
}


/// The result's records read back: they must be the expected ones, in order (else the splice went
/// wrong, and git's line merge takes over rather than a wrong merge being written).
Side read_back(const Writer& w, std::size_t k, const std::vector<const history::Record*>& expected) {
  const Side& o = w.ours;
  Side r = read_records(w.text, k, w.path, "merged", w.cache, [&](const history::Record* rec) {
    const history::Record* mine = o.record(rec->id);
    return mine != rec && (!mine || mine->fields != rec->fields);
  });
  const auto& got = r.version.kinds[k];
  bool same = got.size() == expected.size();
  for (std::size_t i = 0; same && i < got.size(); ++i)
    same = got[i].record.get() == expected[i] ||
           (got[i].record->id == expected[i]->id && got[i].record->fields == expected[i]->fields);
  if (!same) throw Unsupported{"the spliced records do not read back as the merge"};
  return r;
}

/// The result read back where the driver wrote it anew: each such record, read alone, must be the
/// clean merge's (everything else is our text as it was). A record with an alias, which may name an
/// anchor elsewhere, makes it read the whole result instead (`read_back`).
Side read_back_written(const Writer& w, std::size_t k, const std::vector<const history::Record*>& expected,
                       const std::vector<history::Placed>& merged) {
  std::string_view text = w.text;
  for (const auto& [begin, end, rec] : w.written)
    if (text.substr(begin, end - begin).find('*') != std::string_view::npos) return read_back(w, k, expected);
  Side r;
  r.k = k;
  std::string key = std::string(kinds::k_lists[k].list_key) + ":\n";
  for (const auto& [begin, end, rec] : w.written) {
    Diagnostics diags;
    auto root = yaml::parse(key + std::string(text.substr(begin, end - begin)), w.path, diags);
    const yaml::Node* list = root && !diags.has_errors() ? root->get(kinds::k_lists[k].list_key) : nullptr;
    auto got = list && list->items.size() == 1 ? history::record_of(*list->items[0], true) : nullptr;
    if (!got || got->id != rec->id || got->fields != rec->fields)
      throw Unsupported{fmt::format("the spliced record {} does not read back as the merge", rec->id)};
    r.kept.emplace(rec->id, yaml::NodePtr(root, list->items[0]));
  }
  std::size_t line = 1, pos = 0;
  const history::FileName file(w.path);
  for (std::size_t i = 0; i < merged.size() && i < w.record_starts.size(); ++i) {
    std::size_t at = w.record_starts[i];
    while (at < text.size()) {  // past the comment and blank lines above the record
      std::size_t eol = text.find('\n', at);
      std::string_view l = text.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at);
      auto first = l.find_first_not_of(" \t\r");
      if (eol == std::string_view::npos || (first != std::string_view::npos && l[first] != '#')) break;
      at = eol + 1;
    }
    line += static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(pos),
                                                text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    pos = at;
    r.version.kinds[k].push_back({merged[i].record, file, static_cast<std::uint32_t>(line)});
  }
  index_records(r, "merged");
  return r;
}

/// References in the merged records to records that a side deleted: warnings, for `check`.
void check_references(const Side& r, const Side& o, const Side& t, const std::string& path, Outcome& out) {
  std::unordered_set<std::string_view> deleted;
  for (const Side* s : {&o, &t})
    for (const auto& [id, i] : s->index)
      if (!r.index.count(id)) deleted.insert(id);
  if (deleted.empty()) return;
  const auto& records = r.version.kinds[r.k];
  for (const auto& placed : records) {
    const history::Record& rec = *placed.record;
    for (std::size_t f = 0; f < rec.fields.size(); ++f) {
      if (!history::is_list_field(r.k, rec.fields[f].first)) continue;
      auto list = json::parse(rec.fields[f].second, nullptr, false);
      if (!list.is_array()) continue;
      for (const auto& e : list)
        if (e.is_string() && deleted.count(e.get<std::string>()))
          out.warnings.push_back(fmt::format("{}:{}:{}: warning: {}'s {} names {}, which the other side deleted "
                                             "(run `tandem check` on the result)",
                                             path, placed.line + rec.lines[f], rec.columns[f], rec.id,
                                             rec.fields[f].first, e.get<std::string>()));
    }
  }
}

/// The merged records that differ from ours, checked against the kind's schema (errors), and the
/// references to deleted records (warnings).
void check(const Side& r, const Side& o, const Side& t, const std::string& path, Outcome& out) {
  const auto& kind = kinds::k_lists[r.k];
  const auto& records = r.version.kinds[r.k];
  for (std::size_t i = 0; i < records.size(); ++i) {
    const history::Record& rec = *records[i].record;
    auto kept = r.kept.find(rec.id);
    if (kept == r.kept.end()) continue;  // as ours has it
    const yaml::Node& node = *kept->second;
    for (const auto& v : schema::Validator::instance().validate_element(kind.schema, schema::to_json(node))) {
      const yaml::Node& at = schema::node_at(node, v.path);
      out.conflicts.push_back(fmt::format("{}:{}:{}: error: the merged {} does not fit the schema: {}", path,
                                          at.mark.line, at.mark.column, rec.id, v.message));
    }
  }
  check_references(r, o, t, path, out);
}

/// The conflicts' messages with their lines in the result, in file order.
void place_conflicts(Writer& w, Outcome& out) {
  std::sort(w.conflicts.begin(), w.conflicts.end());
  std::size_t line = 1, pos = 0;
  for (const auto& [offset, message] : w.conflicts) {
    line += static_cast<std::size_t>(std::count(w.text.begin() + static_cast<std::ptrdiff_t>(pos),
                                                w.text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    pos = offset;
    out.conflicts.push_back(fmt::format("{}:{}:1: conflict: {}", w.path, line, message));
  }
}

/// A list file's top-level keys but its list (users' `x-` keys), merged: their changes spliced into our
/// lines before and after the list, which `w.text` holds as they were. A key changed differently on both
/// sides, or a splice that would reach into the list, leaves the file to git's line merge.
void merge_top(Writer& w, std::size_t k, std::size_t first, std::size_t last) {
  const Side &b = w.base, &o = w.ours, &t = w.theirs;
  auto as_version = [](const history::Record& r) {
    history::Version v;
    v.has_config = true;
    v.config = r;
    return v;
  };
  history::Version bv = as_version(b.top), ov = as_version(o.top), tv = as_version(t.top);
  history::Record merged = history::merge(bv, {&ov, &tv}).config;
  if (merged.fields == o.top.fields) return;
  std::vector<std::string> conflicts;
  auto edits = field_edits(o.top, merged, t.file->root.get(), k, conflicts);
  if (!conflicts.empty()) throw Unsupported{fmt::format("{}: {} is set differently on both sides", w.path, conflicts[0])};
  std::vector<edit::Splice> splices;
  try {
    splices = edit::edit_record(*o.file, *o.file->root, edits);
  } catch (const edit::Refused& e) {
    throw Unsupported{fmt::format("{}: {}", w.path, e.what())};
  }
  auto to_result = static_cast<std::ptrdiff_t>(w.text.size()) - static_cast<std::ptrdiff_t>(o.file->text.size());
  std::ptrdiff_t shift = 0;  // of the records' text, by the splices before the list
  for (auto& sp : splices) {
    if (sp.end <= first) {
      shift += static_cast<std::ptrdiff_t>(sp.text.size()) - static_cast<std::ptrdiff_t>(sp.end - sp.begin);
    } else if (sp.begin >= last) {
      sp.begin = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(sp.begin) + to_result);
      sp.end = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(sp.end) + to_result);
    } else {
      throw Unsupported{fmt::format("{}: a top-level key to merge stands among the records", w.path)};
    }
  }
  w.text = edit::apply(w.text, splices);
  auto moved = [&](std::size_t at) { return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(at) + shift); };
  for (auto& c : w.conflicts) c.first = moved(c.first);
  for (auto& [begin, end, record] : w.written) begin = moved(begin), end = moved(end);
  for (auto& at : w.record_starts) at = moved(at);
  if (!w.conflicts.empty()) return;  // markers: the text does not parse until the user resolves them
  Diagnostics diags;
  auto root = yaml::parse(w.text, w.path, diags);
  if (!root || diags.has_errors() || root->type != yaml::Type::mapping ||
      config_record(*root, kinds::k_lists[k].list_key).fields != merged.fields)
    throw Unsupported{fmt::format("{}: the spliced top-level keys do not read back as the merge", w.path)};
}

/// Our file ends without a line break: so does the result (a record appended after our last one ends its
/// line, the file's last line does not), unless the last record would read differently without it (a
/// block scalar keeps its final line break) or ends in a conflict marker.
void keep_no_final_break(Writer& w, std::size_t k) {
  std::string_view text = w.text, eol = w.eol();
  if (!text.ends_with(eol) || text.ends_with(w.gt) || w.record_starts.empty()) return;
  std::string key = std::string(kinds::k_lists[k].list_key) + ":" + std::string(eol);
  std::string_view last = text.substr(w.record_starts.back());
  auto read = [&](std::string_view record) -> history::RecordPtr {
    Diagnostics diags;
    auto root = yaml::parse(key + std::string(record), w.path, diags);
    const yaml::Node* list = root && !diags.has_errors() ? root->get(kinds::k_lists[k].list_key) : nullptr;
    return list && list->items.size() == 1 ? history::record_of(*list->items[0], true) : nullptr;
  };
  auto with = read(last), without = read(last.substr(0, last.size() - eol.size()));
  if (!with || !without || with->id != without->id || with->fields != without->fields) return;
  w.text.resize(w.text.size() - eol.size());
  for (auto& [begin, end, record] : w.written) end = std::min(end, w.text.size());
}

Outcome merge_list(Writer& w, std::size_t k) {
  const Side &b = w.base, &o = w.ours, &t = w.theirs;
  std::vector<std::size_t> order_conflicts;
  history::Version merged = history::merge(b.version, {&o.version, &t.version}, &order_conflicts);
  if (!order_conflicts.empty())
    throw Unsupported{fmt::format("{}: both sides reordered the records, and no order keeps both sides' moves", w.path)};
  auto seq = entries(b, o, t, merged.kinds[k]);
  bool ours_empty = !o.file->list || o.file->list->items.empty();
  if (ours_empty && !seq.empty()) throw Unsupported{"our version has no records to place theirs among"};
  std::string_view ot = o.file->text;
  std::size_t n = ours_empty ? 0 : o.file->list->items.size();
  if (n == 0 && (b.top.fields != o.top.fields || b.top.fields != t.top.fields))
    throw Unsupported{"no records, and top-level keys changed"};
  if (n == 0) return {Status::clean, std::string(ot), {}, {}};
  std::size_t first = edit::record_span(*o.file, 0).first, last = edit::record_span(*o.file, n - 1).second;
  w.text = std::string(ot.substr(0, first));
  std::vector<const history::Record*> expected;
  for (const Entry& e : seq) {
    bool flow_conflict = false;
    if (e.what == Entry::What::ours) {
      const auto& node = *o.file->list->items[o.index.at(e.id)];
      flow_conflict = node.style == yaml::Style::flow &&
                      std::any_of(e.merged->fields.begin(), e.merged->fields.end(),
                                  [](const auto& f) { return f.second == history::k_conflict; });
    }
    w.end_line();
    if (e.merged) w.record_starts.push_back(w.text.size());
    if (e.what == Entry::What::ours && !flow_conflict) write_ours(w, o.index.at(e.id), *e.merged, k);
    else if (e.what == Entry::What::theirs) write_theirs(w, t.index.at(e.id), *e.merged);
    else write_record_conflict(w, e);
    if (e.merged) expected.push_back(e.merged);
  }
  w.end_line();
  if (w.unended && std::string_view(w.text).substr(std::get<1>(*w.unended)).starts_with(w.eol())) {
    // Our last record, its line now ended: read back like a record written anew (a block text would
    // gain a line break it did not have).
    auto [begin, end, record] = *w.unended;
    w.written.emplace_back(begin, end + w.eol().size(), record);
  }
  w.text += ot.substr(last);
  if (!ot.empty() && ot.back() != '\n') keep_no_final_break(w, k);
  merge_top(w, k, first, last);
  Outcome out;
  place_conflicts(w, out);
  if (out.conflicts.empty()) check(read_back_written(w, k, expected, merged.kinds[k]), o, t, w.path, out);
  out.status = out.conflicts.empty() ? Status::clean : Status::conflict;
  out.text = std::move(w.text);
  return out;
}

/// tandem.yaml: its top-level keys merge as the fields of one record.
Outcome merge_config(Writer& w, std::size_t k) {
  const Side &b = w.base, &o = w.ours, &t = w.theirs;
  history::Version merged = history::merge(b.version, {&o.version, &t.version});
  const yaml::Node& root = *o.file->root;
  std::vector<std::string> conflicts;
  auto edits = field_edits(o.version.config, merged.config, t.file->root.get(), k, conflicts);
  std::vector<edit::Splice> splices;
  try {
    splices = edit::edit_record(*o.file, root, edits);
  } catch (const edit::Refused& e) {
    throw Unsupported{fmt::format("{}: {}", w.path, e.what())};
  }
  for (const auto& name : conflicts) {
    splices.push_back(field_conflict(w, root, t.file->root.get(), name));
    w.conflicts.emplace_back(splices.back().begin,
                             fmt::format("{} is set differently on both sides: keep one between the markers", name));
  }
  w.text = edit::apply(o.file->text, splices);
  Outcome out;
  if (!conflicts.empty()) {
    // Offsets were into our text: find each conflict's markers in the result instead (in the same order).
    std::sort(w.conflicts.begin(), w.conflicts.end());
    std::size_t from = 0;
    for (auto& c : w.conflicts) {
      std::size_t at = w.text.find(w.lt, from);
      c.first = at == std::string::npos ? w.text.size() : at;
      from = c.first + 1;
    }
  }
  place_conflicts(w, out);
  if (out.conflicts.empty()) {
    Side r = read_side(w.text, k, w.path, "merged", w.cache);
    if (r.version.config.fields != merged.config.fields)
      throw Unsupported{"the spliced tandem.yaml does not read back as the merge"};
  }
  out.status = out.conflicts.empty() ? Status::clean : Status::conflict;
  out.text = std::move(w.text);
  return out;
}

}  // namespace

Outcome merge(std::string_view base, std::string_view ours, std::string_view theirs, const std::string& path,
              int marker_size) {
  Outcome out;
  auto k = kind_of({ours, theirs, base});
  if (!k) {
    out.status = Status::unparsable;
    out.warnings.push_back(fmt::format("{}: not a plan file (no top-level items, milestones, risks or version)", path));
    return out;
  }
  try {
    RecordCache cache;
    Side b = *k == kinds::k_lists.size() ? read_side(base, *k, path, "the base", cache)
                                         : read_records(base, *k, path, "the base", cache);
    Side o = read_side(ours, *k, path, "our", cache);
    Side t = read_side(theirs, *k, path, "their", cache);
    if (!o.file || !t.file) throw Unsupported{fmt::format("{}: {} version is empty", path, o.file ? "their" : "our")};
    std::size_t size = static_cast<std::size_t>(std::max(marker_size, 1));
    std::string eol(o.file->eol());
    Writer w{b, o, t, path, std::string(size, '<') + " ours" + eol, std::string(size, '=') + eol,
             std::string(size, '>') + " theirs" + eol, {}, {}, cache};
    return *k == kinds::k_lists.size() ? merge_config(w, *k) : merge_list(w, *k);
  } catch (const Unsupported& u) {
    out.status = Status::unparsable;
    out.warnings.push_back(u.why);
  } catch (const std::runtime_error& e) {  // edit::Refused: the splice cannot be written; git merges the lines
    out = Outcome{};
    out.status = Status::unparsable;
    out.warnings.push_back(fmt::format("{}: the driver cannot write this merge: {}", path, e.what()));
  }
  return out;
}

int line_merge(const std::string& base_path, const std::string& ours_path, const std::string& theirs_path,
               const std::string& path, int marker_size) {
  process::Call call{{"git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs",
                      fmt::format("--marker-size={}", std::max(marker_size, 1)), ours_path, base_path, theirs_path},
                     {}, std::chrono::seconds(60), {}, "git"};
  auto done = process::run(call);
  if (done.exit_code < 0 || done.exit_code > 127)
    throw Error(fmt::format("git merge-file could not merge {}: {}", path, done.timed_out ? "timed out" : done.err));
  return done.exit_code;
}

Installed install(const git::Repository& repo, const std::vector<std::string>& patterns, const std::string& command,
                  bool global) {
  Installed out;
  std::string root = repo.workdir();
  if (root.empty()) throw Error("the repository has no work tree: there is no .gitattributes to write");
  out.attributes = root + ".gitattributes";
  std::string text;
  if (std::ifstream in(out.attributes, std::ios::binary); in) {
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  std::string attribute = fmt::format("merge={}", k_driver);
  auto has = [&](const std::string& pattern) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream words(line);
      std::string first, word;
      words >> first;
      if (first != pattern) continue;
      while (words >> word)
        if (word == attribute) return true;
    }
    return false;
  };
  for (const auto& p : patterns) {
    std::string pattern = "/" + p;
    if (has(pattern) || std::find(out.lines.begin(), out.lines.end(), pattern + " " + attribute) != out.lines.end())
      continue;
    out.lines.push_back(pattern + " " + attribute);
  }
  if (!out.lines.empty()) {
    if (!text.empty() && text.back() != '\n') text += '\n';
    for (const auto& l : out.lines) text += l + "\n";
    write_file_atomically(out.attributes, text);
  }
  std::pair<std::string, std::string> settings[] = {
      {fmt::format("merge.{}.name", k_driver), "tandem: merges plan files record by record"},
      {fmt::format("merge.{}.driver", k_driver), command}};
  for (const auto& [name, value] : settings) {
    if (repo.config(name, global) == value) continue;
    repo.set_config(name, value, global);
    out.settings.push_back(name + " = " + value);
  }
  return out;
}

}  // namespace tandem::merge_file
