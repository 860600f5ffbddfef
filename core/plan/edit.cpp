#include "core/plan/edit.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <fmt/format.h>

#include "core/base/date.hpp"
#include "core/base/text.hpp"
#include "core/plan/decode.hpp"

namespace tandem::edit {

using nlohmann::json;

namespace {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string spaces(std::string_view text, std::size_t pos) { return std::string(pos - line_start(text, pos), ' '); }

bool only_spaces(std::string_view s) { return s.find_first_not_of(' ') == std::string_view::npos; }

/// A scalar value of a number field, checked against its range.
Value number(const kinds::FieldInfo& f, std::string_view text) {
  std::string t = trim(text);
  auto type = yaml::plain_type(t);
  bool integer = f.type == kinds::Type::integer;
  bool ok = integer ? type == yaml::Type::integer : (type == yaml::Type::integer || type == yaml::Type::real);
  double v = ok ? std::strtod(t.c_str(), nullptr) : 0;
  if (!ok || !std::isfinite(v))
    throw Refused(fmt::format("{} must be {}, not '{}'", f.name, integer ? "a whole number" : "a number", text));
  bool low = f.exclusive ? v <= f.min : v < f.min;
  if (low || v > f.max) {
    std::string range = std::isfinite(f.max) ? fmt::format("between {} and {}", f.min, f.max)
                                             : fmt::format("{} {}", f.exclusive ? "greater than" : "at least", f.min);
    throw Refused(fmt::format("{} must be {}, not {}", f.name, range, t));
  }
  return {Value::Kind::scalar, t, {}, {}};
}

Value string(std::string_view s) { return {Value::Kind::string, std::string(s), {}, {}}; }

/// An element of a list field.
Value element(const kinds::FieldInfo& f, std::string_view text) {
  std::string t = trim(text);
  if (f.type == kinds::Type::id_list && !decode::is_valid_id(t))
    throw Refused(fmt::format("'{}' is not a valid id (a letter, then letters, digits, '_', '.', '-')", t));
  if (f.type == kinds::Type::delay) {
    kinds::FieldInfo days{.name = "delay", .type = kinds::Type::integer, .min = 0};
    return number(days, t);
  }
  if (t.empty()) throw Refused(fmt::format("{} takes no empty element", f.name));
  return string(t);
}

/// The YAML flow text `text` parsed (for lists and `rice` given as `[a, b]` or `{k: v}`).
yaml::NodePtr parse_flow(const kinds::FieldInfo& f, std::string_view text) {
  Diagnostics diags;
  auto node = yaml::parse(text, "argument", diags);
  if (!node || diags.has_errors())
    throw Refused(fmt::format("{}: '{}' is not a YAML flow value{}", f.name, text,
                              diags.size() ? ": " + diags.sorted().front().message : ""));
  return node;
}

void put(YAML::Emitter& out, const Value& v) {
  switch (v.kind) {
    case Value::Kind::scalar:
      if (v.text == "true" || v.text == "false") out << YAML::TrueFalseBool << (v.text == "true");
      else out << v.text;  // a number or a date, checked by parse_value: plain
      break;
    case Value::Kind::string:
      if (plain_is_string(v.text)) out << v.text;
      else out << YAML::DoubleQuoted << v.text;
      break;
    case Value::Kind::list:
      out << YAML::Flow << YAML::BeginSeq;
      for (const auto& e : v.items) put(out, e);
      out << YAML::EndSeq;
      break;
    case Value::Kind::map:
      out << (v.block ? YAML::Block : YAML::Flow) << YAML::BeginMap;
      for (const auto& [k, e] : v.entries) {
        out << YAML::Key;
        put(out, Value{Value::Kind::string, k, {}, {}});
        out << YAML::Value;
        put(out, e);
      }
      out << YAML::EndMap;
      break;
  }
}

/// The explicit entry (not from a merge key) of `record` with key `field`, or nullptr.
const yaml::Entry* entry(const yaml::Node& record, std::string_view field,
                                                       std::size_t* index = nullptr) {
  std::size_t n = record.entries.size() - record.merged;
  for (std::size_t i = 0; i < n; ++i)
    if (record.entries[i].first->text == field) {
      if (index) *index = i;
      return &record.entries[i];
    }
  return nullptr;
}

/// Where a node's text ends (at least after its key, for an empty value).
std::size_t end_of(const yaml::Node& key, const yaml::Node& value) { return std::max(key.end, value.end); }

}  // namespace

bool same_value(const yaml::Node& a, const yaml::Node& b) {
  if (&a == &b) return true;
  if (a.type != b.type || a.items.size() != b.items.size() || a.entries.size() != b.entries.size()) return false;
  if (a.is_scalar()) return a.text == b.text;  // same type and same text: the same value
  for (std::size_t i = 0; i < a.items.size(); ++i)
    if (!same_value(*a.items[i], *b.items[i])) return false;
  for (std::size_t i = 0; i < a.entries.size(); ++i)
    if (a.entries[i].first->text != b.entries[i].first->text || !same_value(*a.entries[i].second, *b.entries[i].second))
      return false;
  return true;
}

std::size_t line_start(std::string_view text, std::size_t pos) {
  auto nl = pos == 0 ? std::string_view::npos : text.rfind('\n', pos - 1);
  return nl == std::string_view::npos ? 0 : nl + 1;
}

std::size_t line_end(std::string_view text, std::size_t pos) {
  if (pos > 0 && pos <= text.size() && text[pos - 1] == '\n') return pos;
  auto nl = text.find('\n', pos);
  return nl == std::string_view::npos ? text.size() : nl + 1;
}

std::size_t File::indent() const {
  if (!list || list->items.empty()) return 2;
  const yaml::Node& first = *list->items.front();
  auto dash = text.rfind('-', first.begin);
  if (dash == std::string::npos) return 2;
  return dash - line_start(text, dash);
}

std::string reindent(std::string_view chunk, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t b = 0; b < chunk.size();) {
    auto nl = chunk.find('\n', b);
    std::size_t e = nl == std::string_view::npos ? chunk.size() : nl + 1;
    std::string_view line = chunk.substr(b, e - b);
    if (to > from) {
      if (line.find_first_not_of(" \t\r\n") != std::string_view::npos) out += std::string(to - from, ' ');
      out += line;
    } else {
      std::size_t cut = 0;
      while (cut < from - to && cut < line.size() && line[cut] == ' ') ++cut;
      out += line.substr(cut);
    }
    b = e;
  }
  return out;
}

