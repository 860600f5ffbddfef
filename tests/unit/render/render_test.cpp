#include "core/render/findings.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/codes.hpp"

using namespace tandem;
using nlohmann::json;
using render::Format;

namespace {

Diagnostic make(Severity s, std::string code, std::string file, Mark mark, std::string message, std::string hint = {}) {
  return Diagnostic{s, std::move(code), std::move(file), mark, std::move(message), std::move(hint)};
}

/// Three findings, sorted: an error with a hint, a warning, an error whose message needs quoting.
std::vector<Diagnostic> three() {
  return {
      make(Severity::error, "unknown-key", "backlog.yaml", {3, 5}, "unknown key 'vaule' in an item",
           "did you mean 'value'?"),
      make(Severity::warning, "missing-done-date", "backlog.yaml", {7, 13}, "'A' is done but has no 'done:' date"),
      make(Severity::error, "duplicate-id", "roadmap.yaml", {2, 10}, "title \"A, B\" | 100% done"),
  };
}

std::string rendered(const std::vector<Diagnostic>& ds, Format f, render::FindingsOptions o = {}) {
  return render::findings(ds, f, o);
}

}  // namespace

TEST_CASE("format names parse and print") {
  for (Format f : {Format::text, Format::json, Format::csv, Format::markdown, Format::github, Format::sarif,
                   Format::html, Format::gitlab, Format::junit}) {
    CAPTURE(render::format_name(f));
    CHECK(render::parse_format(render::format_name(f)) == f);
  }
  CHECK(render::format_name(Format::sarif) == "sarif");
  CHECK_FALSE(render::parse_format("xml"));
  CHECK_FALSE(render::parse_format("JSON"));
  CHECK_FALSE(render::parse_format(""));
}

TEST_CASE("text: one diagnostic per line, hints indented, and a summary") {
  render::FindingsOptions o;
  o.files = 3;
  SUBCASE("plain") {
    CHECK(rendered(three(), Format::text, o) ==
          "backlog.yaml:3:5: error: unknown key 'vaule' in an item [unknown-key]\n"
          "  hint: did you mean 'value'?\n"
          "backlog.yaml:7:13: warning: 'A' is done but has no 'done:' date [missing-done-date]\n"
          "roadmap.yaml:2:10: error: title \"A, B\" | 100% done [duplicate-id]\n"
          "2 errors, 1 warning in 3 files\n");
  }
  SUBCASE("quiet: errors only, no summary") {
    o.quiet = true;
    CHECK(rendered(three(), Format::text, o) ==
          "backlog.yaml:3:5: error: unknown key 'vaule' in an item [unknown-key]\n"
          "  hint: did you mean 'value'?\n"
          "roadmap.yaml:2:10: error: title \"A, B\" | 100% done [duplicate-id]\n");
  }
  SUBCASE("colour") {
    o.color = true;
    CHECK(rendered({three()[0], three()[1]}, Format::text, o) ==
          "\x1b[1mbacklog.yaml:3:5:\x1b[0m \x1b[1m\x1b[31merror:\x1b[0m unknown key 'vaule' in an item \x1b[2m[unknown-key]"
          "\x1b[0m\n"
          "  \x1b[36mhint:\x1b[0m did you mean 'value'?\n"
          "\x1b[1mbacklog.yaml:7:13:\x1b[0m \x1b[1m\x1b[33mwarning:\x1b[0m 'A' is done but has no 'done:' date "
          "\x1b[2m[missing-done-date]\x1b[0m\n"
          "1 error, 1 warning in 3 files\n");
  }
  SUBCASE("no findings") {
    CHECK(rendered({}, Format::text, o) == "no findings in 3 files\n");
    o.files = 1;
    CHECK(rendered({}, Format::text, o) == "no findings in 1 file\n");
    o.quiet = true;
    CHECK(rendered({}, Format::text, o) == "");
  }
}

