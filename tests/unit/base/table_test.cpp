#include "core/base/table.hpp"

#include <doctest/doctest.h>

#include <limits>

using namespace tandem;

TEST_CASE("display_width counts terminal columns") {
  CHECK(display_width("") == 0);
  CHECK(display_width("abc") == 3);
  CHECK(display_width("a\tb") == 3);            // ASCII control characters count one, as before
  CHECK(display_width("héllo") == 5);           // precomposed é
  CHECK(display_width("he\u0301llo") == 5);     // e and a combining acute accent
  CHECK(display_width("日本語") == 6);           // East Asian wide
  CHECK(display_width("ＡＢ") == 4);             // fullwidth Latin
  CHECK(display_width("ｶﾅ") == 2);              // halfwidth katakana
  CHECK(display_width("🚀") == 2);
  CHECK(display_width("👍🏽") == 2);             // with a skin tone modifier
  CHECK(display_width("❤️") == 2);              // text-style heart with the emoji presentation selector
  CHECK(display_width("👨‍👩‍👧") == 2);            // a family joined by ZWJ
  CHECK(display_width("🇯🇵🇺🇸") == 4);            // two flags
  CHECK(display_width("1️⃣") == 2);             // a keycap
  CHECK(display_width("\xff\xfe") == 2);        // bytes that are not UTF-8 count one each
}

TEST_CASE("ellipsize_columns cuts by display width between characters") {
  CHECK(ellipsize_columns("abcdef", 6) == "abcdef");
  CHECK(ellipsize_columns("abcdef", 3) == "abc…");
  CHECK(ellipsize_columns("日本語テキスト", 14) == "日本語テキスト");
  CHECK(ellipsize_columns("日本語テキスト", 5) == "日本…");  // a wide character never straddles the limit
  CHECK(ellipsize_columns("日本語テキスト", 6) == "日本語…");
  CHECK(ellipsize_columns("👍🏽ok", 2) == "👍🏽…");          // the modifier stays with its emoji
  CHECK(ellipsize_columns("👨‍👩‍👧 family", 1) == "…");
  CHECK(ellipsize_columns("e\u0301tude", 1) == "e\u0301…");  // the accent stays with its letter
  CHECK(ellipsize_columns("", 0) == "");
}

TEST_CASE("text: columns line up with CJK text and emoji") {
  Table t{{"id", "title", "n"}, {false, false, true}, {{"A", "日本語", "1"}, {"B", "abc", "22"}, {"C", "🚀 go", "3"}}};
  CHECK(t.text() ==
        "id  title    n\n"
        "A   日本語   1\n"
        "B   abc     22\n"
        "C   🚀 go    3\n");
}

TEST_CASE("text: right-aligned numbers, no trailing blanks, missing cells empty") {
  Table t{{"rank", "id", "title"}, {true}, {{"1", "A", "x"}, {"10", "LONG-ID"}}};
  CHECK(t.text() ==
        "rank  id       title\n"
        "   1  A        x\n"
        "  10  LONG-ID\n");
}

TEST_CASE("text: control characters in cells are shown as escapes, and the columns still line up") {
  Table t{{"id", "title"}, {}, {{"A-1", "\x1b[31mred\rover"}, {"A-2", "plain"}}};
  CHECK(t.text() == "id   title\n"
                    "A-1  \\x1b[31mred\\rover\n"
                    "A-2  plain\n");
  CHECK(t.csv() == "id,title\nA-1,\"\x1b[31mred\rover\"\nA-2,plain\n");  // CSV stays exact
}

TEST_CASE("csv: RFC 4180 quoting, a header row") {
  Table t{{"id", "title"}, {}, {{"A", "plain"}, {"B", "a, b"}, {"C", "say \"hi\""}, {"D", "two\nlines"}, {"E", "日本"}}};
  CHECK(t.csv() ==
        "id,title\n"
        "A,plain\n"
        "B,\"a, b\"\n"
        "C,\"say \"\"hi\"\"\"\n"
        "D,\"two\nlines\"\n"
        "E,日本\n");
}

TEST_CASE("markdown: escaped cells and right-aligned columns") {
  Table t{{"id", "a|b", "n"}, {false, false, true}, {{"A", "x | y", "1"}, {"B", "line\r\nbreak <b>", "2"}, {"C"}}};
  CHECK(t.markdown() ==
        "| id | a\\|b | n |\n"
        "|---|---|---:|\n"
        "| A | x \\| y | 1 |\n"
        "| B | line<br>break &lt;b&gt; | 2 |\n"
        "| C |  |  |\n");
}

TEST_CASE("round_decimal rounds half away from zero on the shortest decimal form") {
  CHECK(round_decimal(33.0 / 8, 2) == 4.13);   // 4.125 is exact in binary: round-half-even gave 4.12
  CHECK(round_decimal(2.675, 2) == 2.68);      // 2.67499999… in binary, 2.675 as written
  CHECK(round_decimal(-33.0 / 8, 2) == -4.13);
  CHECK(round_decimal(1.005, 2) == 1.01);
  CHECK(round_decimal(0.5, 0) == 1);
  CHECK(round_decimal(2.5, 0) == 3);
  CHECK(round_decimal(4.12, 2) == 4.12);
  CHECK(round_decimal(0.123449, 4) == 0.1234);
  CHECK(format_number(33.0 / 8) == "4.13");
  CHECK(format_number(0.995) == "1");
  CHECK(format_number(99.95, 1) == "100");
}

TEST_CASE("format_number drops trailing zeros") {
  CHECK(format_number(2.5) == "2.5");
  CHECK(format_number(3.0) == "3");
  CHECK(format_number(1.0 / 3) == "0.33");
  CHECK(format_number(-0.001) == "0");
  CHECK(format_number(85.4, 0) == "85");
  CHECK(format_number(std::numeric_limits<double>::infinity()) == "inf");
}