json Value::json() const {
  switch (kind) {
    case Kind::scalar: {
      Diagnostics diags;
      auto node = yaml::parse(text, "value", diags);
      return node ? schema::to_json(*node) : nlohmann::json(text);
    }
    case Kind::string: return text;
    case Kind::list: {
      auto a = nlohmann::json::array();
      for (const auto& e : items) a.push_back(e.json());
      return a;
    }
    case Kind::map: {
      auto o = nlohmann::json::object();
      for (const auto& [k, e] : entries) o[k] = e.json();
      return o;
    }
  }
  return nullptr;
}

bool plain_is_string(std::string_view s) {
  if (yaml::plain_type(s) != yaml::Type::string) return false;
  return !parse_date(s).has_value() && !(s.size() == 10 && s[4] == '-' && s[7] == '-');
}

Value parse_value(const kinds::FieldInfo& f, std::string_view text) {
  using kinds::Type;
  switch (f.type) {
    case Type::id:
      if (!decode::is_valid_id(text))
        throw Refused(fmt::format("{}: '{}' is not a valid id (a letter, then letters, digits, '_', '.', '-')", f.name, text));
      return string(std::string(text));
    case Type::title:
    case Type::text:
      if (f.type == Type::title && trim(text).empty()) throw Refused(fmt::format("{} must not be empty", f.name));
      return string(std::string(text));
    case Type::number:
    case Type::integer:
      return number(f, text);
    case Type::date:
      if (auto why = date_problem(trim(text)); !why.empty())
        throw Refused(fmt::format("{} must be a date, and '{}' is not: {}", f.name, text, why));
      return {Value::Kind::scalar, trim(text), {}, {}};
    case Type::boolean:
      if (trim(text) != "true" && trim(text) != "false")
        throw Refused(fmt::format("{} must be true or false, not '{}'", f.name, text));
      return {Value::Kind::scalar, trim(text), {}, {}};
    case Type::enumeration: {
      std::string t = trim(text);
      if (std::find(f.values.begin(), f.values.end(), t) == f.values.end()) {
        std::string names;
        for (auto v : f.values) names += (names.empty() ? "" : ", ") + std::string(v);
        throw Refused(fmt::format("{} must be one of {}, not '{}'", f.name, names, text));
      }
      return string(t);
    }
    case Type::id_list:
    case Type::string_set:
    case Type::string_list:
    case Type::delay: {
      Value list{Value::Kind::list, {}, {}, {}};
      std::string t = trim(text);
      if (t.starts_with("[")) {
        auto node = parse_flow(f, t);
        if (node->type != yaml::Type::sequence) throw Refused(fmt::format("{} takes a list, not '{}'", f.name, text));
        for (const auto& e : node->items) {
          if (!e->is_scalar()) throw Refused(fmt::format("{}: the elements must be plain values", f.name));
          list.items.push_back(element(f, e->text));
        }
      } else if (f.type == Type::string_list) {
        list.items.push_back(element(f, t));  // a sentence may hold commas
      } else {
        for (std::size_t b = 0; b <= t.size();) {
          auto c = t.find(',', b);
          if (c == std::string::npos) c = t.size();
          list.items.push_back(element(f, std::string_view(t).substr(b, c - b)));
          b = c + 1;
        }
      }
      if (f.type == Type::delay && list.items.size() != 2)
        throw Refused(fmt::format("delay takes two numbers of workdays, [min, max], not '{}'", text));
      return list;
    }
    case Type::rice: {
      auto node = parse_flow(f, text);
      if (node->type != yaml::Type::mapping)
        throw Refused(fmt::format("rice takes {{reach: N, impact: N, confidence: N, effort: N}}, not '{}'", text));
      Value map{Value::Kind::map, {}, {}, {}};
      for (const auto& [k, v] : node->entries) {
        if (!v->is_number()) throw Refused(fmt::format("rice.{} must be a number, not '{}'", k->text, v->text));
        map.entries.push_back({std::string(k->text), Value{Value::Kind::scalar, std::string(v->text), {}, {}}});
      }
      return map;
    }
    case Type::section:
      break;
  }
  throw Refused(fmt::format("{} cannot be set from the command line", f.name));
}