TEST_CASE("json: findings with the documented keys, and counts") {
  std::string out = rendered(three(), Format::json);
  CHECK(out.back() == '\n');
  json j = json::parse(out);
  CHECK(j["errors"] == 2);
  CHECK(j["warnings"] == 1);
  REQUIRE(j["findings"].size() == 3);
  const json& f = j["findings"][0];
  for (const char* key : {"severity", "code", "file", "line", "column", "message", "hint"}) {
    CAPTURE(key);
    CHECK(f.contains(key));
  }
  CHECK(f["severity"] == "error");
  CHECK(f["code"] == "unknown-key");
  CHECK(f["file"] == "backlog.yaml");
  CHECK(f["line"] == 3);
  CHECK(f["line"].is_number_integer());
  CHECK(f["column"] == 5);
  CHECK(f["message"] == "unknown key 'vaule' in an item");
  CHECK(f["hint"] == "did you mean 'value'?");
  CHECK(j["findings"][1]["severity"] == "warning");
  CHECK(j["findings"][1]["hint"].is_null());
  CHECK(j["findings"][2]["message"] == "title \"A, B\" | 100% done");
  SUBCASE("no findings") {
    json e = json::parse(rendered({}, Format::json));
    CHECK(e["findings"].is_array());
    CHECK(e["findings"].empty());
    CHECK(e["errors"] == 0);
  }
}

TEST_CASE("csv: a header row, and fields quoted only when needed") {
  CHECK(rendered(three(), Format::csv) ==
        "severity,code,file,line,column,message,hint\n"
        "error,unknown-key,backlog.yaml,3,5,unknown key 'vaule' in an item,did you mean 'value'?\n"
        "warning,missing-done-date,backlog.yaml,7,13,'A' is done but has no 'done:' date,\n"
        "error,duplicate-id,roadmap.yaml,2,10,\"title \"\"A, B\"\" | 100% done\",\n");
  CHECK(rendered({make(Severity::error, "x", "a,b.yaml", {1, 1}, "two\nlines", "a \"hint\"")}, Format::csv) ==
        "severity,code,file,line,column,message,hint\n"
        "error,x,\"a,b.yaml\",1,1,\"two\nlines\",\"a \"\"hint\"\"\"\n");
  CHECK(rendered({}, Format::csv) == "severity,code,file,line,column,message,hint\n");
}

TEST_CASE("markdown: a table with escaped cells and a summary") {
  render::FindingsOptions o;
  o.files = 2;
  CHECK(rendered(three(), Format::markdown, o) ==
        "### tandem check\n\n"
        "| | Location | Finding | Code |\n"
        "|---|---|---|---|\n"
        "| ❌ | `backlog.yaml:3:5` | unknown key 'vaule' in an item <br>*did you mean 'value'?* | `unknown-key` |\n"
        "| ⚠️ | `backlog.yaml:7:13` | 'A' is done but has no 'done:' date | `missing-done-date` |\n"
        "| ❌ | `roadmap.yaml:2:10` | title \"A, B\" \\| 100% done | `duplicate-id` |\n"
        "\n2 errors, 1 warning in 2 files.\n");
  CHECK(rendered({}, Format::markdown, o) == "### tandem check\n\nno findings in 2 files.\n");
}

TEST_CASE("github: workflow commands with escaped data and properties, then the text report") {
  render::FindingsOptions o;
  o.files = 3;
  o.color = true;  // ignored: the log is plain text
  o.quiet = true;  // ignored: the summary is always printed
  CHECK(rendered(three(), Format::github, o) ==
        "::error file=backlog.yaml,line=3,col=5,title=tandem unknown-key::unknown key 'vaule' in an item (hint: did "
        "you mean 'value'?)\n"
        "::warning file=backlog.yaml,line=7,col=13,title=tandem missing-done-date::'A' is done but has no 'done:' "
        "date\n"
        "::error file=roadmap.yaml,line=2,col=10,title=tandem duplicate-id::title \"A, B\" | 100%25 done\n"
        "backlog.yaml:3:5: error: unknown key 'vaule' in an item [unknown-key]\n"
        "  hint: did you mean 'value'?\n"
        "backlog.yaml:7:13: warning: 'A' is done but has no 'done:' date [missing-done-date]\n"
        "roadmap.yaml:2:10: error: title \"A, B\" | 100% done [duplicate-id]\n"
        "2 errors, 1 warning in 3 files\n");
  SUBCASE("line breaks in data are shown as escapes, ':' and ',' in properties escaped") {
    auto out = rendered({make(Severity::error, "x", "dir,a:b.yaml", {1, 2}, "one\r\n::add-mask::two")}, Format::github, o);
    CHECK(out.starts_with("::error file=dir%2Ca%3Ab.yaml,line=1,col=2,title=tandem x::one\\r\\n::add-mask::two\n"));
    CHECK(out.find("\n::add-mask") == std::string::npos);
  }
}

