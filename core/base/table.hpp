#pragma once
#include <string>
#include <vector>

#include "core/base/text.hpp"

namespace tandem {

/// A table of text cells, rendered as aligned text, CSV or GitHub-flavoured markdown.
struct Table {
  std::vector<std::string> headers;
  std::vector<bool> right;  ///< right-align this column in text (numbers)
  std::vector<std::vector<std::string>> rows;

  /// Columns padded to the widest cell (by display_width: CJK and emoji take two columns), two spaces apart, no
  /// trailing blanks; control characters in cells shown as escapes (escape_control).
  std::string text() const;
  /// RFC 4180 CSV with a header row.
  std::string csv() const;
  /// A markdown table (cells escaped).
  std::string markdown() const;
};

/// `value` rounded to `decimals` decimals, half away from zero on its shortest decimal form (33/8 =
/// 4.125 → 4.13, 2.675 → 2.68), as people round; the one rounding rule of every format.
double round_decimal(double value, int decimals);
/// A number with at most `decimals` decimals (round_decimal), trailing zeros removed ("2.5", "3", "0.33").
std::string format_number(double value, int decimals = 2);

}  // namespace tandem