std::string emit(const Value& value) {
  YAML::Emitter out;
  out.SetIndent(2);
  put(out, value);
  if (!out.good()) throw Refused(fmt::format("cannot write the value: {}", out.GetLastError()));
  return out.c_str();
}

std::string emit_in_flow(const Value& value) {
  std::string list = emit(Value{Value::Kind::list, {}, {value}, {}});  // "[x]": x as a flow list writes it
  return list.substr(1, list.size() - 2);
}

std::string flow_separator(std::string_view text, const yaml::Node& list, std::string_view eol, std::size_t k) {
  const auto& items = list.items;
  if (items.empty()) return ", ";
  k = std::clamp<std::size_t>(k, 1, items.size()) - 1;  // the separator after element k
  // Elements on lines of their own (`[\n  a,\n  b\n]`): a new one goes on its own line too.
  std::size_t from = k + 1 < items.size() ? items[k]->end : items.size() >= 2 ? items[k - 1]->end : list.begin;
  std::size_t next = k + 1 < items.size() ? items[k + 1]->begin : items[k]->begin;
  if (text.substr(from, next - from).find('\n') == std::string_view::npos) return ", ";
  std::size_t start = line_start(text, next);
  return "," + std::string(eol) + std::string(text.substr(start, text.find_first_not_of(' ', start) - start));
}

std::string emit_block(const Value& value) {
  YAML::Emitter out;
  out.SetIndent(2);
  put(out, value);
  if (!out.good()) throw Refused(fmt::format("cannot write the document: {}", out.GetLastError()));
  return std::string(out.c_str()) + "\n";
}

std::string emit_record(const std::vector<std::pair<std::string, Value>>& fields, std::size_t indent,
                        std::string_view eol) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    out += std::string(indent, ' ') + (i == 0 ? "- " : "  ");
    out += emit(string(fields[i].first)) + ": " + emit(fields[i].second);
    out += eol;
  }
  return out;
}

