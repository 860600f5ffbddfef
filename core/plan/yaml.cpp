#include "core/plan/yaml.hpp"

#include <yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>
#include <memory>
#include <cstring>
#include <optional>
#include <utility>
#include <unordered_map>

namespace tandem::yaml {

const Node* Node::get(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k->text == key) return v;
  return nullptr;
}

std::string_view describe(const Node& node) {
  switch (node.type) {
    case Type::null: return "empty (null)";
    case Type::boolean: return "a boolean";
    case Type::integer: return "an integer";
    case Type::real: return "a number";
    case Type::string: return "a string";
    case Type::sequence: return "a list";
    case Type::mapping: return "a mapping";
  }
  return "a value";
}

namespace {

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}
bool is_dec(char c) { return c >= '0' && c <= '9'; }
bool is_oct(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool is_int(std::string_view s) {
  if (s.starts_with("0o")) return all_of(s.substr(2), is_oct);
  if (s.starts_with("0x")) return all_of(s.substr(2), is_hex);
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return all_of(s, is_dec);
}

bool is_float(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s == ".inf" || s == ".Inf" || s == ".INF") return true;
  std::size_t i = 0, digits = 0;
  while (i < s.size() && is_dec(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_dec(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp = 0;
    while (i < s.size() && is_dec(s[i])) ++i, ++exp;
    if (exp == 0) return false;
  }
  return i == s.size();
}

/// The value of `digits` in `base`, ULLONG_MAX when it overflows (as strtoull gives).
double unsigned_value(std::string_view digits, int base) {
  unsigned long long v = 0;
  if (std::from_chars(digits.data(), digits.data() + digits.size(), v, base).ec == std::errc::result_out_of_range)
    v = ULLONG_MAX;
  return static_cast<double>(v);
}

double to_number(std::string_view s, bool integer) {
  if (integer) {
    if (s.starts_with("0o")) return unsigned_value(s.substr(2), 8);
    if (s.starts_with("0x")) return unsigned_value(s.substr(2), 16);
  }
  std::string_view body = s;
  bool neg = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) neg = body[0] == '-', body.remove_prefix(1);
  if (body == ".inf" || body == ".Inf" || body == ".INF") return neg ? -HUGE_VAL : HUGE_VAL;
  if (body == ".nan" || body == ".NaN" || body == ".NAN") return std::nan("");
  // The core schema's float syntax is checked before: here only digits, '.', and an exponent.
  double v = 0;
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (ec == std::errc::result_out_of_range) {  // too large: ±HUGE_VAL, reported by the decoder; too small: 0
    auto e = body.find_first_of("eE");
    v = e != std::string_view::npos && e + 1 < body.size() && body[e + 1] == '-' ? 0.0 : HUGE_VAL;
  }
  return neg ? -v : v;
}

/// True when a plain scalar starting with `c` may be null, a boolean or a number by the core schema:
/// `~`, `null`, `true`, `false` (in their three spellings), and numbers, which start with a digit, a
/// sign or a dot (`.5`, `.inf`, `.nan`). Any other plain scalar is a string.
bool may_be_typed(char c) {
  return is_dec(c) || c == '~' || c == 'n' || c == 'N' || c == 't' || c == 'T' || c == 'f' || c == 'F' || c == '.' ||
         c == '+' || c == '-';
}

/// Resolves a plain scalar by the YAML 1.2 core schema.
void resolve_plain(Node& n) {
  std::string_view s = n.text;
  if (!s.empty() && !may_be_typed(s[0])) {
    n.type = Type::string;
  } else if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    n.type = Type::null;
  } else if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    n.type = Type::boolean;
    n.boolean = s[0] == 't' || s[0] == 'T';
  } else if (is_int(s)) {
    n.type = Type::integer;
    n.number = to_number(s, true);
  } else if (is_float(s) || s == ".nan" || s == ".NaN" || s == ".NAN") {
    n.type = Type::real;
    n.number = to_number(s, false);
  } else {
    n.type = Type::string;
  }
}