TEST_CASE("github: at most 10 annotations of each level, every finding in the log") {
  std::vector<Diagnostic> ds;
  for (std::uint32_t i = 1; i <= 12; ++i) ds.push_back(make(Severity::error, "e", "a.yaml", {i, 1}, "error"));
  for (std::uint32_t i = 13; i <= 25; ++i) ds.push_back(make(Severity::warning, "w", "a.yaml", {i, 1}, "warning"));
  render::FindingsOptions o;
  o.files = 1;
  auto out = rendered(ds, Format::github, o);
  auto count = [&](std::string_view needle) {
    std::size_t n = 0;
    for (auto at = out.find(needle); at != std::string::npos; at = out.find(needle, at + 1)) ++n;
    return n;
  };
  CHECK(count("::error ") == 10);
  CHECK(count("::warning ") == 10);
  CHECK(count("a.yaml:12:1: error: error [e]") == 1);
  CHECK(count("a.yaml:25:1: warning: warning [w]") == 1);
  CHECK(out.find("::error file=a.yaml,line=11,") == std::string::npos);
  CHECK(out.find("::warning file=a.yaml,line=22,") != std::string::npos);
  CHECK(out.find("::warning file=a.yaml,line=23,") == std::string::npos);
  CHECK(out.ends_with("12 errors, 13 warnings in 1 file\n"));
}

