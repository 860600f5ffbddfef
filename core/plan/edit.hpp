#pragma once
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/plan/kinds.hpp"
#include "core/plan/yaml.hpp"

/// Editing plan files as text (SPEC section 12): new text is spliced at the byte offsets the parser
/// reported, so that everything an edit does not change (comments, quoting, blank lines, CRLF, a BOM,
/// flow or block style) stays byte for byte. Values are written by yaml-cpp's emitter; reading stays on
/// libyaml (core/plan/yaml).
namespace tandem::edit {

/// An edit that cannot be made: nothing is written, and the command prints `what()` and exits 1.
struct Refused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// An edited text that would not read back as exactly the change asked for: tandem's bug, not the
/// file's (nothing is written; the message asks for a report).
struct Misread : Refused {
  using Refused::Refused;
};

/// A text that does not parse (File's constructor): `where` is "file:line:column", `problem` the
/// parser's message.
struct Unparsable : Refused {
  Unparsable(std::string at, std::string message);
  std::string where, problem;
};

/// A value to write: a typed scalar (number, date, boolean, enum name: written plain), a string
/// (quoted where its plain form would read back as another type), a list or a mapping.
struct Entry;

struct Value {
  enum class Kind { scalar, string, list, map };
  Kind kind = Kind::string;
  std::string text;                                    ///< scalar, string
  std::vector<Value> items;                            ///< list
  std::vector<Entry> entries;                          ///< map, in writing order
  bool block = false;                                  ///< map: written as an indented block by emit_block

  /// The value as the decoder's JSON sees it (numbers as numbers, dates as strings).
  nlohmann::json json() const;
};

/// One key of a map Value (a named struct, not std::pair: pair needs its members complete).
struct Entry {
  std::string key;
  Value value;
};

/// The value `text` given on the command line for a field of type `type`: checked and typed (a
/// number for `value`, a date for `done`…; lists and `rice` as YAML flow text or, for lists, a
/// comma-separated list). Throws Refused with why when it does not fit.
Value parse_value(const kinds::FieldInfo& field, std::string_view text);

/// True when the plain form of `s` reads back as the string `s` itself in tandem's YAML 1.2 core
/// schema and is not a date (so it needs no quotes).
bool plain_is_string(std::string_view s);

/// The YAML text of a value on one line, by yaml-cpp's emitter: strings plain where that reads back
/// as the same string, else double-quoted; lists and mappings in flow style.
std::string emit(const Value& value);

/// The YAML text of a value as an element of a flow collection (`[...]`, `{...}`), where a plain
/// string may not hold `,`, `[`, `]`, `{` or `}`: quoted where it must be there.
std::string emit_in_flow(const Value& value);

/// What goes between two elements of the flow collection `list` at element `k` (the separator between
/// elements k-1 and k, or, past the ends, the nearest one): ", ", or, where the elements there stand on
/// lines of their own, "," then `eol` and the indentation of the element's line.
std::string flow_separator(std::string_view text, const yaml::Node& list, std::string_view eol, std::size_t k);

/// A whole document by yaml-cpp's emitter: maps marked `block` as indented blocks, everything else
/// in flow style, strings quoted as `emit` quotes them; ends with a line break.
std::string emit_block(const Value& value);

/// A new record as block lines: `- key: value` and then `indent + 2` spaces, each line ended by `eol`.
std::string emit_record(const std::vector<std::pair<std::string, Value>>& fields, std::size_t indent,
                        std::string_view eol);

/// Replace bytes [begin, end) of a text by `text`.
struct Splice {
  std::size_t begin = 0, end = 0;
  std::string text;
};

/// `text` with the splices applied (they must not overlap; inserts at one offset keep their order).
std::string apply(std::string_view text, std::vector<Splice> splices);

/// What to do to one field of a record.
struct FieldEdit {
  enum class Op { set, remove, add, subtract };
  std::string field;
  Op op = Op::set;
  Value value;  ///< set: the new value; add, subtract: the element
};

/// One file of records, parsed with positions: the text, its tree and its list.
struct File {
  std::string text;
  yaml::NodePtr root;
  const yaml::Node* list = nullptr;  ///< the sequence of records (nullptr when the list key is absent)
  bool clean = true;                 ///< the parse found nothing, not even a warning

  /// Parses `text` of kind `kind`; throws Refused when it does not parse or has no list of records.
  File(std::string text, const kinds::KindInfo& kind, const std::string& path);
  /// `text` with its tree, parsed before (whole: top-level lists kept) without a finding.
  File(std::string text, yaml::NodePtr root, const kinds::KindInfo& kind, const std::string& path);
  /// `text` alone, its records not parsed (`list` null): for editing one record whose tree the caller has,
  /// its offsets those of `text`. Throws Refused for a line ended by a carriage return alone.
  File(std::string text, const std::string& path);
  /// The index of the record with this id in the list, or npos.
  std::size_t find(std::string_view id) const;
  /// The end-of-line sequence of the file ("\r\n" when its first line ends so).
  std::string_view eol() const;
  /// Each record as canonical JSON, in file order.
  std::vector<nlohmann::json> records() const;
  /// The column (0-based) of the list's dashes: its first record's, or 2 for an empty list.
  std::size_t indent() const;

 private:
  void take_list(const kinds::KindInfo& kind, const std::string& path);
  void check_line_ends(const std::string& path) const;
};

/// True when two nodes hold the same value (types, scalars, entries in order), wherever they were written.
bool same_value(const yaml::Node& a, const yaml::Node& b);

/// The offset where the line holding `pos` starts.
std::size_t line_start(std::string_view text, std::size_t pos);
/// The offset after the line that holds `pos` (its line break included); `pos` itself when it starts a line.
std::size_t line_end(std::string_view text, std::size_t pos);
/// `chunk` with each non-blank line's indentation moved from `from` to `to` columns.
std::string reindent(std::string_view chunk, std::size_t from, std::size_t to);

/// The splices that make `edits` on the record (a mapping of `file`'s list): a scalar's bytes are
/// replaced, a new key line is inserted at the mapping's indentation (or `, key: v` in a flow mapping),
/// a key's line is cut, list elements are added or cut in the list's own style. A field that comes
/// from a merge key is written on the record itself. Throws Refused (e.g. removing an element that is
/// not there).
std::vector<Splice> edit_record(const File& file, const yaml::Node& record, const std::vector<FieldEdit>& edits);

/// `record` (canonical JSON) with `edits` made: what the edited text must decode to.
nlohmann::json expected(nlohmann::json record, const std::vector<FieldEdit>& edits);

/// The bytes of record `index` of a block list: from the first comment line right above it (no blank
/// line between) to the end of its last line. Throws Refused for a list in flow style.
std::pair<std::size_t, std::size_t> record_span(const File& file, std::size_t index);

/// A unified diff of two texts (3 lines of context), with `a/` `b/` headers naming `path`; "" when equal.
std::string unified_diff(std::string_view old_text, std::string_view new_text, const std::string& path);

}  // namespace tandem::edit
