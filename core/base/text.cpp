#include "core/base/text.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <utf8proc.h>

namespace tandem {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: insertions, deletions, substitutions and adjacent transpositions.
  const std::size_t w = b.size() + 1;
  std::vector<std::size_t> d((a.size() + 1) * w);
  for (std::size_t i = 0; i <= a.size(); ++i) d[i * w] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i * w + j] = std::min({d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i * w + j] = std::min(d[i * w + j], d[(i - 2) * w + j - 2] + 1);
    }
  }
  return d[a.size() * w + b.size()];
}

namespace {

/// True when `a` and `b` have the same length and differ only where both hold a digit: `M4` and
/// `M1` are two numbered records, not a typo of each other.
bool differs_only_in_digits(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  bool differs = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    if (a[i] < '0' || a[i] > '9' || b[i] < '0' || b[i] > '9') return false;
    differs = true;
  }
  return differs;
}

}  // namespace

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 64) return {};
  std::string best;
  std::size_t best_d = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3));
  bool found = false;
  for (const auto& c : candidates) {
    if (differs_only_in_digits(word, c)) continue;
    std::size_t d = edit_distance(ascii_lower(word), ascii_lower(c));
    if (d <= best_d && (!found || d < best_d)) {
      best = c;
      best_d = d;
      found = true;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string c = closest(word, candidates);
  return c.empty() ? std::string{} : "did you mean '" + c + "'?";
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string ellipsize(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "…";
}

namespace {

constexpr utf8proc_int32_t k_emoji_presentation = 0xFE0F;

/// True for the letters that make flags in pairs (🇯🇵), which utf8proc counts one column each.
bool regional_indicator(utf8proc_int32_t cp) { return cp >= 0x1F1E6 && cp <= 0x1F1FF; }

/// One character as a terminal shows it (an extended grapheme cluster): bytes [begin, end) and columns.
struct Cluster {
  std::size_t begin = 0, end = 0, width = 0;
};

/// Calls `f` with each cluster of `s`, in order.
template <class F>
void for_each_cluster(std::string_view s, F&& f) {
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  Cluster c;
  utf8proc_int32_t previous = -1;
  utf8proc_int32_t state = 0;
  for (std::size_t at = 0; at < s.size();) {
    utf8proc_int32_t cp = -1;
    auto n = utf8proc_iterate(bytes + at, static_cast<utf8proc_ssize_t>(s.size() - at), &cp);
    bool valid = n > 0;
    std::size_t len = valid ? static_cast<std::size_t>(n) : 1;
    bool ascii = previous >= 0 && previous < 0x80 && cp >= 0 && cp < 0x80;
    if (!valid || previous < 0 || ascii || utf8proc_grapheme_break_stateful(previous, cp, &state)) {
      if (c.end > c.begin) f(c);
      c = Cluster{at, at, cp < 0x80 ? 1u : static_cast<std::size_t>(std::max(0, utf8proc_charwidth(cp)))};
      state = 0;
    } else if (cp == k_emoji_presentation || regional_indicator(cp)) {
      c.width = 2;  // an emoji shown as a picture, or a flag
    }
    c.end = at + len;
    previous = valid ? cp : -1;
    at += len;
  }
  if (c.end > c.begin) f(c);
}

}  // namespace

std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for_each_cluster(s, [&](const Cluster& c) { n += c.width; });
  return n;
}

std::string ellipsize_columns(std::string_view s, std::size_t max) {
  std::size_t width = 0, cut = 0;
  bool fits = true;
  for_each_cluster(s, [&](const Cluster& c) {
    if (fits && width + c.width <= max) width += c.width, cut = c.end;
    else fits = false;
  });
  return fits ? std::string(s) : std::string(s.substr(0, cut)) + "…";
}

}  // namespace tandem

namespace tandem {

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    // U+FFFE and U+FFFF are no XML characters (XML 1.0, 2.2): the replacement character stands for them.
    if (c == '\xEF' && s.substr(i, 2) == "\xEF\xBF" && i + 2 < s.size() && (s[i + 2] == '\xBE' || s[i + 2] == '\xBF')) {
      out += "\xEF\xBF\xBD";
      i += 2;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += ' ';
        else out += c;
    }
  }
  return out;
}

namespace {
/// Whether text could be read as markdown markup (or an autolink, a mention, a reference).
bool could_be_markup(std::string_view s) {
  // Brackets alone make no link: a link or an image needs "](", "][" or a definition "]:". Pipes and
  // angle brackets are escaped in plain cells (`\|`, `&lt;`), which no renderer reads as markup.
  for (char c : s)
    if (std::string_view("`*_~@#$").find(c) != std::string_view::npos) return true;
  for (std::string_view t : {"](", "][", "]:", "![", "://", "www.", "mailto:"})
    if (s.find(t) != std::string_view::npos) return true;
  return s.starts_with("[");
}
}  // namespace

std::string markdown_code(std::string_view s, bool in_table) {
  std::string text = escape_control(s);
  if (text.empty()) return "";
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  bool pad = text.front() == '`' || text.back() == '`' || (text.front() == ' ' && text.back() == ' ');
  std::string out = fence + (pad ? " " : "");
  for (char c : text) out += in_table && c == '|' ? std::string("\\|") : std::string(1, c);
  return out + (pad ? " " : "") + fence;
}

std::string markdown_cell(std::string_view s) {
  if (could_be_markup(s)) return markdown_code(s, true);
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += "<br>";
    else if (c == '\r') continue;
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return escape_control(out);  // markdown is read on terminals too: the other controls as visible escapes
}

}  // namespace tandem

namespace tandem {

std::string escape_control(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    auto next = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else if (c == 0xc2 && next(1) >= 0x80 && next(1) <= 0x9f) {  // C1 controls, U+0080..U+009F
      out += fmt::format("\\u{:04x}", next(1));
      ++i;
    } else if (c == 0xe2 && ((next(1) == 0x80 && next(2) >= 0xaa && next(2) <= 0xae) ||  // U+202A..U+202E
                             (next(1) == 0x81 && next(2) >= 0xa6 && next(2) <= 0xa9))) { // U+2066..U+2069
      out += fmt::format("\\u{:04x}", ((next(1) & 0x3fu) << 6 | (next(2) & 0x3fu)) | 0x2000u);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace tandem
