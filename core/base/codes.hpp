#pragma once
#include <span>
#include <string_view>

namespace tandem {

/// A diagnostic code with its one-line description (used for SARIF rules and documentation).
struct CodeInfo {
  std::string_view code;
  std::string_view description;
};

/// Every diagnostic code tandem emits, in documentation order.
std::span<const CodeInfo> diagnostic_codes();
/// Whether a finding with this code means its file could not be read to the end (a syntax error and
/// the like): such a finding is the first cause of everything else about that file.
bool stops_parsing(std::string_view code);
/// The description of a code, or an empty view.
std::string_view describe_code(std::string_view code);

}  // namespace tandem
