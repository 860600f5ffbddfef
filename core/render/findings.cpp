#include "core/render/findings.hpp"

#include <cctype>
#include <fmt/color.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/base/codes.hpp"
#include "core/base/text.hpp"

namespace tandem::render {

using nlohmann::json;

std::optional<Format> parse_format(std::string_view name) {
  for (Format f : k_all_formats)
    if (format_name(f) == name) return f;
  return std::nullopt;
}

std::string_view format_name(Format format) {
  switch (format) {
    case Format::text: return "text";
    case Format::json: return "json";
    case Format::csv: return "csv";
    case Format::markdown: return "markdown";
    case Format::github: return "github";
    case Format::sarif: return "sarif";
    case Format::html: return "html";
    case Format::gitlab: return "gitlab";
    case Format::junit: return "junit";
    case Format::yaml: return "yaml";
  }
  return "";
}

namespace {

std::string_view severity_name(Severity s) { return s == Severity::error ? "error" : "warning"; }

/// "2 errors, 1 warning in 4 files" (or "in 10 commits"), "no findings in 4 files".
std::string summary(const std::vector<Diagnostic>& ds, const FindingsOptions& o) {
  std::size_t errors = 0;
  for (const auto& d : ds) errors += d.severity == Severity::error;
  std::size_t warnings = ds.size() - errors;
  std::string where = fmt::format("in {} {}{}", o.files, o.unit, o.files == 1 ? "" : "s");
  if (ds.empty()) return "no findings " + where;
  return fmt::format("{} error{}, {} warning{} {}", errors, errors == 1 ? "" : "s", warnings,
                     warnings == 1 ? "" : "s", where);
}

std::string text(const std::vector<Diagnostic>& ds, const FindingsOptions& o) {
  std::string out;
  for (const auto& d : ds) {
    if (o.quiet && d.severity == Severity::warning) continue;
    if (o.color) {
      auto severity = fmt::emphasis::bold | fg(d.severity == Severity::error ? fmt::terminal_color::red
                                                                             : fmt::terminal_color::yellow);
      out += fmt::format(fmt::emphasis::bold, "{}:{}:{}:", escape_control(d.file), d.mark.line, d.mark.column) + " " +
             fmt::format(severity, "{}:", severity_name(d.severity)) + " " + escape_control(d.message) + " " +
             fmt::format(fmt::emphasis::faint, "[{}]", d.code) + "\n";
      if (!d.hint.empty())
        out += "  " + fmt::format(fg(fmt::terminal_color::cyan), "hint:") + " " + escape_control(d.hint) + "\n";
    } else {
      out += format_diagnostic(d) + "\n";
    }
  }
  if (!o.quiet) out += summary(ds, o) + "\n";
  return out;
}

json to_json(const Diagnostic& d) {
  return {{"severity", severity_name(d.severity)}, {"code", d.code}, {"file", d.file}, {"line", d.mark.line},
          {"column", d.mark.column}, {"message", d.message},
          {"hint", d.hint.empty() ? json(nullptr) : json(d.hint)}};
}

std::string json_out(const std::vector<Diagnostic>& ds) {
  json findings = json::array();
  std::size_t errors = 0;
  for (const auto& d : ds) {
    findings.push_back(to_json(d));
    errors += d.severity == Severity::error;
  }
  json out = {{"findings", findings}, {"errors", errors}, {"warnings", ds.size() - errors}};
  return out.dump(2) + "\n";
}

std::string csv(const std::vector<Diagnostic>& ds) {
  std::string out = "severity,code,file,line,column,message,hint\n";
  for (const auto& d : ds)
    out += fmt::format("{},{},{},{},{},{},{}\n", severity_name(d.severity), d.code, csv_field(d.file), d.mark.line,
                       d.mark.column, csv_field(d.message), csv_field(d.hint));
  return out;
}

std::string markdown(const std::vector<Diagnostic>& ds, const FindingsOptions& o) {
  std::string out = "### tandem check\n\n";
  if (ds.empty()) return out + summary(ds, o) + ".\n";
  out += "| | Location | Finding | Code |\n|---|---|---|---|\n";
  for (const auto& d : ds) {
    std::string message = markdown_cell(d.message);
    if (!d.hint.empty()) message += " <br>*" + markdown_cell(d.hint) + "*";
    out += fmt::format("| {} | {} | {} | `{}` |\n", d.severity == Severity::error ? "❌" : "⚠️",
                       markdown_code(fmt::format("{}:{}:{}", d.file, d.mark.line, d.mark.column), true), message, d.code);
  }
  return out + "\n" + summary(ds, o) + ".\n";
}

/// Escapes text for a GitHub Actions workflow command (data, or a property when `property`).
std::string gh_escape(std::string_view s, bool property) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else if (property && c == ':') out += "%3A";
    else if (property && c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string github(const std::vector<Diagnostic>& ds, const FindingsOptions& o) {
  constexpr std::size_t k_max_annotations = 10;  // GitHub shows at most 10 of each level per step
  std::string out;
  std::size_t errors = 0, warnings = 0;
  for (const auto& d : ds) {
    std::size_t& n = d.severity == Severity::error ? errors : warnings;
    if (n++ >= k_max_annotations) continue;
    std::string message = d.message + (d.hint.empty() ? "" : " (hint: " + d.hint + ")");
    out += fmt::format("::{} file={},line={},col={},title={}::{}\n", severity_name(d.severity),
                       gh_escape(escape_control(d.file), true), d.mark.line, d.mark.column,
                       gh_escape("tandem " + d.code, true), gh_escape(escape_control(message), false));
  }
  FindingsOptions plain = o;
  plain.color = false;
  plain.quiet = false;
  return out + text(ds, plain);
}

std::string sarif(const std::vector<Diagnostic>& ds) {
  json rules = json::array();
  std::map<std::string_view, std::size_t> rule_index;
  for (const auto& c : diagnostic_codes()) {
    rule_index[c.code] = rules.size();
    rules.push_back({{"id", c.code},
                     {"name", c.code},
                     {"shortDescription", {{"text", c.description}}}});
  }
  json results = json::array();
  for (const auto& d : ds) {
    json r = {{"ruleId", d.code},
              {"level", severity_name(d.severity)},
              {"message", {{"text", d.message + (d.hint.empty() ? "" : " (hint: " + d.hint + ")")}}},
              {"locations",
               json::array({{{"physicalLocation",
                              {{"artifactLocation", {{"uri", d.file}, {"uriBaseId", "%SRCROOT%"}}},
                               {"region", {{"startLine", std::max<std::uint32_t>(1, d.mark.line)},
                                           {"startColumn", std::max<std::uint32_t>(1, d.mark.column)}}}}}}})}};
    if (auto it = rule_index.find(d.code); it != rule_index.end()) r["ruleIndex"] = it->second;
    results.push_back(std::move(r));
  }
  json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({{{"tool", {{"driver", {{"name", "tandem"},
                                                           {"version", TANDEM_VERSION},
                                                           {"rules", rules}}}}},
                                     {"columnKind", "unicodeCodePoints"},
                                     {"results", results}}})}};
  return log.dump(2) + "\n";
}

/// FNV-1a, for fingerprints that stay the same from run to run.
std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

/// A message without the positions it names ("first at line 31", "a.yaml:3:5" → "line #", "a.yaml:#:#").
std::string without_positions(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool position = std::isdigit(static_cast<unsigned char>(s[i])) && (out.ends_with("line ") || out.ends_with(':'));
    if (!position) {
      out += s[i++];
      continue;
    }
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    out += '#';
  }
  return out;
}

