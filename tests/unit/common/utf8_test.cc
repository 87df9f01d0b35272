#include "common/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace papo {
namespace {

TEST(Utf8Test, AcceptsAsciiAndMultibyte) {
  EXPECT_TRUE(IsValidUtf8("ola"));
  EXPECT_TRUE(IsValidUtf8("Olá, ação, 日本, 😀"));
  EXPECT_TRUE(IsValidUtf8(""));
}

TEST(Utf8Test, RejectsTruncatedSequence) { EXPECT_FALSE(IsValidUtf8("\xC3")); }
TEST(Utf8Test, RejectsLoneContinuationByte) { EXPECT_FALSE(IsValidUtf8("a\x80" "b")); }
TEST(Utf8Test, RejectsOverlongEncoding) { EXPECT_FALSE(IsValidUtf8("\xC0\xAF")); }
TEST(Utf8Test, RejectsSurrogates) { EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80")); }
TEST(Utf8Test, RejectsAboveMaxCodePoint) { EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80")); }
TEST(Utf8Test, RejectsInvalidLeadByte) { EXPECT_FALSE(IsValidUtf8("\xFF")); }

TEST(Utf8Test, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountCodePoints("abc"), 3u);
  EXPECT_EQ(CountCodePoints("ção"), 3u);
  EXPECT_EQ(CountCodePoints("😀😀"), 2u);
  std::string accented;
  for (int i = 0; i < 1000; ++i) accented += "é";
  EXPECT_EQ(accented.size(), 2000u);
  EXPECT_EQ(CountCodePoints(accented), 1000u);
}

TEST(Utf8Test, TrimsAsciiAndUnicodeSpace) {
  EXPECT_EQ(TrimUnicodeSpace("  oi \n"), "oi");
  EXPECT_EQ(TrimUnicodeSpace("\u00A0\u3000oi\u2003"), "oi");
  EXPECT_EQ(TrimUnicodeSpace(" a b "), "a b");
  EXPECT_EQ(TrimUnicodeSpace(" \t\u00A0 "), "");
  EXPECT_EQ(TrimUnicodeSpace("é"), "é");
}

// One code point of each UTF-8 length, encoded and decoded back.
TEST(Utf8Test, AppendUtf8RoundTripsEveryLength) {
  for (char32_t c : {U'A', U'é', U'€', U'😀'}) {
    std::string encoded;
    AppendUtf8(encoded, c);
    ASSERT_TRUE(IsValidUtf8(encoded));
    size_t pos = 0;
    EXPECT_EQ(DecodeUtf8(encoded, pos), c);
    EXPECT_EQ(pos, encoded.size());
  }
  std::string emoji;
  AppendUtf8(emoji, U'😀');
  EXPECT_EQ(emoji, "\xF0\x9F\x98\x80");
}

}  // namespace
}  // namespace papo
