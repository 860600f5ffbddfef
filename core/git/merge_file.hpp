#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/git/repository.hpp"

/// The semantic merge of one plan file (SPEC section 13): what `tandem merge-driver run` does with the
/// three versions git hands it. Records and fields merge by `history::merge`'s three-way rule, and the
/// result is our text with their changes spliced in by the editing machinery (core/plan/edit).
namespace tandem::merge_file {

/// How a merge ended.
enum class Status {
  clean,       ///< merged; `text` parses and passes the file's own checks
  conflict,    ///< `text` holds conflict markers (or breaks the file's checks); `conflicts` says what
  unparsable,  ///< a version does not parse, or the file's layout is one the driver does not splice
               ///< (a list in flow style, duplicate ids): merge it line by line (`line_merge`)
};

/// What merging three versions of a file gave.
struct Outcome {
  Status status = Status::clean;
  std::string text;                   ///< the merged text (empty when unparsable)
  std::vector<std::string> conflicts; ///< "path:line:column: conflict: …" with how to resolve it, in file order
  std::vector<std::string> warnings;  ///< findings across records that `check` should look at, and why unparsable
};

/// Merges `theirs` into `ours` given their common ancestor `base` (empty: none, an add/add merge).
/// `path` names the file in messages; `marker_size` is the length of the conflict markers (git's %L).
/// The kind comes from the top-level key: `items`, `milestones`, `risks`, or `version` (tandem.yaml).
Outcome merge(std::string_view base, std::string_view ours, std::string_view theirs, const std::string& path,
              int marker_size = 7);

/// git's line merge of the three files (`git merge-file` with the marker size), written into
/// `ours_path`: what the driver falls back to. Returns git's exit code (0 clean, >0 conflicts). Throws
/// tandem::Error when git cannot be run.
int line_merge(const std::string& base_path, const std::string& ours_path, const std::string& theirs_path,
               const std::string& path, int marker_size);

/// The name of the driver in git's configuration (`merge.tandem.*`) and in `.gitattributes`.
inline constexpr const char* k_driver = "tandem";

/// What `install` wrote (both empty: it was all there).
struct Installed {
  std::string attributes;             ///< the .gitattributes file, absolute
  std::vector<std::string> lines;     ///< lines added to it
  std::vector<std::string> settings;  ///< "name = value" set in git's configuration
};

/// Adds `/PATTERN merge=tandem` to the `.gitattributes` at the work tree's root for each of `patterns`
/// (repository-relative paths or globs) that has no such line, and sets `merge.tandem.name` and
/// `merge.tandem.driver` (`command`, which git runs with %O %A %B %P %L) in the repository's
/// configuration (`global`: the user's) where they differ. Throws tandem::Error when a file cannot be
/// written or the repository has no work tree.
Installed install(const git::Repository& repo, const std::vector<std::string>& patterns, const std::string& command,
                  bool global);

}  // namespace tandem::merge_file