TEST_CASE("sarif: a SARIF 2.1.0 log with every rule and one result per finding") {
  auto ds = three();
  ds.push_back(make(Severity::error, "not-a-code", "tandem.yaml", {0, 0}, "whole file"));
  std::string out = rendered(ds, Format::sarif);
  CHECK(out.back() == '\n');
  json log = json::parse(out);
  CHECK(log["version"] == "2.1.0");
  CHECK(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json");
  REQUIRE(log["runs"].size() == 1);
  const json& run = log["runs"][0];
  CHECK(run["columnKind"] == "unicodeCodePoints");
  const json& driver = run["tool"]["driver"];
  CHECK(driver["name"] == "tandem");
  CHECK(driver["version"] == TANDEM_VERSION);

  const json& rules = driver["rules"];
  auto codes = diagnostic_codes();
  REQUIRE(rules.size() == codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    CAPTURE(codes[i].code);
    CHECK(rules[i]["id"] == codes[i].code);
    CHECK(rules[i]["name"] == codes[i].code);
    CHECK(rules[i]["shortDescription"]["text"] == codes[i].description);
  }

  const json& results = run["results"];
  REQUIRE(results.size() == 4);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    const json& r = results[i];
    CHECK(r["ruleId"] == ds[i].code);
    REQUIRE(r.contains("ruleIndex"));
    CHECK(rules[r["ruleIndex"].get<std::size_t>()]["id"] == ds[i].code);
    const json& loc = r["locations"][0]["physicalLocation"];
    CHECK(loc["artifactLocation"]["uri"] == ds[i].file);
    CHECK(loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
    CHECK(loc["region"]["startLine"] == ds[i].mark.line);
    CHECK(loc["region"]["startColumn"] == ds[i].mark.column);
  }
  CHECK(results[0]["level"] == "error");
  CHECK(results[0]["message"]["text"] == "unknown key 'vaule' in an item (hint: did you mean 'value'?)");
  CHECK(results[1]["level"] == "warning");
  CHECK(results[1]["message"]["text"] == "'A' is done but has no 'done:' date");
  SUBCASE("an unknown code has no ruleIndex, and line 0 becomes line 1") {
    CHECK_FALSE(results[3].contains("ruleIndex"));
    CHECK(results[3]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1);
    CHECK(results[3]["locations"][0]["physicalLocation"]["region"]["startColumn"] == 1);
  }
  SUBCASE("no findings is an empty results list") {
    json empty = json::parse(rendered({}, Format::sarif));
    CHECK(empty["runs"][0]["results"].is_array());
    CHECK(empty["runs"][0]["results"].empty());
  }
}

TEST_CASE("gitlab: a Code Quality report with stable fingerprints") {
  auto ds = three();
  ds.push_back(make(Severity::error, "unknown-key", "backlog.yaml", {0, 0}, "unknown key 'vaule' in an item"));
  std::string out = rendered(ds, Format::gitlab);
  CHECK(out.back() == '\n');
  json j = json::parse(out);
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 4);
  CHECK(j[0]["description"] == "unknown key 'vaule' in an item (hint: did you mean 'value'?)");
  CHECK(j[0]["check_name"] == "unknown-key");
  CHECK(j[0]["severity"] == "major");
  CHECK(j[1]["severity"] == "minor");
  CHECK(j[0]["location"]["path"] == "backlog.yaml");
  CHECK(j[0]["location"]["lines"]["begin"] == 3);
  CHECK(j[3]["location"]["lines"]["begin"] == 1);
  for (const auto& e : j) {
    std::string fp = e["fingerprint"];
    CHECK(fp.size() == 16);
    CHECK(fp.find_first_not_of("0123456789abcdef") == std::string::npos);
  }
  // The fingerprint ignores the line, so a finding keeps it when lines above it move.
  CHECK(j[0]["fingerprint"] == j[3]["fingerprint"]);
  CHECK(j[0]["fingerprint"] != j[2]["fingerprint"]);
  CHECK(json::parse(rendered(ds, Format::gitlab)) == j);
  CHECK(json::parse(rendered({}, Format::gitlab)) == json::array());
}

TEST_CASE("junit: one test case per finding, errors as failures") {
  render::FindingsOptions o;
  o.files = 3;
  CHECK(rendered(three(), Format::junit, o) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"tandem\" tests=\"3\" failures=\"2\">\n"
        "  <testsuite name=\"tandem\" tests=\"3\" failures=\"2\" skipped=\"0\">\n"
        "    <testcase classname=\"backlog.yaml\" name=\"backlog.yaml:3:5 unknown-key\" file=\"backlog.yaml\" "
        "line=\"3\"><failure type=\"unknown-key\" message=\"unknown key &#39;vaule&#39; in an item\">backlog.yaml:3:5: "
        "error: unknown key &#39;vaule&#39; in an item [unknown-key]\n  hint: did you mean &#39;value&#39;?"
        "</failure></testcase>\n"
        "    <testcase classname=\"backlog.yaml\" name=\"backlog.yaml:7:13 missing-done-date\" file=\"backlog.yaml\" "
        "line=\"7\"><system-out>backlog.yaml:7:13: warning: &#39;A&#39; is done but has no &#39;done:&#39; date "
        "[missing-done-date]</system-out></testcase>\n"
        "    <testcase classname=\"roadmap.yaml\" name=\"roadmap.yaml:2:10 duplicate-id\" file=\"roadmap.yaml\" "
        "line=\"2\"><failure type=\"duplicate-id\" message=\"title &quot;A, B&quot; | 100% done\">roadmap.yaml:2:10: "
        "error: title &quot;A, B&quot; | 100% done [duplicate-id]</failure></testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n");
  SUBCASE("no findings is one passing test case") {
    CHECK(rendered({}, Format::junit, o) ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<testsuites name=\"tandem\" tests=\"1\" failures=\"0\">\n"
          "  <testsuite name=\"tandem\" tests=\"1\" failures=\"0\" skipped=\"0\">\n"
          "    <testcase classname=\"tandem\" name=\"3 files without findings\"/>\n"
          "  </testsuite>\n"
          "</testsuites>\n");
  }
  SUBCASE("markup and control characters are escaped") {
    auto out = rendered({make(Severity::error, "x", "a<b>.yaml", {1, 1}, "a & b\x01")}, Format::junit, o);
    CHECK(out.find("classname=\"a&lt;b&gt;.yaml\"") != std::string::npos);
    CHECK(out.find("message=\"a &amp; b \"") != std::string::npos);
  }
}

