#pragma once
#include <optional>
#include <string>
#include <vector>

namespace tandem {

/// Where plan files are read from: the working tree, or (later) a git revision. Paths are relative
/// to the repository root, with '/' separators, already checked to stay inside it.
class Source {
public:
  virtual ~Source() = default;
  /// The file's bytes, or nullopt when it does not exist. Throws tandem::Error when it exists but
  /// cannot be read, or is larger than `max_bytes`.
  virtual std::optional<std::string> read(const std::string& path, std::size_t max_bytes) const = 0;
  /// Files matching a glob pattern (`*`, `?`, `[...]` within one path segment), sorted.
  virtual std::vector<std::string> glob(const std::string& pattern) const = 0;
  /// True when the path, after following symbolic links, is still inside the repository.
  virtual bool stays_inside(const std::string& path) const = 0;
};

/// Reads from a directory on disk.
class WorkTreeSource : public Source {
public:
  /// `root` is an absolute directory: the repository's top level, or the config's directory.
  explicit WorkTreeSource(std::string root);
  std::optional<std::string> read(const std::string& path, std::size_t max_bytes) const override;
  std::vector<std::string> glob(const std::string& pattern) const override;
  bool stays_inside(const std::string& path) const override;

private:
  std::string m_root;
  std::string m_real_root;
};

}  // namespace tandem
