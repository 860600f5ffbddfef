#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

/// Edit distance (optimal string alignment: adjacent transpositions count 1) between two strings.
std::size_t edit_distance(std::string_view a, std::string_view b);
/// The candidate closest to `word` if it is close enough to be a likely typo, else empty. A candidate
/// that differs from `word` only in digits (`M1` for `M4`) is another record, never a typo.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
/// "did you mean 'x'?" for the closest candidate, or empty.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
/// Joins with a separator.
std::string join(const std::vector<std::string>& parts, std::string_view sep);
/// Lower-cases ASCII letters.
std::string ascii_lower(std::string_view s);
/// Shortens a value for a message: at most `max` bytes, with "…" when cut (never splits UTF-8).
std::string ellipsize(std::string_view s, std::size_t max = 60);
/// Terminal columns of UTF-8 text: 2 for East Asian wide and fullwidth characters and emoji, 0 for combining
/// marks, 1 for every other character (ASCII control characters included) and for each byte that is not UTF-8.
std::size_t display_width(std::string_view s);
/// Shortens text for a table cell: at most `max` columns (by display_width), with "…" when cut; cuts only
/// between characters as a terminal shows them (an emoji with its modifiers, a letter with its accents).
std::string ellipsize_columns(std::string_view s, std::size_t max);

}  // namespace tandem

namespace tandem {
/// A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
std::string csv_field(std::string_view s);
/// Text escaped for XML, HTML and SVG (&, <, >, ", ' and control characters).
std::string xml_escape(std::string_view s);
/// Text safe in a GitHub-flavoured markdown table cell, and inert: text that could be markup (links,
/// images, HTML, emphasis, @mentions, #references, autolinks, math) becomes a code span (markdown_code,
/// pipes escaped as a table needs); other text stays as it is, line breaks as `<br>`. Control
/// characters are shown as escape_control does.
std::string markdown_cell(std::string_view s);
/// Text as an inline code span that nothing inside can end: a fence of one backtick more than the
/// longest run in it, padded with spaces where CommonMark would strip or join them; pipes escaped as
/// `\|` when `in_table` (GFM reads the escape first there). Control characters as escape_control shows
/// them; "" for empty text.
std::string markdown_code(std::string_view s, bool in_table = false);
}  // namespace tandem

namespace tandem {
/// Text safe to print on a terminal or in a CI log: control characters (C0, DEL, C1) and the
/// Unicode bidirectional controls are shown as escapes (`\n`, `\t`, `\x1b`, `\u202e`), so a title
/// from a pull request cannot move the cursor, colour the log, start a line of its own (a GitHub
/// workflow command) or reorder what the reader sees. Other text is unchanged.
std::string escape_control(std::string_view s);
}  // namespace tandem
