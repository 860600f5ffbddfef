#include "core/base/table.hpp"

#include <charconv>
#include <cmath>
#include <fmt/format.h>

#include "core/base/text.hpp"

namespace tandem {

double round_decimal(double value, int decimals) {
  if (!std::isfinite(value) || decimals < 0 || decimals > 15) return value;
  // The shortest decimal that reads back as `value`, in fixed notation: "4.125", not 4.12499….
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::fabs(value), std::chars_format::fixed);
  if (ec != std::errc()) return value;
  std::string digits(buf, end);
  std::size_t dot = digits.find('.');
  if (dot == std::string::npos || digits.size() - dot - 1 <= static_cast<std::size_t>(decimals)) return value;
  bool up = digits[dot + 1 + static_cast<std::size_t>(decimals)] >= '5';
  digits.resize(dot + 1 + static_cast<std::size_t>(decimals));
  double cut = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), cut);
  if (up) cut += std::pow(10.0, -decimals);
  // Adding 10^-decimals leaves a binary tail (4.12 + 0.01 = 4.1299…): read the decimal back once more.
  auto [e2, ec2] = std::to_chars(buf, buf + sizeof buf, cut, std::chars_format::fixed, decimals);
  if (ec2 == std::errc()) std::from_chars(buf, e2, cut);
  return value < 0 ? -cut : cut;
}

std::string format_number(double value, int decimals) {
  if (!std::isfinite(value)) return value > 0 ? "inf" : value < 0 ? "-inf" : "nan";
  std::string s = fmt::format("{:.{}f}", round_decimal(value, decimals), decimals);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string Table::text() const {
  // Cells come from plan files and commits: a title must not colour, move or split the terminal's lines.
  auto escaped = [](const std::vector<std::string>& cells) {
    std::vector<std::string> out;
    out.reserve(cells.size());
    for (const auto& cell : cells) out.push_back(escape_control(cell));
    return out;
  };
  std::vector<std::string> head = escaped(headers);
  std::vector<std::vector<std::string>> body;
  body.reserve(rows.size());
  for (const auto& row : rows) body.push_back(escaped(row));
  std::vector<std::size_t> width(head.size(), 0);
  for (std::size_t c = 0; c < head.size(); ++c) width[c] = display_width(head[c]);
  for (const auto& row : body)
    for (std::size_t c = 0; c < row.size() && c < width.size(); ++c) width[c] = std::max(width[c], display_width(row[c]));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < head.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      std::string pad(width[c] - display_width(cell), ' ');
      bool r = c < right.size() && right[c];
      out += (c ? "  " : "") + (r ? pad + cell : cell + (c + 1 < headers.size() ? pad : ""));
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(head);
  for (const auto& row : body) out += line(row);
  return out;
}

std::string Table::csv() const {
  auto line = [](const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t c = 0; c < cells.size(); ++c) out += (c ? "," : "") + csv_field(cells[c]);
    return out + "\n";
  };
  std::string out = line(headers);
  for (const auto& row : rows) out += line(row);
  return out;
}

std::string Table::markdown() const {
  std::string out = "|";
  for (const auto& h : headers) out += " " + markdown_cell(h) + " |";
  out += "\n|";
  for (std::size_t c = 0; c < headers.size(); ++c) out += c < right.size() && right[c] ? "---:|" : "---|";
  out += "\n";
  for (const auto& row : rows) {
    out += "|";
    for (std::size_t c = 0; c < headers.size(); ++c) out += " " + markdown_cell(c < row.size() ? row[c] : "") + " |";
    out += "\n";
  }
  return out;
}

}  // namespace tandem
