#include "core/base/diagnostic.hpp"
#include "core/base/text.hpp"

#include <doctest/doctest.h>

using namespace tandem;

TEST_CASE("edit_distance counts insertions, deletions, substitutions and adjacent transpositions") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("value", "value") == 0);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("vaule", "value") == 1);   // transposition
  CHECK(edit_distance("ab", "ba") == 1);
  CHECK(edit_distance("titel", "title") == 1);
  CHECK(edit_distance("tile", "title") == 1);    // insertion
  CHECK(edit_distance("ca", "abc") == 3);        // optimal string alignment, not Damerau
}

TEST_CASE("closest finds a likely typo among candidates") {
  const std::vector<std::string> keys = {"title", "type", "status", "value", "estimate", "depends_on"};
  SUBCASE("close enough") {
    CHECK(closest("titel", keys) == "title");
    CHECK(closest("vaule", keys) == "value");
    CHECK(closest("depend_on", keys) == "depends_on");
    CHECK(closest("Status", keys) == "status");  // case does not count
    CHECK(closest("estimte", keys) == "estimate");
  }
  SUBCASE("too far") {
    CHECK(closest("owner", keys) == "");
    CHECK(closest("xyz", keys) == "");
    CHECK(closest("", keys) == "");
  }
  SUBCASE("the allowed distance grows with the word: 1 up to 5 letters, then a third of it, at most 3") {
    CHECK(closest("tpe", {"type"}) == "type");            // distance 1
    CHECK(closest("tp", {"type"}) == "");                 // distance 2, short word
    CHECK(closest("estmte", {"estimate"}) == "estimate");  // distance 2, word of 6
    CHECK(closest("dpnds_on", {"depends_on"}) == "depends_on");  // distance 2
    CHECK(closest("dpnds_o", {"depends_on"}) == "");      // distance 3 > 7 / 3
  }
  SUBCASE("the nearest wins, and the first on a tie") {
    CHECK(closest("stats", {"state", "status"}) == "state");
    CHECK(closest("todo", {"todo", "toto"}) == "todo");
  }
  SUBCASE("another number is another record, not a typo") {
    CHECK(closest("M4", {"M1", "M2", "M3"}) == "");
    CHECK(closest("WEB-12", {"WEB-21", "WEB-13"}) == "");
    CHECK(closest("MI", {"M1"}) == "M1");        // a letter for a digit is a typo
    CHECK(closest("M-1", {"M1"}) == "M1");       // so is a character too many
    CHECK(closest("M12", {"M1"}) == "M1");       // and a digit too many (a different length)
  }
  SUBCASE("very long words are not compared") {
    CHECK(closest(std::string(65, 'a'), {std::string(65, 'a')}) == "");
  }
}

TEST_CASE("did_you_mean phrases the hint or is empty") {
  CHECK(did_you_mean("vaule", {"value", "size"}) == "did you mean 'value'?");
  CHECK(did_you_mean("zzzzzz", {"value", "size"}) == "");
}

TEST_CASE("join, ascii_lower and ellipsize") {
  CHECK(join({}, ", ") == "");
  CHECK(join({"a"}, ", ") == "a");
  CHECK(join({"a", "b", "c"}, " → ") == "a → b → c");
  CHECK(ascii_lower("Alice@Example.COM") == "alice@example.com");
  CHECK(ascii_lower("ÉTÉ") == "ÉtÉ");  // only ASCII letters change
  CHECK(ellipsize("short") == "short");
  CHECK(ellipsize(std::string(60, 'x')) == std::string(60, 'x'));
  CHECK(ellipsize(std::string(61, 'x')) == std::string(60, 'x') + "…");
  CHECK(ellipsize("abcdef", 3) == "abc…");
  SUBCASE("never splits a UTF-8 character") {
    CHECK(ellipsize("aéb", 2) == "a…");   // é is two bytes at 1..2
    CHECK(ellipsize("aéb", 3) == "aé…");
    CHECK(ellipsize("a€b", 3) == "a…");   // € is three bytes at 1..3
  }
}

TEST_CASE("csv_field quotes only when needed, doubling quotes") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("") == "");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("cr\rhere") == "\"cr\rhere\"");
}

