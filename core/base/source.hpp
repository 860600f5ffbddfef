#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tandem {

/// What a path names, without following a symbolic link.
enum class EntryType { none, file, directory, link, other };

/// Where plan files are read from: the working tree, or a git revision. Paths are relative to the
/// repository root, with '/' separators. Every side reads by the same rule (`glob`, `link_on`): a
/// symbolic link is never followed, and a glob never matches a leading dot.
class Source {
public:
  virtual ~Source() = default;
  /// The file's bytes, or nullopt when it does not exist. Throws tandem::Error when it exists but
  /// is not a regular file (a link, a directory…), cannot be read, or is larger than `max_bytes`.
  virtual std::optional<std::string> read(const std::string& path, std::size_t max_bytes) const = 0;
  /// What `path` is, not following a link at its end (callers check the way there with `link_on`).
  /// Throws tandem::Error when that cannot be told (permission denied).
  virtual EntryType type(const std::string& path) const = 0;
  /// The names in a directory ("" is the root) and what each is, links not followed; empty when the
  /// directory does not exist. Throws tandem::Error when it exists but cannot be listed.
  virtual std::vector<std::pair<std::string, EntryType>> list(const std::string& dir) const = 0;

  /// Files, symbolic links and other entries that are not directories (a submodule) matching a glob, sorted. `*`, `?` and `[...]` match within one path
  /// segment and never a leading dot; a link where the pattern needs a directory is a match itself
  /// (so that it is reported, not silently passed by). Directories are not followed through links.
  std::vector<std::string> glob(const std::string& pattern) const;
  /// The first part of `path` (itself included) that is a symbolic link, or nullopt when none is.
  std::optional<std::string> link_on(const std::string& path) const;
};

/// Why a plan file is refused (`unsafe-path`): `path` is, or goes through, the symbolic link `link`.
std::string link_refusal(const std::string& path, const std::string& link);
/// The hint that goes with it.
inline constexpr const char* k_link_hint =
    "plan files are read as regular files only, never through a symbolic link (in the working tree as in history)";

/// Whether a glob segment matches a name by the rule of `Source::glob`.
bool glob_match(const std::string& segment, const std::string& name);

/// Reads from a directory on disk.
class WorkTreeSource : public Source {
public:
  /// `root` is an absolute directory: the repository's top level, or the config's directory.
  explicit WorkTreeSource(std::string root);
  std::optional<std::string> read(const std::string& path, std::size_t max_bytes) const override;
  EntryType type(const std::string& path) const override;
  std::vector<std::pair<std::string, EntryType>> list(const std::string& dir) const override;

private:
  std::string m_root;
};

}  // namespace tandem