std::string apply(std::string_view text, std::vector<Splice> splices) {
  std::stable_sort(splices.begin(), splices.end(), [](const Splice& a, const Splice& b) { return a.begin < b.begin; });
  std::string out;
  out.reserve(text.size() + 256);
  std::size_t at = 0;
  for (const auto& s : splices) {
    if (s.begin < at || s.end < s.begin || s.end > text.size())
      throw Refused("two changes of this edit touch the same text; make them one at a time");
    out.append(text.substr(at, s.begin - at));
    out += s.text;
    at = s.end;
  }
  out.append(text.substr(at));
  return out;
}

Unparsable::Unparsable(std::string at, std::string message)
    : Refused(fmt::format("{}: {} (fix the file first: tandem edits only files that parse)", at, message)),
      where(std::move(at)), problem(std::move(message)) {}

File::File(std::string t, const kinds::KindInfo& kind, const std::string& path) : text(std::move(t)) {
  Diagnostics diags;
  root = yaml::parse(text, path, diags);
  if (!root || diags.has_errors()) {
    auto sorted = diags.sorted();
    if (sorted.empty())
      throw Refused(fmt::format("{}: the file is empty; start it with the line '{}: []'", path,
                                kind.list_key.empty() ? "version: 1" : kind.list_key));
    throw Unparsable(fmt::format("{}:{}:{}", path, sorted.front().mark.line, sorted.front().mark.column),
                     sorted.front().message);
  }
  clean = diags.size() == 0;
  take_list(kind, path);
}

File::File(std::string t, yaml::NodePtr parsed, const kinds::KindInfo& kind, const std::string& path)
    : text(std::move(t)), root(std::move(parsed)) {
  take_list(kind, path);
}

File::File(std::string t, const std::string& path) : text(std::move(t)) { check_line_ends(path); }

void File::check_line_ends(const std::string& path) const {
  // YAML reads a carriage return alone as a line break; the edits place text by LF-ended lines.
  for (auto cr = text.find('\r'); cr != std::string::npos; cr = text.find('\r', cr + 1))
    if (cr + 1 == text.size() || text[cr + 1] != '\n')
      throw Refused(fmt::format("{}: a line ends with a carriage return alone (old Mac line endings); tandem edits "
                                "files with LF or CRLF line endings",
                                path));
}

void File::take_list(const kinds::KindInfo& kind, const std::string& path) {
  check_line_ends(path);
  if (root->type != yaml::Type::mapping) throw Refused(fmt::format("{}: the file is not a mapping", path));
  list = root->get(kind.list_key);
  if (list && list->type == yaml::Type::null) list = nullptr;
  if (list && list->type != yaml::Type::sequence)
    throw Refused(fmt::format("{}: '{}' is not a list", path, kind.list_key));
}

std::size_t File::find(std::string_view id) const {
  if (!list) return std::string::npos;
  for (std::size_t i = 0; i < list->items.size(); ++i) {
    const auto* v = list->items[i]->type == yaml::Type::mapping ? list->items[i]->get("id") : nullptr;
    if (v && v->is_scalar() && v->text == id) return i;
  }
  return std::string::npos;
}

std::string_view File::eol() const {
  auto nl = text.find('\n');
  return nl != std::string::npos && nl > 0 && text[nl - 1] == '\r' ? "\r\n" : "\n";
}

std::vector<json> File::records() const {
  std::vector<json> out;
  if (list)
    for (const auto& e : list->items) out.push_back(schema::to_json(*e));
  return out;
}

