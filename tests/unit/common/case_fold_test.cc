#include "common/case_fold.h"

#include <gtest/gtest.h>

namespace papo {
namespace {

TEST(CaseFoldTest, LowersAscii) { EXPECT_EQ(FoldCase("Sala GERAL 42!"), "sala geral 42!"); }

TEST(CaseFoldTest, LowersPortugueseAccentedCapitals) {
  EXPECT_EQ(FoldCase("SUPORTE TÉCNICO"), FoldCase("Suporte Técnico"));
  EXPECT_EQ(FoldCase("ÀÁÂÃÇÉÊÍÓÔÕÚÜ"), "àáâãçéêíóôõúü");
  EXPECT_EQ(FoldCase("ÉÉÉ"), "ééé");
}

TEST(CaseFoldTest, KeepsMultiplicationSignAndSharpS) {
  EXPECT_EQ(FoldCodePoint(U'×'), U'×');
  EXPECT_EQ(FoldCodePoint(U'÷'), U'÷');
  EXPECT_EQ(FoldCase("Straße"), "straße");
}

TEST(CaseFoldTest, LowersLatin1EdgesAndYDiaeresis) {
  EXPECT_EQ(FoldCodePoint(U'À'), U'à');
  EXPECT_EQ(FoldCodePoint(U'Þ'), U'þ');
  EXPECT_EQ(FoldCodePoint(U'Ø'), U'ø');
  EXPECT_EQ(FoldCodePoint(U'Ÿ'), U'ÿ');
}

TEST(CaseFoldTest, LowersLatinExtendedAPairs) {
  EXPECT_EQ(FoldCase("ĀĂĄĆČĎĐĒĚĞĲĶ"), "āăąćčďđēěğĳķ");
  EXPECT_EQ(FoldCase("ĹĽŁŃŇ"), "ĺľłńň");   // odd capitals
  EXPECT_EQ(FoldCase("ŊŐŒŘŚŠŤŮŰŴŶ"), "ŋőœřśšťůűŵŷ");
  EXPECT_EQ(FoldCase("ŹŻŽ"), "źżž");       // odd capitals again
  EXPECT_EQ(FoldCase("ĸŉ"), "ĸŉ");         // no case
  EXPECT_EQ(FoldCodePoint(U'İ'), U'i');
  EXPECT_EQ(FoldCodePoint(U'ſ'), U's');
}

TEST(CaseFoldTest, LowercaseLettersStayAsTheyAre) {
  EXPECT_EQ(FoldCase("āćĺńźàéõ αβγ ябв"), "āćĺńźàéõ αβγ ябв");
}

TEST(CaseFoldTest, LowersGreekWithTonosAndFinalSigma) {
  EXPECT_EQ(FoldCase("ΑΘΗΝΑ"), "αθηνα");
  EXPECT_EQ(FoldCase("ΆΈΉΊΌΎΏ"), "άέήίόύώ");
  EXPECT_EQ(FoldCase("ΛΟΓΟΣ"), FoldCase("λογος"));  // σ and ς meet
}

TEST(CaseFoldTest, LowersCyrillic) {
  EXPECT_EQ(FoldCase("МОСКВА"), "москва");
  EXPECT_EQ(FoldCase("ЁЂЏ"), "ёђџ");
  EXPECT_EQ(FoldCase("ҐЄІЇ"), "ґєії");
  EXPECT_EQ(FoldCodePoint(U'Ӏ'), U'ӏ');
  EXPECT_EQ(FoldCodePoint(U'Ӂ'), U'ӂ');
  EXPECT_EQ(FoldCodePoint(U'Ӑ'), U'ӑ');
}

TEST(CaseFoldTest, LeavesOtherScriptsAndEmojiAlone) {
  EXPECT_EQ(FoldCase("日本語 🎉 Ǆ"), "日本語 🎉 Ǆ");
}

TEST(CaseFoldTest, InvalidUtf8FoldsAsciiAndKeepsOtherBytes) {
  EXPECT_EQ(FoldCase("AB\xC3" "C\xFF"), "ab\xC3" "c\xFF");
}

TEST(CaseFoldTest, EmptyStaysEmpty) { EXPECT_EQ(FoldCase(""), ""); }

}  // namespace
}  // namespace papo