TEST_CASE("markdown_cell keeps plain text and puts text that could be markup in a code span") {
  CHECK(markdown_cell("plain text: 8 → 13, (a) 'b' \"c\"") == "plain text: 8 → 13, (a) 'b' \"c\"");
  CHECK(markdown_cell("one\r\ntwo") == "one<br>two");
  CHECK(markdown_cell("a | b") == "a \\| b");
  CHECK(markdown_cell("<script>") == "&lt;script&gt;");
  CHECK(markdown_cell("<img src=x> `a|b`") == "`` <img src=x> `a\\|b` ``");
  CHECK(markdown_cell("[x](http://evil)") == "`[x](http://evil)`");
  CHECK(markdown_cell("@alice") == "`@alice`");
  CHECK(markdown_cell("see www.evil.example") == "`see www.evil.example`");
  CHECK(markdown_cell("\x1b[31mred\tx\xe2\x80\xae") == "\\x1b[31mred\\tx\\u202e");
  CHECK(markdown_cell("expected ',' or ']'") == "expected ',' or ']'");
  CHECK(markdown_cell("![i](x.png)") == "`![i](x.png)`");
}

TEST_CASE("markdown_code: a fence longer than any backtick run, padded where CommonMark would strip") {
  CHECK(markdown_code("") == "");
  CHECK(markdown_code("a") == "`a`");
  CHECK(markdown_code("a `b` c") == "``a `b` c``");
  CHECK(markdown_code("``x``") == "``` ``x`` ```");
  CHECK(markdown_code(" a ") == "`  a  `");
  CHECK(markdown_code("a|b") == "`a|b`");
  CHECK(markdown_code("a|b", true) == "`a\\|b`");
}

TEST_CASE("xml_escape escapes markup and blanks control characters") {
  CHECK(xml_escape("a < b & c > \"d\" 'e'") == "a &lt; b &amp; c &gt; &quot;d&quot; &#39;e&#39;");
  CHECK(xml_escape("tab\tand\nline") == "tab\tand\nline");
  // U+FFFE and U+FFFF are no XML characters: a JUnit file with one does not parse. U+FFFD and other text stay.
  CHECK(xml_escape("a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c\xEF\xBF\xBD\xEF\xBB\xBF\xC3\xA9") ==
        "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBB\xBF\xC3\xA9");
  CHECK(xml_escape("bell\x07 cr\r") == "bell  cr ");
  CHECK(xml_escape("été") == "été");
}

TEST_CASE("escape_control shows control characters and bidirectional controls as escapes") {
  CHECK(escape_control("plain été 🚀 עברית") == "plain été 🚀 עברית");
  CHECK(escape_control("a\nb\r\tc") == "a\\nb\\r\\tc");
  CHECK(escape_control("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(escape_control("del\x7f nul" + std::string(1, '\0')) == "del\\x7f nul\\x00");
  CHECK(escape_control("c1\xc2\x85.") == "c1\\u0085.");
  CHECK(escape_control("\xe2\x80\xae" "evil\xe2\x81\xa9") == "\\u202eevil\\u2069");
  CHECK(escape_control("\xe2\x80\x94 dash") == "\xe2\x80\x94 dash");  // U+2014 is no control
  CHECK(escape_control("title\n::add-mask::x") == "title\\n::add-mask::x");
}

TEST_CASE("format_diagnostic escapes control characters of the message and hint") {
  Diagnostic d{Severity::error, "unknown-key", "backlog.yaml", Mark{3, 5}, "unknown key 'a\nb'", "did you mean '\x1b'?"};
  CHECK(format_diagnostic(d) == "backlog.yaml:3:5: error: unknown key 'a\\nb' [unknown-key]\n  hint: did you mean '\\x1b'?");
}

TEST_CASE("sorted puts the findings of a file that did not parse before those of every other file") {
  Diagnostics d;
  d.error("unknown-key", "backlog.yaml", {2, 5}, "b");
  d.error("unknown-reference", "risks.yaml", {1, 1}, "r");
  d.error("yaml-syntax", "roadmap.yaml", {4, 23}, "y");
  d.warning("missing-wsjf", "roadmap.yaml", {2, 1}, "w");
  std::vector<std::string> order;
  for (const auto& x : d.sorted()) order.push_back(x.file + ":" + std::to_string(x.mark.line));
  CHECK(order == std::vector<std::string>{"roadmap.yaml:2", "roadmap.yaml:4", "backlog.yaml:2", "risks.yaml:1"});
}
