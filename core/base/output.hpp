#pragma once
#include <string>
#include <string_view>

namespace tandem {

/// Writes `bytes` to `path` (an output file such as `report -o`): to a new temporary file in the
/// same directory, then renamed over `path`. A symbolic link at `path` is replaced, never followed,
/// and no reader sees half a file. The file gets mode 0666 less the umask. Throws tandem::Error
/// with the system's reason when the file cannot be written.
void write_file_atomically(const std::string& path, std::string_view bytes);

/// Replaces the plan file `path` with `bytes`, as the editing commands do: a temporary file in the same
/// directory, with the file's own mode, renamed over it. Throws tandem::Error (nothing written) when
/// `path` is a symbolic link or not a regular file, is read-only, or no longer holds `expected` (it
/// changed on disk since it was read), or cannot be written.
void replace_plan_file(const std::string& path, std::string_view bytes, std::string_view expected);

/// `path` with its directory resolved (links followed) but its last component kept as written:
/// the file that `write_file_atomically` would replace.
std::string output_target(const std::string& path);

}  // namespace tandem