/// Where a document's nodes, texts and child lists live: blocks of memory handed out in order and
/// freed together. `rewind` gives back everything handed out since a `position` (the memory of a
/// streamed list element that nobody kept).
class Arena {
public:
  struct Position {
    std::size_t block = 0, used = 0;
  };
  void* allocate(std::size_t bytes) {
    bytes = (bytes + 7) & ~std::size_t{7};
    if (m_blocks.empty() || m_used + bytes > m_sizes[m_block]) next_block(bytes);
    void* p = m_blocks[m_block].get() + m_used;
    m_used += bytes;
    return p;
  }
  template <class T> T* make() { return ::new (allocate(sizeof(T))) T(); }
  std::string_view copy(const char* text, std::size_t size) {
    if (size == 0) return {};
    char* p = static_cast<char*>(allocate(size));
    std::memcpy(p, text, size);
    return {p, size};
  }
  template <class T> std::span<const T> copy(const T* first, std::size_t n) {
    if (n == 0) return {};
    T* p = static_cast<T*>(allocate(n * sizeof(T)));
    std::memcpy(static_cast<void*>(p), first, n * sizeof(T));
    return {p, n};
  }
  Position position() const { return {m_block, m_used}; }
  void rewind(Position at) { m_block = at.block, m_used = at.used; }

private:
  static constexpr std::size_t k_block = 64 << 10;
  /// Moves to the next block with room for `bytes` (blocks freed by a rewind are used again).
  void next_block(std::size_t bytes) {
    std::size_t next = m_blocks.empty() ? 0 : m_block + 1;
    while (next < m_blocks.size() && m_sizes[next] < bytes) ++next;
    if (next >= m_blocks.size()) {
      std::size_t size = std::max(k_block, bytes);
      next = m_blocks.size();
      m_blocks.push_back(std::make_unique_for_overwrite<char[]>(size));
      m_sizes.push_back(size);
    }
    m_block = next;
    m_used = 0;
  }
  std::vector<std::unique_ptr<char[]>> m_blocks;
  std::vector<std::size_t> m_sizes;
  std::size_t m_block = 0, m_used = 0;
};

/// A parsed document: what its nodes point into. Nodes are trivially destructible.
struct Document {
  Arena arena;
};

constexpr std::string_view k_tag_prefix = "tag:yaml.org,2002:";

struct EventGuard {
  yaml_event_t event;
  ~EventGuard() { yaml_event_delete(&event); }
};

struct ParserGuard {
  yaml_parser_t parser;
  ParserGuard() { yaml_parser_initialize(&parser); }
  ~ParserGuard() { yaml_parser_delete(&parser); }
};

/// Line and column (1-based) of a byte offset, for reader errors that carry only an offset.
Mark mark_of_offset(std::string_view text, std::size_t offset) {
  Mark m{1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++m.line;
      m.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++m.column;
    }
  }
  return m;
}

Mark to_mark(const yaml_mark_t& m) {
  return Mark{static_cast<std::uint32_t>(m.line + 1), static_cast<std::uint32_t>(m.column + 1)};
}

/// The text of line `line` (1-based) of `text`, without its line break; empty past the end.
std::string_view line_of(std::string_view text, std::uint32_t line) {
  std::size_t start = 0;
  for (std::uint32_t l = 1; l < line; ++l) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  std::size_t end = text.find('\n', start);
  std::string_view out = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  return out;
}

