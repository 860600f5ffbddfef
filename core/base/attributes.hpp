#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/base/source.hpp"

namespace tandem::attributes {

/// One `.gitattributes` line that gives a path an attribute which changes the bytes a checkout writes
/// (`working-tree-encoding`, `filter`, `ident`): the file people work from is then not the blob that
/// tandem reads from history.
struct Unsafe {
  std::string path;       ///< the plan file
  std::string attribute;  ///< "working-tree-encoding=SHIFT-JIS", "filter=x", "ident"
  std::string file;       ///< the .gitattributes that says so
  std::size_t line = 0;   ///< its line (1-based)
};

/// What `.gitattributes` files of `source` (at the root and in every directory on the way to each
/// path) give `paths`, by git's rules: patterns without a slash match the name, others the path from
/// the file's directory (`*`, `?`, `[...]`, `**`); deeper files and later lines win; macros (`[attr]`,
/// read from the root file only, and `binary`) expand when set. The working tree's `.git/info/attributes`
/// and the user's global attributes are not read: they are not part of the repository.
class Checker {
public:
  /// `on_read` is told the size of each `.gitattributes` read (the history budget counts them too).
  explicit Checker(const Source& source, std::function<void(std::size_t)> on_read = {})
      : m_source(source), m_on_read(std::move(on_read)) {}
  /// The attributes of `path` that change what a checkout writes; empty when none does.
  std::vector<Unsafe> unsafe(const std::string& path);
  /// The lines that set, unset or unspecify `working-tree-encoding`, `filter` or `ident` (directly or
  /// through a macro) for any of `paths`, one per line as "dir/.gitattributes: pattern attr…", sorted:
  /// what the audit compares between versions. Empty when no line does.
  std::string canonical(const std::vector<std::string>& paths);

private:
  struct Line {
    std::string pattern;
    std::vector<std::string> attrs;  ///< as written: "name", "-name", "!name", "name=value"
    std::size_t number = 0;
  };
  struct File {
    std::string path;  ///< "dir/.gitattributes"
    std::string dir;   ///< "" at the root
    std::vector<Line> lines;
  };
  const File& file(const std::string& dir);
  /// The files that apply to `path`, root first.
  std::vector<const File*> files_for(const std::string& path);
  /// The attributes `attr` stands for (itself, or a macro's expansion, recursively).
  void expand(const std::string& attr, std::vector<std::string>& out, int depth) const;

  const Source& m_source;
  std::function<void(std::size_t)> m_on_read;
  std::map<std::string, File> m_files;  ///< by directory, read once (a map: pointers to its files stay valid)
  std::vector<std::pair<std::string, std::vector<std::string>>> m_macros;
  bool m_macros_read = false;
};

/// Whether a `.gitattributes` pattern matches `path` (relative to the file's directory `dir`).
bool matches(const std::string& pattern, const std::string& dir, const std::string& path);

}  // namespace tandem::attributes
