#pragma once
#include <string>
#include <string_view>

namespace tandem {

/// Writes `bytes` to `path` (an output file such as `report -o`): to a new temporary file in the
/// same directory, then renamed over `path`. A symbolic link at `path` is replaced, never followed,
/// and no reader sees half a file. The file gets mode 0666 less the umask. Throws tandem::Error
/// with the system's reason when the file cannot be written.
void write_file_atomically(const std::string& path, std::string_view bytes);

/// `path` with its directory resolved (links followed) but its last component kept as written:
/// the file that `write_file_atomically` would replace.
std::string output_target(const std::string& path);

}  // namespace tandem