/// Where the first git conflict marker (`<<<<<<< `) starts a line, if one does.
std::optional<Mark> conflict_marker(std::string_view text) {
  std::uint32_t n = 1;
  for (std::size_t start = 0; start < text.size(); ++n) {
    std::size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (line.starts_with("<<<<<<<") && (line.size() == 7 || line[7] == ' ' || line[7] == '\r')) return Mark{n, 1};
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return std::nullopt;
}

/// A plain-words message and a hint for the usual causes of a syntax error (an unquoted ': ' in a
/// value, a tab in the indentation, a line indented too deep); empty when the cause is none of these.
std::pair<std::string, std::string> explain_syntax_error(std::string_view text, std::string_view problem, Mark mark,
                                                         Mark context) {
  std::string_view line = line_of(text, mark.line);
  std::size_t indent = line.find_first_not_of(" \t");
  std::string_view leading = line.substr(0, indent == std::string_view::npos ? line.size() : indent);
  if (leading.find('\t') != std::string_view::npos)
    return {"YAML syntax error: a tab in the indentation", "YAML forbids tabs for indentation; indent with spaces"};
  if ((problem == "did not find expected key" || problem == "did not find expected '-' indicator") && context.line)
    return {fmt::format("YAML syntax error: {} (the indentation does not match line {})", problem, context.line),
            fmt::format("indent this line exactly as the lines of the list or mapping that starts at line {}",
                        context.line)};
  if (problem != "mapping values are not allowed in this context" || indent == std::string_view::npos) return {};
  // libyaml points at the ':' it refuses; the usual cause is a value holding ': ' on a line that has its
  // own `key: ` before it (`title: Closed beta: phase 1`).
  std::string_view body = line.substr(indent);
  std::size_t before = line.size() - body.size();
  if (body.starts_with("- ")) body.remove_prefix(2), before += 2;
  std::size_t colon = body.find(": ");
  std::size_t at = mark.column - 1;  // the refused ':' as a byte offset, for ASCII lines
  if (colon != std::string_view::npos && before + colon < at) {
    std::string_view key = body.substr(0, colon);
    std::string_view value = body.substr(colon + 2);
    if (auto comment = value.find(" #"); comment != std::string_view::npos) value = value.substr(0, comment);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    std::string quoted;
    if (value.find('"') == std::string_view::npos && value.find('\\') == std::string_view::npos) {
      quoted = fmt::format("\"{}\"", value);
    } else {
      quoted = "'";
      for (char c : value) quoted += c == '\'' ? std::string("''") : std::string(1, c);
      quoted += "'";
    }
    return {fmt::format("YAML syntax error: the value of '{}' holds ': ', which YAML reads as the start of a mapping",
                        key),
            fmt::format("quote the value: {}: {}", key, quoted)};
  }
  // The first ': ' of a line, refused: the line is indented deeper than the keys above it, so YAML reads
  // it as the continuation of the value above.
  return {"YAML syntax error: this line is indented deeper than the key above it",
          "line its key up with the keys above it (or quote the value above, if this line continues it)"};
}

struct Frame {
  Node* node = nullptr;
  std::string anchor;
  const Node* pending_key = nullptr;  // mappings: the key waiting for its value
  bool skip_value = false;            // mappings: the pending key was a duplicate or complex
  std::size_t index = 0;              // sequences: number of elements seen
  std::size_t first = 0;              // where its children start in the parser's scratch list
  /// Mappings with many keys: key text -> line, for duplicates (fewer keys are looked up in the list).
  std::unordered_map<std::string_view, std::uint32_t> keys;
  std::vector<std::pair<const Node*, Mark>> merges;  // mappings: what merge keys name, earliest first, and the key's mark
  std::uint32_t merge_line = 0;  // mappings: the line of its merge key, if it has one
  std::uint64_t key_bits = 0;     // mappings: the key_bit of each key, so that most new keys need no scan
  std::size_t last_end = 0;  // where the last child ends in the text (an alias: the alias, not its anchor)
};

/// True when every byte of `text` is ASCII (read eight bytes at a time, with no branch per byte).
bool is_ascii(std::string_view text) {
  std::uint64_t any = 0;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    any |= word;
  }
  for (; i < text.size(); ++i) any |= static_cast<unsigned char>(text[i]);
  return (any & 0x8080808080808080ull) == 0;
}