namespace {

/// Splices that give the record's field `key: value` when it has no explicit entry for it.
Splice insert_key(const File& file, const yaml::Node& record, const std::string& field, const Value& v) {
  std::string_view text = file.text;
  bool flow = record.style == yaml::Style::flow;
  std::string kv = emit(string(field)) + ": " + (flow ? emit_in_flow(v) : emit(v));
  if (flow) {
    std::size_t n = record.entries.size() - record.merged;
    if (n == 0) return {record.end - 1, record.end - 1, kv};
    return {record.entries[n - 1].second->end, record.entries[n - 1].second->end, ", " + kv};
  }
  std::size_t at = line_end(text, record.end);
  std::string prefix = at == text.size() && !text.ends_with('\n') ? std::string(file.eol()) : "";
  return {at, at, prefix + spaces(text, record.begin) + kv + std::string(file.eol())};
}

/// Splices that cut the explicit entry `i` of the record.
Splice remove_key(const File& file, const yaml::Node& record, std::size_t i) {
  std::string_view text = file.text;
  const auto& [key, value] = record.entries[i];
  std::size_t n = record.entries.size() - record.merged;
  if (record.style == yaml::Style::flow) {
    if (i > 0) return {record.entries[i - 1].second->end, end_of(*key, *value), ""};
    if (n > 1) return {key->begin, record.entries[1].first->begin, ""};
    return {key->begin, end_of(*key, *value), ""};
  }
  std::size_t ls = line_start(text, key->begin);
  if (only_spaces(text.substr(ls, key->begin - ls))) return {ls, line_end(text, end_of(*key, *value)), ""};
  // The key follows the list's dash: the next key moves up to the dash's line.
  if (i + 1 < n) return {key->begin, record.entries[i + 1].first->begin, ""};
  throw Refused(fmt::format("cannot remove '{}', the record's only field", key->text));
}

/// `splice`, which replaces a value that a trailing comment follows on its line, widened to the spaces
/// before the comment so that the comment keeps its column (at least one space stays).
Splice keep_comment_column(std::string_view text, Splice splice) {
  if (splice.text.find('\n') != std::string::npos) return splice;
  std::size_t gap = splice.end;
  while (gap < text.size() && text[gap] == ' ') ++gap;
  if (gap == splice.end || gap == text.size() || text[gap] != '#') return splice;
  std::string_view old = text.substr(splice.begin, splice.end - splice.begin);
  if (old.find('\n') != std::string_view::npos) return splice;
  std::size_t column = display_width(old) + (gap - splice.end);  // the comment's, from the value's start
  std::size_t width = display_width(splice.text);
  splice.text += std::string(width < column ? column - width : 1, ' ');
  splice.end = gap;
  return splice;
}

/// The splice that writes `v` in place of the value node `old` (of the entry with key `key`), in flow
/// context (`{...}` and `[...]` quote more) when `flow`.
Splice replace_value(const File& file, const yaml::Node& key, const yaml::Node& old, const Value& v, bool flow) {
  std::string_view text = file.text;
  bool structured = v.kind == Value::Kind::list || v.kind == Value::Kind::map;
  if (old.style == yaml::Style::block && structured && !(v.kind == Value::Kind::list && v.items.empty())) {
    std::string indent = spaces(text, old.begin), out;
    std::string sep = std::string(file.eol()) + indent;
    if (v.kind == Value::Kind::list)
      for (std::size_t i = 0; i < v.items.size(); ++i) out += (i ? sep : "") + "- " + emit(v.items[i]);
    else
      for (std::size_t i = 0; i < v.entries.size(); ++i)
        out += (i ? sep : "") + emit(string(v.entries[i].key)) + ": " + emit(v.entries[i].value);
    return {old.begin, old.end, out};
  }
  if (old.is_scalar() && old.begin >= old.end) {
    // An empty value: write after the colon (`owner:`), or after a key written alone in a flow
    // mapping (`{id: A, owner}`) with one.
    std::string value = flow ? emit_in_flow(v) : emit(v);
    auto colon = text.find_first_not_of(" \t", key.end);
    if (colon == std::string_view::npos || text[colon] != ':') return {key.end, key.end, ": " + value};
    return {colon + 1, colon + 1, " " + value};
  }
  std::string out = flow ? emit_in_flow(v) : emit(v);
  if (old.style == yaml::Style::block_scalar && old.end > 0 && text[old.end - 1] == '\n') {
    out += file.eol();
    return {old.begin, old.end, out};
  }
  return keep_comment_column(text, {old.begin, old.end, out});
}

/// Where the alias (`*name`) that stands as the value of `key` is written, when the value is one: an
/// alias shares the anchored node, which is written before the key. nullopt for a value of its own.
std::optional<std::pair<std::size_t, std::size_t>> alias_span(std::string_view text, const yaml::Node& key,
                                                              const yaml::Node& value) {
  if (value.begin >= key.end) return std::nullopt;
  auto star = text.find('*', key.end);
  if (star == std::string_view::npos) return std::nullopt;
  auto end = text.find_first_of(" \t\r\n,]}#", star + 1);
  return std::pair{star, end == std::string_view::npos ? text.size() : end};
}

/// The edit of a field whose value is an alias: the alias is replaced by the whole new value, written
/// out, so that the anchored value and its other aliases stay as they are.
Splice edit_alias(const File& file, const yaml::Node& record, const yaml::Node& key, const yaml::Node& value,
                  std::pair<std::size_t, std::size_t> span, const FieldEdit& e) {
  std::string_view text = file.text;
  if (e.op == FieldEdit::Op::remove) {
    if (record.style == yaml::Style::flow)
      throw Refused(fmt::format("'{}' repeats an anchored value (*name) in a {{…}} record: remove it by hand", e.field));
    return {line_start(text, key.begin), line_end(text, span.second), ""};
  }
  Value v = e.value;
  if (e.op != FieldEdit::Op::set) {
    if (value.type != yaml::Type::sequence) throw Refused(fmt::format("{} is not a list", e.field));
    v = {Value::Kind::list, {}, {}, {}};
    bool removed = false;
    for (const auto& it : value.items) {
      if (!it->is_scalar()) throw Refused(fmt::format("{} repeats a nested anchored list: edit it by hand", e.field));
      if (e.op == FieldEdit::Op::subtract && !removed && it->text == e.value.text) {
        removed = true;
        continue;
      }
      v.items.push_back(it->type == yaml::Type::string ? string(it->text) : Value{Value::Kind::scalar, std::string(it->text), {}, {}});
    }
    if (e.op == FieldEdit::Op::add) v.items.push_back(e.value);
    if (e.op == FieldEdit::Op::subtract && !removed) throw Refused(fmt::format("'{}' is not in {}", e.value.text, e.field));
  }
  return {span.first, span.second, record.style == yaml::Style::flow ? emit_in_flow(v) : emit(v)};
}

}  // namespace

