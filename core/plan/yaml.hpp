#pragma once
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/diagnostic.hpp"

namespace tandem::yaml {

/// Node types after YAML 1.2 core-schema resolution (quoted scalars are always strings).
enum class Type : std::uint8_t { null, boolean, integer, real, string, sequence, mapping };

/// How a node was written: scalars plain, quoted ('' or "") or as a block (| or >); collections as a
/// block or in flow style ([…] or {…}).
enum class Style : std::uint8_t { plain, quoted, block_scalar, block, flow };

struct Node;
/// A node of a parsed document. It keeps the whole document alive: every node of a document lives in
/// the document's one arena, and a node's children are plain pointers into it.
using NodePtr = std::shared_ptr<const Node>;
/// A mapping entry: key and value.
using Entry = std::pair<const Node*, const Node*>;

/// One YAML node with its position. Aliases share the anchored node (never copied). Nodes are made only
/// by `parse`, in the document's arena; the text and children they point to live there too.
struct Node {
  Type type = Type::null;
  Style style = Style::plain;
  bool boolean = false;
  std::uint32_t merged = 0;  ///< mappings: the last `merged` entries come from merge keys (`<<`), not the text
  Mark mark;
  std::string_view text;     ///< scalar text as written (after YAML unescaping)
  double number = 0;         ///< value of an integer or real (may be infinite when out of range)
  std::span<const Node* const> items;  ///< sequence elements
  std::span<const Entry> entries;      ///< mapping entries, file order, no duplicates
  std::size_t streamed = 0;  ///< sequence elements handed to the element callback instead of `items`
  std::size_t expanded = 1;  ///< number of nodes below and including this one, aliases expanded
  /// Byte offsets into the parsed text (a BOM counted): where the node starts, and where a scalar or a
  /// flow collection ends (after its closing quote or bracket). A block collection's `end` is where its
  /// last element ends (the editing commands splice text at these offsets).
  std::size_t begin = 0, end = 0;

  bool is_scalar() const { return type != Type::sequence && type != Type::mapping; }
  bool is_number() const { return type == Type::integer || type == Type::real; }
  /// The value of a mapping entry with this key, or nullptr.
  const Node* get(std::string_view key) const;
  /// A node is never deleted on its own (its arena frees it): `NodePtr(raw)` does not compile. A NodePtr
  /// to a child shares its document: `NodePtr(parent_ptr, child)`.
  static void operator delete(void*) = delete;
};

/// A readable name of a node's type for messages ("a string", "a list", …).
std::string_view describe(const Node& node);

/// The type the YAML 1.2 core schema gives the plain (unquoted) scalar `text`.
Type plain_type(std::string_view text);

/// Limits that protect against hostile input; exceeding one is an error diagnostic.
struct Limits {
  std::size_t max_depth = 64;               ///< nesting of lists and mappings
  std::size_t max_alias_nodes = 1'000'000;  ///< nodes added by expanding aliases, per file
};

/// Receives each element of a top-level list (the value of `list_key` in the root mapping),
/// in order, `index` 0-based. Elements passed here are not kept in the tree; the memory of one the
/// callback does not keep (no copy of `element` outlives the call) is used again for the next.
using ElementCallback = std::function<void(std::string_view list_key, std::size_t index, const NodePtr& element)>;

/// Where `text` starts in a larger text when `parse` reads a part of it: the nodes' marks and offsets, and
/// the diagnostics' marks, are then those of the whole text. `line` is the part's first line (1-based) and
/// `offset` its first byte; the part starts a line (its columns are the whole text's) and holds no BOM.
struct Origin {
  std::uint32_t line = 1;
  std::size_t offset = 0;
};

/// Parses one YAML document. Syntax errors, duplicate keys, unsupported tags, unknown aliases and
/// exceeded limits become diagnostics for `file`; returns the root or nullptr when the file is empty
/// or could not be parsed. With `on_element`, elements of top-level lists are streamed to it.
/// Merge keys (`<<: *a`, `<<: [*a, *b]`) are read as YAML 1.1 defines them: the mappings' entries are
/// added after the explicit ones, explicit keys win, and an earlier mapping of the list wins.
NodePtr parse(std::string_view text, const std::string& file, Diagnostics& diags, const Limits& limits = {},
              const ElementCallback& on_element = {}, Origin origin = {});

}  // namespace tandem::yaml
