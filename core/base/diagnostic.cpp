#include "core/base/diagnostic.hpp"

#include <algorithm>
#include <fmt/format.h>

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
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
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