namespace {

/// The list field `field` of `record` after `edits` (several, each set, add or subtract, in order), from
/// the list as the record has it (from a merge key when not on the record itself).
Value combined_list(const yaml::Node& record, const std::string& field, const std::vector<const FieldEdit*>& edits) {
  Value list{Value::Kind::list, {}, {}, {}};
  if (const yaml::Node* now = record.get(field); now && now->type == yaml::Type::sequence)
    for (const auto& it : now->items)  // plain elements as written (a number stays one), the others as strings
      list.items.push_back(it->style == yaml::Style::plain ? Value{Value::Kind::scalar, std::string(it->text), {}, {}} : string(it->text));
  for (const FieldEdit* e : edits) {
    if (e->op == FieldEdit::Op::set) {
      list = e->value.kind == Value::Kind::list ? e->value : Value{Value::Kind::list, {}, {e->value}, {}};
    } else if (e->op == FieldEdit::Op::add) {
      list.items.push_back(e->value);
    } else {
      auto hit = std::find_if(list.items.begin(), list.items.end(), [&](const Value& v) { return v.text == e->value.text; });
      if (hit == list.items.end()) throw Refused(fmt::format("'{}' is not in {}", e->value.text, field));
      list.items.erase(hit);
    }
  }
  return list;
}

/// The one splice of several edits of one list field (`tandem set T tags-=a tags+=b`): the field written
/// anew with the list they give, where splices of each alone would touch the same text.
Splice edit_list(const File& file, const yaml::Node& record, const std::string& field,
                 const std::vector<const FieldEdit*>& edits) {
  Value list = combined_list(record, field, edits);
  const auto* found = entry(record, field);
  if (!found) return insert_key(file, record, field, list);
  const yaml::Node& key = *found->first;
  const yaml::Node& value = *found->second;
  if (list.items.empty() && value.type == yaml::Type::sequence && value.style == yaml::Style::block && !value.items.empty())
    return {key.end, value.end, ": []"};
  return replace_value(file, key, value, list, record.style == yaml::Style::flow);
}

/// The fields that `edits` change more than once with a list operation among them and no removal of the
/// field, but for additions alone to a list the record has with elements (those append one by one).
std::set<std::string> fields_edited_as_lists(const yaml::Node& record, const std::vector<FieldEdit>& edits) {
  struct Seen {
    int edits = 0, adds = 0;
    bool list = false, removed = false;
  };
  std::map<std::string, Seen> seen;
  for (const auto& e : edits) {
    Seen& f = seen[e.field];
    ++f.edits;
    f.adds += e.op == FieldEdit::Op::add;
    f.list = f.list || e.op == FieldEdit::Op::add || e.op == FieldEdit::Op::subtract;
    f.removed = f.removed || e.op == FieldEdit::Op::remove;
  }
  std::set<std::string> out;
  auto appendable = [&](const std::string& field) {
    const auto* found = entry(record, field);
    return found && found->second->type == yaml::Type::sequence && !found->second->items.empty();
  };
  for (const auto& [field, f] : seen)
    if (f.edits > 1 && f.list && !f.removed && (f.adds < f.edits || !appendable(field))) out.insert(field);
  return out;
}

}  // namespace

