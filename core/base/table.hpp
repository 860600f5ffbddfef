#pragma once
#include <string>
#include <vector>

namespace tandem {

/// A table of text cells, rendered as aligned text, CSV or GitHub-flavoured markdown.
struct Table {
  std::vector<std::string> headers;
  std::vector<bool> right;  ///< right-align this column in text (numbers)
  std::vector<std::vector<std::string>> rows;

  /// Columns padded to the widest cell (by UTF-8 code points), two spaces apart, no trailing blanks.
  std::string text() const;
  /// RFC 4180 CSV with a header row.
  std::string csv() const;
  /// A markdown table (cells escaped).
  std::string markdown() const;
};

/// Display width of UTF-8 text in code points (a fair approximation for tables).
std::size_t display_width(const std::string& s);
/// A number with at most `decimals` decimals, trailing zeros removed ("2.5", "3", "0.33").
std::string format_number(double value, int decimals = 2);

}  // namespace tandem
