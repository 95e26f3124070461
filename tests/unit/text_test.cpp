#include "domain/text.h"

#include <gtest/gtest.h>

#include <string>

namespace docprof::domain {
namespace {

TEST(Trim, RemovesAsciiWhiteSpaceAtBothEnds) {
  EXPECT_EQ(trim(" \t\r\n valuation basics \n\v\f"), "valuation basics");
}

TEST(Trim, KeepsInnerWhiteSpace) {
  EXPECT_EQ(trim("  a  b\tc  "), "a  b\tc");
}

TEST(Trim, RemovesUnicodeSpaces) {
  // U+00A0, U+2003 (em space), U+3000 (ideographic), U+FEFF (BOM), U+202F, U+200B, U+2000.
  EXPECT_EQ(trim("\u00A0\u2003\u3000x y\u202F\u200B\uFEFF\u2000"), "x y");
}

TEST(Trim, AllSpaceBecomesEmpty) {
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t\n"), "");
  EXPECT_EQ(trim("\u00A0\u3000\uFEFF"), "");
}

TEST(Trim, KeepsNonSpaceUnicodeAtTheEdges) {
  EXPECT_EQ(trim(" \u00E9t\u00E9 "), "\u00E9t\u00E9");
  EXPECT_EQ(trim("\u3000\u65E5\u672C\u3000"), "\u65E5\u672C");
  // U+2010 (hyphen) is just past the space range and must stay.
  EXPECT_EQ(trim("\u2010x\u2010"), "\u2010x\u2010");
}

TEST(Trim, InvalidBytesAreNotSpace) {
  EXPECT_EQ(trim(" \xFF "), "\xFF");
  // A truncated NBSP (lead byte only) is not a space either.
  EXPECT_EQ(trim("a\xC2"), "a\xC2");
}

TEST(Utf8Length, CountsCodePointsNotBytes) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("h\u00E9llo"), 5u);          // 6 bytes
  EXPECT_EQ(utf8_length("\u65E5\u672C\u8A9E"), 3u);  // 9 bytes
  EXPECT_EQ(utf8_length("\xF0\x9F\x98\x80!"), 2u);   // emoji + '!'
}

TEST(Utf8Length, EachInvalidByteCountsOnce) {
  EXPECT_EQ(utf8_length("a\xFF\xFE"
                        "b"),
            4u);
  EXPECT_EQ(utf8_length("\xE6\x97"), 2u);  // truncated 3-byte sequence
  EXPECT_EQ(utf8_length("\x80\x80"), 2u);  // lone continuation bytes
}

TEST(Utf8Prefix, TakesWholeCodePoints) {
  EXPECT_EQ(utf8_prefix("h\u00E9llo", 2), "h\u00E9");
  EXPECT_EQ(utf8_prefix("\u65E5\u672C\u8A9E", 2), "\u65E5\u672C");
  EXPECT_EQ(utf8_prefix("\xF0\x9F\x98\x80x", 1), "\xF0\x9F\x98\x80");
}

TEST(Utf8Prefix, EdgeCounts) {
  EXPECT_EQ(utf8_prefix("abc", 0), "");
  EXPECT_EQ(utf8_prefix("abc", 3), "abc");
  EXPECT_EQ(utf8_prefix("abc", 100), "abc");
  EXPECT_EQ(utf8_prefix("", 5), "");
}

TEST(Utf8Prefix, ResultIsAlwaysValidForValidInput) {
  const std::string text = "a\u00E9\u65E5\xF0\x9F\x98\x80z";
  for (std::size_t n = 0; n <= utf8_length(text); ++n) {
    const std::string prefix = utf8_prefix(text, n);
    EXPECT_TRUE(is_valid_utf8(prefix)) << n;
    EXPECT_EQ(utf8_length(prefix), n);
  }
}

TEST(IsValidUtf8, AcceptsWellFormedText) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\u00E9\u65E5\U0010FFFF\xF0\x9F\x98\x80"));
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF"));  // U+D7FF, just below the surrogates
}

TEST(IsValidUtf8, RejectsIllFormedSequences) {
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong 3-byte
  EXPECT_FALSE(is_valid_utf8("\xF0\x80\x80\xAF"));  // overlong 4-byte
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xE6\x97"));          // truncated
  EXPECT_FALSE(is_valid_utf8("ok\xFF"));            // never valid byte
  EXPECT_FALSE(is_valid_utf8("\xC3("));             // bad continuation
}

TEST(AsciiLower, LowersAsciiOnly) {
  EXPECT_EQ(ascii_lower("Corporate VALUATION 101"), "corporate valuation 101");
  EXPECT_EQ(ascii_lower("\u00C0B\u00C9"), "\u00C0b\u00C9");  // non-ASCII letters untouched
  EXPECT_EQ(ascii_lower(""), "");
}

}  // namespace
}  // namespace docprof::domain