std::vector<Splice> edit_record(const File& file, const yaml::Node& record, const std::vector<FieldEdit>& edits) {
  std::string_view text = file.text;
  bool flow = record.style == yaml::Style::flow;
  std::vector<Splice> out;
  std::set<std::string> as_lists = fields_edited_as_lists(record, edits);
  for (const auto& e : edits) {
    std::size_t i = 0;
    const auto* found = entry(record, e.field, &i);
    const yaml::Node* value = found ? found->second : nullptr;
    if (as_lists.count(e.field) && !(found && alias_span(text, *found->first, *value))) {
      std::vector<const FieldEdit*> mine;  // written once, at the field's first edit
      for (const auto& other : edits)
        if (other.field == e.field) mine.push_back(&other);
      if (mine.front() == &e) out.push_back(edit_list(file, record, e.field, mine));
      continue;
    }
    if (found) {
      if (auto span = alias_span(text, *found->first, *value)) {
        out.push_back(edit_alias(file, record, *found->first, *value, *span, e));
        continue;
      }
    }
    switch (e.op) {
      case FieldEdit::Op::set:
        out.push_back(found ? replace_value(file, *found->first, *value, e.value, flow)
                            : insert_key(file, record, e.field, e.value));
        break;
      case FieldEdit::Op::remove:
        if (!found) {
          if (record.get(e.field))
            throw Refused(fmt::format("'{}' comes from a merge key ('<<'); remove it from the anchored mapping", e.field));
          throw Refused(fmt::format("the record has no '{}' to remove", e.field));
        }
        out.push_back(remove_key(file, record, i));
        break;
      case FieldEdit::Op::add: {
        Value one{Value::Kind::list, {}, {e.value}, {}};
        if (!value || value->type != yaml::Type::sequence) {
          if (const auto* inherited = record.get(e.field); inherited && inherited->type == yaml::Type::sequence) {
            // Inherited from a merge key: the whole list, with the new element, on the record itself.
            for (const auto& it : inherited->items) one.items.insert(one.items.end() - 1, string(it->text));
          }
          out.push_back(found ? replace_value(file, *found->first, *value, one, flow)
                              : insert_key(file, record, e.field, one));
        } else if (value->items.empty()) {
          out.push_back({value->begin, value->end, emit(one)});
        } else if (value->style == yaml::Style::flow) {
          out.push_back({value->items.back()->end, value->items.back()->end,
                         flow_separator(text, *value, file.eol(), value->items.size()) + emit_in_flow(e.value)});
        } else {
          std::size_t at = line_end(text, value->items.back()->end);
          std::string prefix = at == text.size() && !text.ends_with('\n') ? std::string(file.eol()) : "";
          out.push_back({at, at, prefix + spaces(text, value->begin) + "- " + emit(e.value) + std::string(file.eol())});
        }
        break;
      }
      case FieldEdit::Op::subtract: {
        std::size_t k = 0;
        if (value && value->type == yaml::Type::sequence)
          for (; k < value->items.size() && value->items[k]->text != e.value.text; ++k) {}
        if (!value || value->type != yaml::Type::sequence || k == value->items.size())
          throw Refused(fmt::format("'{}' is not in {}{}", e.value.text, e.field,
                                    !value && record.get(e.field) ? " as written on the record (it comes from a merge key)" : ""));
        const auto& items = value->items;
        if (items.size() == 1) {
          if (value->style == yaml::Style::flow) out.push_back({value->begin, value->end, "[]"});
          else out.push_back({found->first->end, value->end, ": []"});
        } else if (value->style == yaml::Style::flow) {
          if (k > 0) out.push_back({items[k - 1]->end, items[k]->end, ""});
          else out.push_back({items[0]->begin, items[1]->begin, ""});
        } else {
          out.push_back({line_start(text, items[k]->begin), line_end(text, items[k]->end), ""});
        }
        break;
      }
    }
  }
  return out;
}

