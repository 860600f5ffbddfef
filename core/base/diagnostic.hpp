#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

/// A position in a file, 1-based; line 0 means "the whole file / unknown".
struct Mark {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  friend bool operator==(const Mark&, const Mark&) = default;
};

enum class Severity { error, warning };

/// One finding about the user's files: never thrown, always collected.
struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;     ///< stable kebab-case id, e.g. "unknown-key"
  std::string file;     ///< path relative to the repository root (or the config's directory)
  Mark mark;
  std::string message;
  std::string hint;     ///< optional, e.g. "did you mean 'value'?"
};

/// Collects diagnostics in the order they are found; `sorted()` orders them by file and line.
class Diagnostics {
public:
  void add(Severity severity, std::string code, std::string file, Mark mark, std::string message,
           std::string hint = {});
  void error(std::string code, std::string file, Mark mark, std::string message, std::string hint = {}) {
    add(Severity::error, std::move(code), std::move(file), mark, std::move(message), std::move(hint));
  }
  void warning(std::string code, std::string file, Mark mark, std::string message, std::string hint = {}) {
    add(Severity::warning, std::move(code), std::move(file), mark, std::move(message), std::move(hint));
  }
  void append(const Diagnostics& other);
  /// Number of errors (not warnings) so far.
  std::size_t error_count() const { return m_errors; }
  bool has_errors() const { return m_errors > 0; }
  std::size_t size() const { return m_items.size(); }
  const std::vector<Diagnostic>& items() const { return m_items; }
  /// All diagnostics ordered by file, line, column, then the order they were found; files that could not
  /// be read to the end (stops_parsing) come first.
  std::vector<Diagnostic> sorted() const;

private:
  std::vector<Diagnostic> m_items;
  std::size_t m_errors = 0;
};

/// `file:line:col: severity: message [code]` (and `  hint: …` on a second line when set), with
/// control characters in the file, message and hint escaped (escape_control).
std::string format_diagnostic(const Diagnostic& d);

}  // namespace tandem