TEST_CASE("step_summary: the markdown report under a title, cut to a size") {
  std::string full = render::step_summary(three(), "tandem audit", 2);
  CHECK(full.starts_with("### tandem audit\n\n| | Location | Finding | Code |\n"));
  CHECK(full.ends_with("\n2 errors, 1 warning in 2 files.\n"));
  const std::string tail = "\n*… cut: the full list is in the job log.*\n";
  std::vector<Diagnostic> many;
  for (std::uint32_t i = 1; i <= 200; ++i)
    many.push_back(make(Severity::error, "unknown-key", "backlog.yaml", {i, 1}, "unknown key 'x' in an item"));
  SUBCASE("a long report is cut at a line end, with a note") {
    std::string cut = render::step_summary(many, "tandem check", 1, "file", 2000);
    CHECK(cut.size() <= 2000);
    CHECK(cut.ends_with("|\n" + tail));
  }
}

TEST_CASE("step_summary: never over the limit, wherever the line ends fall") {
  const std::string tail = "\n*… cut: the full list is in the job log.*\n";
  std::vector<Diagnostic> many;
  for (std::uint32_t i = 1; i <= 200; ++i)
    many.push_back(make(Severity::error, "unknown-key", "backlog.yaml", {i, 1}, "unknown key 'x' in an item"));
  std::string whole = render::step_summary(many, "tandem check", 1);
  for (std::size_t nl = whole.find('\n', 100); nl != std::string::npos && nl < 3000; nl = whole.find('\n', nl + 1)) {
    std::size_t max = nl + tail.size();
    CAPTURE(max);
    CHECK(render::step_summary(many, "tandem check", 1, "file", max).size() <= max);
  }
  CHECK(render::step_summary(many, "tandem check", 1, "file", 10).empty());
}

TEST_CASE("every diagnostic code has a description") {
  for (const auto& c : diagnostic_codes()) {
    CAPTURE(c.code);
    CHECK_FALSE(c.description.empty());
    CHECK(describe_code(c.code) == c.description);
  }
  CHECK(describe_code("no-such-code").empty());
}

TEST_CASE("format_diagnostic prints file:line:col, severity, message, code and hint") {
  CHECK(format_diagnostic(make(Severity::error, "unknown-key", "backlog.yaml", {3, 15}, "unknown key 'x'")) ==
        "backlog.yaml:3:15: error: unknown key 'x' [unknown-key]");
  CHECK(format_diagnostic(make(Severity::warning, "w", "a.yaml", {1, 2}, "m", "h")) ==
        "a.yaml:1:2: warning: m [w]\n  hint: h");
}

TEST_CASE("diagnostics sort by file, line and column, keeping the order found otherwise") {
  Diagnostics d;
  d.error("b", "z.yaml", {1, 1}, "1");
  d.warning("c", "a.yaml", {5, 2}, "2");
  d.error("d", "a.yaml", {5, 1}, "3");
  d.error("e", "a.yaml", {2, 9}, "4");
  d.error("f", "a.yaml", {5, 1}, "5");
  std::vector<std::string> order;
  for (const auto& x : d.sorted()) order.push_back(x.message);
  CHECK(order == std::vector<std::string>{"4", "3", "5", "2", "1"});
  CHECK(d.error_count() == 4);
  CHECK(d.size() == 5);
  Diagnostics other;
  other.append(d);
  CHECK(other.error_count() == 4);
  CHECK(other.has_errors());
}
