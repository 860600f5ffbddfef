#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/diagnostic.hpp"

namespace tandem::render {

enum class Format { text, json, csv, markdown, github, sarif, html, gitlab, junit, yaml };
/// Every format, in the order of the enum (the order help and completions list them).
inline constexpr Format k_all_formats[] = {Format::text,   Format::json, Format::csv,    Format::markdown, Format::github,
                                           Format::sarif,  Format::html, Format::gitlab, Format::junit, Format::yaml};

/// Parses a --format name; nullopt when unknown.
std::optional<Format> parse_format(std::string_view name);
std::string_view format_name(Format format);

struct FindingsOptions {
  bool color = false;        ///< ANSI colours in text
  bool quiet = false;        ///< text: errors only, no summary line
  std::size_t files = 0;     ///< number of files read (or commits judged), for the summary
  std::string_view unit = "file";  ///< what `files` counts: "file", or "commit" for audit
};

/// Renders sorted findings (check, audit) in a format; the result ends with a newline when not empty.
/// `gitlab` is GitLab's Code Quality report (with stable fingerprints); `junit` is JUnit XML.
std::string findings(const std::vector<Diagnostic>& sorted, Format format, const FindingsOptions& options);

/// A markdown summary of findings for $GITHUB_STEP_SUMMARY, cut to stay under `max_bytes`.
std::string step_summary(const std::vector<Diagnostic>& sorted, const std::string& title, std::size_t files,
                         std::string_view unit = "file", std::size_t max_bytes = 1u << 20);

}  // namespace tandem::render
