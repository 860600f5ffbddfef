#pragma once
#include <string>
#include <utility>
#include <vector>

namespace tandem::init {

/// The files of a small, valid, commented starter plan: (path relative to the target directory,
/// content). Includes the JSON Schemas under `.tandem/schemas/` that the modelines point at.
std::vector<std::pair<std::string, std::string>> starter_files();

}  // namespace tandem::init