/// One of 64 bits for a key text, from its length and its first and last bytes: two keys with different
/// bits differ (equal texts always have the same bit).
std::uint64_t key_bit(std::string_view text) {
  std::size_t h = text.size();
  if (!text.empty()) h = h * 31 + static_cast<unsigned char>(text.front()) * 7 + static_cast<unsigned char>(text.back());
  return std::uint64_t{1} << (h % 64);
}

/// One run of libyaml's event parser, building the node tree; each event kind has its own step.
class Parser {
public:
  Parser(std::string_view text, const std::string& file, Diagnostics& diags, const Limits& limits,
         const ElementCallback& on_element, Origin origin)
      : m_line0(origin.line - 1), m_offset0(origin.offset), m_text(text), m_file(file), m_diags(diags),
        m_limits(limits), m_on_element(on_element), m_doc(std::make_shared<Document>()) {
    yaml_parser_set_input_string(&m_pg.parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    if (text.starts_with("\xEF\xBB\xBF")) m_byte = 3;  // libyaml counts marks after the BOM
    m_ascii = is_ascii(text);
  }

  /// The root, or nullptr when the text is empty or parsing stopped at an error.
  NodePtr run() {
    while (true) {
      EventGuard ev;
      if (!yaml_parser_parse(&m_pg.parser, &ev.event)) {
        syntax_error();
        return nullptr;
      }
      const yaml_event_t& e = ev.event;
      Mark mark = to_mark(e.start_mark);
      mark.line += m_line0;
      switch (e.type) {
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
        case YAML_NO_EVENT:
          break;
        case YAML_STREAM_END_EVENT:
          return m_root ? NodePtr(m_doc, m_root) : nullptr;
        case YAML_DOCUMENT_START_EVENT:
          if (++m_documents > 1) {
            fail("multiple-documents", mark, "a plan file holds one YAML document; found a second '---'");
            return nullptr;
          }
          break;
        case YAML_ALIAS_EVENT:
          if (!alias(e, mark)) return nullptr;
          break;
        case YAML_SCALAR_EVENT:
          if (!scalar(e, mark)) return nullptr;
          break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
          if (!start(e, mark)) return nullptr;
          break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          if (!finish(e, mark)) return nullptr;
          break;
      }
    }
  }

private:
  /// Reports an error that stops parsing; returns false.
  bool fail(std::string code, Mark mark, std::string message, std::string hint = {}) {
    m_diags.error(std::move(code), m_file, mark, std::move(message), std::move(hint));
    return false;
  }

  /// Reports libyaml's error: invalid encoding or a syntax error.
  void syntax_error() {
    const yaml_parser_t& parser = m_pg.parser;
    Mark mark = parser.error == YAML_READER_ERROR ? mark_of_offset(m_text, parser.problem_offset)
                                                  : to_mark(parser.problem_mark);
    Mark shown{mark.line + m_line0, mark.column};  // in the whole text (Origin)
    std::string problem = parser.problem ? parser.problem : "invalid YAML";
    if (parser.error == YAML_READER_ERROR) {
      problem = fmt::format("{} (byte {})", problem, parser.problem_offset + m_offset0);
      fail("invalid-encoding", shown, "not valid UTF-8 text: " + problem,
           "plan files must be UTF-8 text without control characters");
      return;
    }
    if (auto conflict = conflict_marker(m_text)) {
      fail("merge-conflict", Mark{conflict->line + m_line0, conflict->column},
           "unresolved merge conflict: git's conflict marker '<<<<<<<' is not YAML",
           "resolve the merge conflict: keep the lines you want, delete the '<<<<<<<', '=======' and '>>>>>>>' "
           "lines, then 'git add' the file");
      return;
    }
    std::string context = parser.context ? fmt::format(" {}", parser.context) : "";
    if (parser.context) {
      context += fmt::format(" (line {}, column {})", parser.context_mark.line + 1 + m_line0, parser.context_mark.column + 1);
    }
    auto [message, hint] = explain_syntax_error(m_text, problem, mark, to_mark(parser.context_mark));
    if (message.empty()) message = fmt::format("YAML syntax error: {}{}", problem, context);
    fail("yaml-syntax", shown, std::move(message), std::move(hint));
  }

  /// An alias: the anchored node again. False to stop (reported).
  bool alias(const yaml_event_t& e, Mark mark) {
    std::string name(reinterpret_cast<const char*>(e.data.alias.anchor));
    auto it = m_anchors.find(name);
    if (it == m_anchors.end())
      return fail("unknown-alias", mark, fmt::format("alias '*{}' names no anchor defined before it", name));
    // The elements of top-level lists are handed to the caller as they are read and not kept, so
    // an alias of such a list stands for an empty list. That is harmless where nothing reads it (an
    // element of a top-level list, which the caller judges itself, or anywhere under an `x-` key);
    // anywhere else it would hide the elements, so it is an error.
    if (it->second->streamed > 0) {
      bool streamed_element = m_on_element && m_stack.size() == 2 && m_stack[0].node->type == Type::mapping &&
                              m_stack[1].node->type == Type::sequence;
      bool under_extension = false;
      for (const auto& f : m_stack)
        if (f.pending_key && f.pending_key->text.starts_with("x-")) under_extension = true;
      if (!streamed_element && !under_extension)
        return fail("unsupported-alias", mark,
                    fmt::format("alias '*{}' repeats a top-level list, which tandem does not keep", name),
                    "write the list out where it is used");
    }
    if (!attach(it->second, {}, true, byte_of(e.end_mark.index)))
      return fail("alias-limit", mark,
                  fmt::format("aliases expand to more than {} nodes; tandem refuses alias bombs",
                              m_limits.max_alias_nodes),
                  "use fewer aliases, or raise the limit with --max-alias-nodes");
    return true;
  }

  /// A scalar, typed by its tag or (plain, untagged) by the core schema. False to stop.
  bool scalar(const yaml_event_t& e, Mark mark) {
    Node* node = m_doc->arena.make<Node>();
    node->mark = mark;
    node->begin = byte_of(e.start_mark.index);
    node->end = byte_of(e.end_mark.index);
    auto style = e.data.scalar.style;
    node->style = style == YAML_PLAIN_SCALAR_STYLE ? Style::plain
                  : style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE ? Style::block_scalar
                                                                                          : Style::quoted;
    node->text = m_doc->arena.copy(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
    const char* tag = reinterpret_cast<const char*>(e.data.scalar.tag);
    std::string_view t = tag ? std::string_view(tag) : std::string_view();
    if (t.empty()) {
      if (e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE) resolve_plain(*node);
      else node->type = Type::string;
    } else {
      resolve_tagged(*node, t, mark);
    }
    const char* anchor = reinterpret_cast<const char*>(e.data.scalar.anchor);
    return attach(node, anchor ? std::string_view(anchor) : std::string_view(), false, node->end);
  }

  /// Types a scalar with the explicit tag `t`; a tag that does not fit is reported and leaves a string.
  void resolve_tagged(Node& node, std::string_view t, Mark mark) {
    if (t == "!" || t == std::string(k_tag_prefix) + "str") {
      node.type = Type::string;
      return;
    }
    std::string_view want = t.starts_with(k_tag_prefix) ? t.substr(k_tag_prefix.size()) : std::string_view();
    if (want != "int" && want != "float" && want != "bool" && want != "null") {
      m_diags.error("unsupported-tag", m_file, mark,
                    fmt::format("unsupported YAML tag '{}'; plan files use plain YAML values", t));
      node.type = Type::string;
      return;
    }
    resolve_plain(node);
    bool ok = (want == "int" && node.type == Type::integer) || (want == "float" && node.is_number()) ||
              (want == "bool" && node.type == Type::boolean) || (want == "null" && node.type == Type::null);
    if (!ok) {
      m_diags.error("bad-tag", m_file, mark, fmt::format("'{}' is not a valid !!{}", node.text, want));
      node.type = Type::string;
    }
  }

  /// The start of a list or mapping: a new frame. False to stop (too deep).
  bool start(const yaml_event_t& e, Mark mark) {
    bool is_seq = e.type == YAML_SEQUENCE_START_EVENT;
    const char* tag = reinterpret_cast<const char*>(is_seq ? e.data.sequence_start.tag : e.data.mapping_start.tag);
    if (tag) {
      std::string_view t(tag);
      if (t != std::string(k_tag_prefix) + (is_seq ? "seq" : "map"))
        m_diags.error("unsupported-tag", m_file, mark,
                      fmt::format("unsupported YAML tag '{}'; plan files use plain YAML values", t));
    }
    if (m_stack.size() >= m_limits.max_depth)
      return fail("too-deep", mark,
                  fmt::format("lists and mappings are nested more than {} levels deep", m_limits.max_depth),
                  "plan files need only a few levels; raise the limit with --max-depth");
    Node* node = m_doc->arena.make<Node>();
    node->type = is_seq ? Type::sequence : Type::mapping;
    node->mark = mark;
    node->begin = byte_of(e.start_mark.index);
    bool flow = is_seq ? e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                       : e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
    node->style = flow ? Style::flow : Style::block;
    const unsigned char* a = is_seq ? e.data.sequence_start.anchor : e.data.mapping_start.anchor;
    Frame& f = m_stack.emplace_back();
    f.node = node;
    if (a) f.anchor = reinterpret_cast<const char*>(a);
    f.first = is_seq ? m_items.size() : m_entries.size();
    if (is_seq && m_on_element && m_stack.size() == 2 && m_stack[0].node->type == Type::mapping)
      m_element_start = m_doc->arena.position(), m_element_anchors = m_anchor_defs;
    return true;
  }

  /// The end of a list or mapping: its children move from the scratch lists into the arena. False to stop.
  bool finish(const yaml_event_t& e, Mark mark) {
    Frame f = std::move(m_stack.back());
    m_stack.pop_back();
    Node& n = *f.node;
    if (n.style == Style::flow) n.end = byte_of(e.end_mark.index);
    else n.end = std::max(n.begin, f.last_end);
    if (!f.merges.empty() && !merge(f, mark)) return false;
    if (n.type == Type::sequence) {
      n.items = m_doc->arena.copy(m_items.data() + f.first, m_items.size() - f.first);
      m_items.resize(f.first);
    } else {
      n.entries = m_doc->arena.copy(m_entries.data() + f.first, m_entries.size() - f.first);
      m_entries.resize(f.first);
    }
    return attach(f.node, f.anchor, false, n.end);
  }

  /// Adds a finished node to its parent (or makes it the root). Returns false to abort.
  /// `end`: where the node as written here ends (an alias: the alias itself).
  bool attach(Node* node, std::string_view anchor, bool is_alias, std::size_t end) {
    if (!anchor.empty()) {
      m_anchors[std::string(anchor)] = node;
      ++m_anchor_defs;
    }
    if (m_stack.empty()) {
      m_root = node;
      return true;
    }
    if (is_alias) {
      m_alias_nodes += node->expanded;
      if (m_alias_nodes > m_limits.max_alias_nodes) return false;
    }
    Frame& parent = m_stack.back();
    parent.last_end = end;
    if (parent.node->type == Type::sequence) attach_element(parent, node);
    else if (!parent.pending_key) attach_key(parent, node);
    else attach_value(parent, node);
    return true;
  }

  static void add_size(Node& p, std::size_t n) { p.expanded = p.expanded + n < p.expanded ? SIZE_MAX : p.expanded + n; }

  /// An element of a list: streamed to the caller when the list is top-level, else kept. The memory of a
  /// streamed element that the caller did not keep, and that holds no anchor, is used again.
  void attach_element(Frame& parent, Node* node) {
    Node& p = *parent.node;
    ++parent.index;
    bool stream = m_on_element && m_stack.size() == 2 && m_stack[0].node->type == Type::mapping;
    if (!stream) {
      m_items.push_back(node);
      add_size(p, node->expanded);
      return;
    }
    // The element's own owner (which owns the document): still shared after the call if the caller kept
    // it, and then the next element gets a new one.
    if (!m_element_owner || m_element_owner.use_count() > 1)
      m_element_owner = std::make_shared<std::shared_ptr<Document>>(m_doc);
    m_on_element(m_stack[0].pending_key ? m_stack[0].pending_key->text : std::string_view(), parent.index - 1,
                 NodePtr(m_element_owner, node));
    ++p.streamed;
    if (m_element_owner.use_count() == 1 && m_anchor_defs == m_element_anchors) m_doc->arena.rewind(m_element_start);
    m_element_start = m_doc->arena.position();
    m_element_anchors = m_anchor_defs;
  }

  /// The line of the first entry of the mapping being read with key `text`, or 0.
  std::uint32_t find_key(const Frame& f, std::string_view text) const {
    if (m_entries.size() - f.first > k_scan_keys) {
      auto it = f.keys.find(text);
      return it == f.keys.end() ? 0 : it->second;
    }
    if ((f.key_bits & key_bit(text)) == 0) return 0;  // no key of the mapping can be `text`
    for (std::size_t i = f.first; i < m_entries.size(); ++i)
      if (m_entries[i].first->text == text) return m_entries[i].first->mark.line;
    return 0;
  }

  /// Adds an entry to the mapping being read (its key not there yet).
  void add_entry(Frame& f, const Node* key, const Node* value) {
    m_entries.emplace_back(key, value);
    f.key_bits |= key_bit(key->text);
    std::size_t n = m_entries.size() - f.first;
    if (n == k_scan_keys + 1)
      for (std::size_t i = f.first; i < m_entries.size(); ++i)
        f.keys.emplace(m_entries[i].first->text, m_entries[i].first->mark.line);
    else if (n > k_scan_keys + 1)
      f.keys.emplace(key->text, key->mark.line);
  }

  /// A key of a mapping: complex and duplicate keys are reported, and their values skipped.
  void attach_key(Frame& parent, const Node* node) {
    if (!node->is_scalar()) {
      m_diags.error("complex-key", m_file, node->mark, "a key must be a plain value, not a list or mapping");
      parent.pending_key = m_doc->arena.make<Node>();
      parent.skip_value = true;
      return;
    }
    std::uint32_t first = find_key(parent, node->text);
    if (!first && node->text == "<<") first = parent.merge_line;
    if (first) {
      m_diags.error("duplicate-key", m_file, node->mark,
                    fmt::format("duplicate key '{}' (first at line {}); YAML forbids duplicate keys", node->text,
                                first),
                    "remove one of them: tandem will not guess which one you meant");
      parent.skip_value = true;
    }
    parent.pending_key = node;
  }

  /// The value of the pending key of a mapping.
  void attach_value(Frame& parent, const Node* node) {
    const Node& key = *parent.pending_key;
    if (!parent.skip_value && key.style == Style::plain && key.text == "<<") {
      // A merge key: its mappings are merged when the mapping ends, so that explicit keys written
      // after it still win.
      if (node->type == Type::sequence)
        for (const Node* item : node->items) parent.merges.emplace_back(item, key.mark);
      else
        parent.merges.emplace_back(node, key.mark);
      parent.merge_line = key.mark.line;
      parent.pending_key = nullptr;
      return;
    }
    if (!parent.skip_value) {
      add_entry(parent, parent.pending_key, node);
      add_size(*parent.node, node->expanded + 1);
    }
    parent.skip_value = false;
    parent.pending_key = nullptr;
  }

  /// Adds the entries of the mappings named by merge keys that the mapping does not have (YAML 1.1:
  /// explicit keys win, then the earliest mapping). False to stop (a merge of a non-mapping).
  bool merge(Frame& f, Mark mark) {
    Node& n = *f.node;
    for (const auto& [source, at] : f.merges) {
      if (source->type != Type::mapping)
        return fail("bad-merge", at,
                    fmt::format("a merge key '<<' takes a mapping or a list of mappings, not {}", describe(*source)),
                    "write '<<: *anchor' with an anchor on a mapping");
      for (const auto& [k, v] : source->entries) {
        if (k->text == "<<" || find_key(f, k->text)) continue;
        add_entry(f, k, v);
        ++n.merged;
        m_alias_nodes += v->expanded + 1;
        add_size(n, v->expanded + 1);
      }
    }
    if (m_alias_nodes > m_limits.max_alias_nodes)
      return fail("alias-limit", mark,
                  fmt::format("aliases expand to more than {} nodes; tandem refuses alias bombs", m_limits.max_alias_nodes),
                  "use fewer aliases, or raise the limit with --max-alias-nodes");
    return true;
  }

  /// The byte offset of libyaml's character index `index` (marks count characters, not bytes). Marks
  /// come nearly in order, so a cursor that walks from the last one is cheap.
  std::size_t byte_of(std::size_t index) { return m_offset0 + text_byte_of(index); }
  std::size_t text_byte_of(std::size_t index) {
    if (m_ascii) return std::min(index, m_text.size());  // one byte per character
    auto cont = [&](std::size_t b) { return b < m_text.size() && (static_cast<unsigned char>(m_text[b]) & 0xC0) == 0x80; };
    while (m_char < index && m_byte < m_text.size()) {
      ++m_byte;
      while (cont(m_byte)) ++m_byte;
      ++m_char;
    }
    while (m_char > index && m_byte > 0) {
      --m_byte;
      while (m_byte > 0 && cont(m_byte)) --m_byte;
      --m_char;
    }
    return m_byte;
  }

  // A mapping with more keys looks them up in a hash map; fewer are scanned (a record has up to 21 fields).
  static constexpr std::size_t k_scan_keys = 32;

  ParserGuard m_pg;
  std::uint32_t m_line0 = 0;    // lines of the whole text before the part parsed (Origin)
  std::size_t m_offset0 = 0;    // bytes of the whole text before the part parsed (Origin)
  std::size_t m_char = 0, m_byte = 0;  // byte_of's cursor: a character index and its byte offset
  bool m_ascii = false;                // the text is ASCII: character indexes are byte offsets
  std::string_view m_text;
  const std::string& m_file;
  Diagnostics& m_diags;
  const Limits& m_limits;
  const ElementCallback& m_on_element;
  std::shared_ptr<Document> m_doc;
  std::vector<Frame> m_stack;
  std::vector<const Node*> m_items;  // the elements of the lists being read, innermost last
  std::vector<Entry> m_entries;      // the entries of the mappings being read, innermost last
  std::unordered_map<std::string, Node*> m_anchors;
  std::size_t m_anchor_defs = 0;      // anchors defined so far
  Arena::Position m_element_start;    // where the streamed element being read starts in the arena
  std::shared_ptr<std::shared_ptr<Document>> m_element_owner;  // what the streamed elements' NodePtrs share
  std::size_t m_element_anchors = 0;  // anchors defined before it
  Node* m_root = nullptr;
  std::size_t m_documents = 0;
  std::size_t m_alias_nodes = 0;
};

}  // namespace

Type plain_type(std::string_view text) {
  Node n;
  n.text = text;
  resolve_plain(n);
  return n.type;
}

NodePtr parse(std::string_view text, const std::string& file, Diagnostics& diags, const Limits& limits,
              const ElementCallback& on_element, Origin origin) {
  return Parser(text, file, diags, limits, on_element, origin).run();
}

}  // namespace tandem::yaml