std::string gitlab(const std::vector<Diagnostic>& ds) {
  json out = json::array();
  for (const auto& d : ds) {
    // The fingerprint leaves out the line, also where the message names one, so a finding keeps it when
    // lines above it move.
    std::string fp =
        fmt::format("{:016x}", fnv1a(d.code + "\x1f" + d.file + "\x1f" + without_positions(d.message)));
    out.push_back({{"description", d.message + (d.hint.empty() ? "" : " (hint: " + d.hint + ")")},
                   {"check_name", d.code},
                   {"fingerprint", fp},
                   {"severity", d.severity == Severity::error ? "major" : "minor"},
                   {"location", {{"path", d.file}, {"lines", {{"begin", std::max<std::uint32_t>(1, d.mark.line)}}}}}});
  }
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string junit(const std::vector<Diagnostic>& ds, const FindingsOptions& o) {
  std::size_t errors = 0;
  for (const auto& d : ds) errors += d.severity == Severity::error;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"tandem\" tests=\"{}\" failures=\"{}\">\n", std::max<std::size_t>(1, ds.size()), errors);
  out += fmt::format("  <testsuite name=\"tandem\" tests=\"{}\" failures=\"{}\" skipped=\"0\">\n",
                     std::max<std::size_t>(1, ds.size()), errors);
  if (ds.empty())
    out += fmt::format("    <testcase classname=\"tandem\" name=\"{} {}s without findings\"/>\n", o.files, o.unit);
  for (const auto& d : ds) {
    std::string name = fmt::format("{}:{}:{} {}", d.file, d.mark.line, d.mark.column, d.code);
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\">", xml_escape(d.file),
                       xml_escape(name), xml_escape(d.file), d.mark.line);
    std::string body = xml_escape(format_diagnostic(d));
    if (d.severity == Severity::error)
      out += fmt::format("<failure type=\"{}\" message=\"{}\">{}</failure>", d.code, xml_escape(d.message), body);
    else
      out += fmt::format("<system-out>{}</system-out>", body);
    out += "</testcase>\n";
  }
  return out + "  </testsuite>\n</testsuites>\n";
}

}  // namespace

std::string step_summary(const std::vector<Diagnostic>& ds, const std::string& title, std::size_t files,
                         std::string_view unit, std::size_t max_bytes) {
  std::string out = markdown(ds, {false, false, files, unit});
  out.replace(0, out.find('\n'), "### " + title);
  if (out.size() > max_bytes) {
    std::string tail = "\n*… cut: the full list is in the job log.*\n";
    if (max_bytes <= tail.size()) return {};
    // Keep whole lines: the last '\n' kept is at most at index max_bytes - tail.size() - 1.
    std::size_t cut = out.rfind('\n', max_bytes - tail.size() - 1);
    out = out.substr(0, cut == std::string::npos ? 0 : cut + 1) + tail;
  }
  return out;
}

std::string findings(const std::vector<Diagnostic>& ds, Format format, const FindingsOptions& options) {
  switch (format) {
    case Format::text: return text(ds, options);
    case Format::json: return json_out(ds);
    case Format::csv: return csv(ds);
    case Format::markdown: return markdown(ds, options);
    case Format::github: return github(ds, options);
    case Format::sarif: return sarif(ds);
    case Format::gitlab: return gitlab(ds);
    case Format::junit: return junit(ds, options);
    case Format::html:
    case Format::yaml: break;
  }
  return {};
}

}  // namespace tandem::render
