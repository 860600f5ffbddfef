#include "core/base/attributes.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>
#include <set>
#include <string_view>

#include "core/base/error.hpp"

namespace tandem::attributes {

namespace {

constexpr std::array<std::string_view, 3> k_watched = {"working-tree-encoding", "filter", "ident"};
constexpr std::size_t k_max_file = 1u << 20;  ///< a larger .gitattributes is not read (git's own limit is 100 MB)

std::string_view name_of(std::string_view attr) {
  if (!attr.empty() && (attr[0] == '-' || attr[0] == '!')) attr.remove_prefix(1);
  return attr.substr(0, attr.find('='));
}

bool watched(std::string_view attr) {
  return std::find(k_watched.begin(), k_watched.end(), name_of(attr)) != k_watched.end();
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

/// A `[...]` class at `p` (just after '['): whether it matches `c`; `p` is left after the ']'.
bool match_class(std::string_view pattern, std::size_t& p, char c) {
  bool negate = p < pattern.size() && (pattern[p] == '!' || pattern[p] == '^');
  if (negate) ++p;
  bool hit = false;
  for (bool first = true; p < pattern.size() && (first || pattern[p] != ']'); first = false) {
    char lo = pattern[p] == '\\' && p + 1 < pattern.size() ? pattern[++p] : pattern[p];
    ++p;
    char hi = lo;
    if (p + 1 < pattern.size() && pattern[p] == '-' && pattern[p + 1] != ']') {
      hi = pattern[p + 1] == '\\' && p + 2 < pattern.size() ? pattern[p + 2] : pattern[p + 1];
      p += pattern[p + 1] == '\\' ? 3 : 2;
    }
    for (char x : {c, lower(c), upper(c)})  // as a checkout with core.ignorecase (macOS, Windows) matches
      if (x >= lo && x <= hi) hit = true;
  }
  if (p < pattern.size()) ++p;  // the ']'
  return hit != negate && c != '/';
}

enum class Wild { match, no, abort_all, abort_to_starstar };

/// git's wildmatch (dowild) with WM_PATHNAME: `*` and `?` stop at '/', `**` between slashes (or at
/// an end) matches any number of directories. Like git, a `*` that cannot match gives up the whole
/// match (or back to the last `**`), so no pattern takes more than polynomial time. Case-insensitive:
/// a pattern that a checkout on macOS or Windows (core.ignorecase) applies to a plan file counts,
/// though Linux would not apply it.
Wild wildmatch(std::string_view pattern, std::string_view text) {
  std::size_t t = 0;
  for (std::size_t p = 0; p < pattern.size(); ++p, ++t) {
    char c = pattern[p];
    if (t >= text.size() && c != '*') return Wild::abort_all;
    if (c == '?') {
      if (text[t] == '/') return Wild::no;
    } else if (c == '[') {
      ++p;
      if (!match_class(pattern, p, text[t])) return Wild::no;
      --p;  // the loop steps past the ']'
    } else if (c != '*') {
      if (c == '\\' && p + 1 < pattern.size()) c = pattern[++p];
      if (lower(c) != lower(text[t])) return Wild::no;  // case-insensitively, as core.ignorecase checkouts do
    } else {
      std::size_t after = p + 1;
      while (after < pattern.size() && pattern[after] == '*') ++after;
      bool match_slash = false;
      if (after - p >= 2 && (p == 0 || pattern[p - 1] == '/') && (after == pattern.size() || pattern[after] == '/')) {
        // "**/": zero directories first
        if (after < pattern.size() && wildmatch(pattern.substr(after + 1), text.substr(t)) == Wild::match)
          return Wild::match;
        match_slash = true;
      }
      std::string_view rest = pattern.substr(after);
      if (rest.empty())
        return !match_slash && text.substr(t).find('/') != std::string_view::npos ? Wild::abort_to_starstar
                                                                                  : Wild::match;
      for (;; ++t) {
        Wild m = wildmatch(rest, text.substr(t));
        if (m != Wild::no) {
          if (!match_slash || m != Wild::abort_to_starstar) return m;
        } else if (!match_slash && t < text.size() && text[t] == '/') {
          return Wild::abort_to_starstar;
        }
        if (t >= text.size()) return Wild::abort_all;
      }
    }
  }
  return t == text.size() ? Wild::match : Wild::no;
}

/// The pattern of a line (C-quoted or up to white space) and what follows it.
std::pair<std::string, std::string_view> split_pattern(std::string_view line) {
  std::string pattern;
  std::size_t i = 0;
  if (!line.empty() && line[0] == '"') {
    for (i = 1; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        char e = line[++i];
        pattern += e == 't' ? '\t' : e == 'n' ? '\n' : e;
      } else {
        pattern += line[i];
      }
    }
    ++i;
  } else {
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') pattern += line[i++];
  }
  return {pattern, i < line.size() ? line.substr(i) : std::string_view()};
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t b = 0; b < s.size();) {
    std::size_t e = s.find_first_of(" \t\r", b);
    if (e == std::string_view::npos) e = s.size();
    if (e > b) out.emplace_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

}  // namespace

bool matches(const std::string& pattern, const std::string& dir, const std::string& path) {
  std::string_view rel = path;
  if (!dir.empty()) {
    if (!rel.starts_with(dir) || rel.size() <= dir.size() || rel[dir.size()] != '/') return false;
    rel.remove_prefix(dir.size() + 1);
  }
  if (pattern.empty() || pattern.back() == '/') return false;  // a directory pattern never applies to a file
  if (pattern.find('/') == std::string::npos) return wildmatch(pattern, rel.substr(rel.rfind('/') + 1)) == Wild::match;
  std::string_view p = pattern;
  if (p.front() == '/') p.remove_prefix(1);
  return wildmatch(p, rel) == Wild::match;
}

const Checker::File& Checker::file(const std::string& dir) {
  if (auto hit = m_files.find(dir); hit != m_files.end()) return hit->second;
  File f{dir.empty() ? ".gitattributes" : dir + "/.gitattributes", dir, {}};
  std::optional<std::string> text;
  try {
    if (m_source.type(f.path) == EntryType::file && !m_source.link_on(f.path)) text = m_source.read(f.path, k_max_file);
  } catch (const Error&) {
    // Larger than git would ever use for attributes, or unreadable: it gives no attributes here.
  }
  if (text && m_on_read) m_on_read(text->size());
  std::size_t number = 0;
  for (std::string_view rest = text ? std::string_view(*text) : std::string_view(); !rest.empty();) {
    std::size_t end = std::min(rest.find('\n'), rest.size());
    std::string_view line = rest.substr(0, end);
    rest = end < rest.size() ? rest.substr(end + 1) : std::string_view();
    ++number;
    line.remove_prefix(std::min(line.find_first_not_of(" \t\r"), line.size()));
    if (line.empty() || line[0] == '#') continue;
    auto [pattern, attrs] = split_pattern(line);
    if (pattern.starts_with("[attr]")) {
      if (dir.empty()) m_macros.emplace_back(pattern.substr(6), words(attrs));  // git reads macros at the root only
      continue;
    }
    if (pattern.starts_with("!")) continue;  // negative patterns are not allowed in attributes
    f.lines.push_back({std::move(pattern), words(attrs), number});
  }
  return m_files.emplace(dir, std::move(f)).first->second;
}

std::vector<const Checker::File*> Checker::files_for(const std::string& path) {
  if (!m_macros_read) {
    m_macros_read = true;
    m_macros.emplace_back("binary", std::vector<std::string>{"-diff", "-merge", "-text"});
    file("");
  }
  std::vector<const File*> out{&file("")};
  for (std::size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
    out.push_back(&file(path.substr(0, slash)));
  return out;
}

void Checker::expand(const std::string& attr, std::vector<std::string>& out, int depth) const {
  out.push_back(attr);
  if (depth > 8 || attr.empty() || attr[0] == '-' || attr[0] == '!' || attr.find('=') != std::string::npos) return;
  for (auto m = m_macros.rbegin(); m != m_macros.rend(); ++m)  // a later definition wins
    if (m->first == attr) {
      for (const auto& a : m->second) expand(a, out, depth + 1);
      return;
    }
}

std::vector<Unsafe> Checker::unsafe(const std::string& path) {
  std::map<std::string, Unsafe, std::less<>> state;  // watched name → its last assignment
  for (const File* f : files_for(path))
    for (const auto& line : f->lines) {
      if (!matches(line.pattern, f->dir, path)) continue;
      for (const auto& written : line.attrs) {
        std::vector<std::string> all;
        expand(written, all, 0);
        for (const auto& a : all)
          if (watched(a)) state[std::string(name_of(a))] = Unsafe{path, a, f->path, line.number};
      }
    }
  std::vector<Unsafe> out;
  for (auto& [name, u] : state) {
    bool valued = u.attribute.find('=') != std::string::npos && u.attribute[0] != '-' && u.attribute[0] != '!';
    if (valued || u.attribute == "ident") out.push_back(std::move(u));
  }
  return out;
}

std::string Checker::canonical(const std::vector<std::string>& paths) {
  std::set<std::string> lines;
  for (const auto& path : paths)
    for (const File* f : files_for(path))
      for (const auto& line : f->lines) {
        if (!matches(line.pattern, f->dir, path)) continue;
        std::vector<std::string> all;
        for (const auto& written : line.attrs) expand(written, all, 0);
        if (std::any_of(all.begin(), all.end(), [](const std::string& a) { return watched(a); }))
          lines.insert(fmt::format("{}: {} {}", f->path, line.pattern, fmt::join(line.attrs, " ")));
      }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace tandem::attributes