json expected(json record, const std::vector<FieldEdit>& edits) {
  for (const auto& e : edits) {
    switch (e.op) {
      case FieldEdit::Op::set: record[e.field] = e.value.json(); break;
      case FieldEdit::Op::remove: record.erase(e.field); break;
      case FieldEdit::Op::add:
        if (!record.contains(e.field) || !record[e.field].is_array()) record[e.field] = json::array();
        record[e.field].push_back(e.value.json());
        break;
      case FieldEdit::Op::subtract: {
        auto& list = record[e.field];
        auto it = std::find(list.begin(), list.end(), e.value.json());
        if (it != list.end()) list.erase(it);
        break;
      }
    }
  }
  return record;
}

std::pair<std::size_t, std::size_t> record_span(const File& file, std::size_t index) {
  std::string_view text = file.text;
  if (file.list->style == yaml::Style::flow)
    throw Refused("the list is written in flow style ([...]): a record there has no lines of its own");
  const yaml::Node& r = *file.list->items[index];
  auto dash = text.rfind('-', r.begin);
  if (r.style != yaml::Style::block && r.type != yaml::Type::mapping) dash = r.begin;
  std::size_t begin = line_start(text, dash == std::string_view::npos ? r.begin : dash);
  // Comment lines right above belong to the record.
  while (begin > 0) {
    std::size_t prev = line_start(text, begin - 1);
    auto line = trim(text.substr(prev, begin - prev));
    if (!line.starts_with("#")) break;
    begin = prev;
  }
  return {begin, line_end(text, r.end)};
}

std::string unified_diff(std::string_view old_text, std::string_view new_text, const std::string& path) {
  if (old_text == new_text) return {};
  auto lines = [](std::string_view t) {
    std::vector<std::string_view> out;
    for (std::size_t b = 0; b < t.size();) {
      auto nl = t.find('\n', b);
      std::size_t e = nl == std::string_view::npos ? t.size() : nl + 1;
      out.push_back(t.substr(b, e - b));
      b = e;
    }
    return out;
  };
  auto a = lines(old_text), b = lines(new_text);
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre && a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) ++suf;
  const std::size_t context = 3;
  std::size_t from = pre > context ? pre - context : 0;
  std::size_t a_to = std::min(a.size(), a.size() - suf + context), b_to = std::min(b.size(), b.size() - suf + context);
  auto range = [](std::size_t start, std::size_t count) {
    return count == 1 ? fmt::format("{}", start + 1) : fmt::format("{},{}", count ? start + 1 : start, count);
  };
  std::string out = fmt::format("--- a/{}\n+++ b/{}\n@@ -{} +{} @@\n", path, path, range(from, a_to - from),
                                range(from, b_to - from));
  auto line = [&](char sign, std::string_view l) {
    out += sign;
    out += l;
    if (!l.ends_with('\n')) out += "\n\\ No newline at end of file\n";
  };
  for (std::size_t i = from; i < pre; ++i) line(' ', a[i]);
  for (std::size_t i = pre; i < a.size() - suf; ++i) line('-', a[i]);
  for (std::size_t i = pre; i < b.size() - suf; ++i) line('+', b[i]);
  for (std::size_t i = a.size() - suf; i < a_to; ++i) line(' ', a[i]);
  return out;
}

}  // namespace tandem::edit
