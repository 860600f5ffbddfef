#include "core/base/diagnostic.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "core/base/codes.hpp"
#include "core/base/text.hpp"

namespace tandem {

void Diagnostics::add(Severity severity, std::string code, std::string file, Mark mark,
                      std::string message, std::string hint) {
  if (severity == Severity::error) ++m_errors;
  m_items.push_back({severity, std::move(code), std::move(file), mark, std::move(message), std::move(hint)});
}

void Diagnostics::append(const Diagnostics& other) {
  for (const auto& d : other.m_items) add(d.severity, d.code, d.file, d.mark, d.message, d.hint);
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = m_items;
  // A file that could not be read to the end is the first cause: its findings come first.
  std::set<std::string> unparsed;
  for (const auto& d : m_items)
    if (stops_parsing(d.code)) unparsed.insert(d.file);
  std::stable_sort(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    bool a_first = unparsed.contains(a.file), b_first = unparsed.contains(b.file);
    if (a_first != b_first) return a_first;
    if (a.file != b.file) return a.file < b.file;
    if (a.mark.line != b.mark.line) return a.mark.line < b.mark.line;
    return a.mark.column < b.mark.column;
  });
  return out;
}

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = fmt::format("{}:{}:{}: {}: {} [{}]", escape_control(d.file), d.mark.line, d.mark.column,
                                d.severity == Severity::error ? "error" : "warning", escape_control(d.message), d.code);
  if (!d.hint.empty()) out += fmt::format("\n  hint: {}", escape_control(d.hint));
  return out;
}

}  // namespace tandem
