// The words of a search and the snippet of a result (search_text.h).
#include "fcgi-app/services/search_text.h"

#include <gtest/gtest.h>

namespace papo {
namespace {

using Words = std::vector<std::string>;

TEST(SearchTextTest, WordsAreRunsOfLettersAndDigits) {
  EXPECT_EQ(SearchWords("  ação, é-mail! 42 foo_bar  "), (Words{"ação", "é", "mail", "42", "foo", "bar"}));
}

TEST(SearchTextTest, WordsEqualWithoutCaseOrAccentsCountOnce) {
  EXPECT_EQ(SearchWords("Ação acao AÇÃO casa"), (Words{"Ação", "casa"}));
}

TEST(SearchTextTest, QueryWithoutLettersHasNoWords) {
  EXPECT_TRUE(SearchWords("?! *** \"\" 🎉").empty());
  EXPECT_TRUE(SearchWords("\xff\xfe").empty());
}

TEST(SearchTextTest, MarksEveryMatchingWordWithoutCaseOrAccents) {
  EXPECT_EQ(SearchSnippet("A AÇÃO e a acao", {"acao"}), "A <mark>AÇÃO</mark> e a <mark>acao</mark>");
}

TEST(SearchTextTest, MarksWholeWordsOnly) {
  EXPECT_EQ(SearchSnippet("casamento na casa", {"casa"}), "casamento na <mark>casa</mark>");
}

TEST(SearchTextTest, EscapesHtmlInTheMessage) {
  EXPECT_EQ(SearchSnippet("<b>oi</b> & \"tchau\" 'x'", {"oi"}),
            "&lt;b&gt;<mark>oi</mark>&lt;/b&gt; &amp; &quot;tchau&quot; &#39;x&#39;");
  EXPECT_EQ(SearchSnippet("<script>alert(1)</script>", {"script"}),
            "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;");
}

TEST(SearchTextTest, CutsAroundTheFirstMatchWithEllipses) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "p" + std::to_string(i) + " ";
  text += "alvo";
  for (int i = 40; i < 80; ++i) text += " p" + std::to_string(i);
  std::string snippet = SearchSnippet(text, {"alvo"}, 2);
  EXPECT_EQ(snippet, "…p38 p39 <mark>alvo</mark> p40 p41…");
}

TEST(SearchTextTest, NoEllipsisWhereTheMessageIsWhole) {
  EXPECT_EQ(SearchSnippet("um dois alvo três", {"alvo"}, 5), "um dois <mark>alvo</mark> três");
  EXPECT_EQ(SearchSnippet("alvo um dois três", {"alvo"}, 1), "<mark>alvo</mark> um…");
  EXPECT_EQ(SearchSnippet("um dois três alvo.", {"alvo"}, 1), "…três <mark>alvo</mark>.");
}

TEST(SearchTextTest, MultiByteTextIsCutAtWordBoundaries) {
  EXPECT_EQ(SearchSnippet("ç ã é 😀 ñ ü 日本 ação ø å ß", {"ACAO"}, 2), "…ü 日本 <mark>ação</mark> ø å…");
}

TEST(SearchTextTest, WithoutAMatchTheStartIsShown) {
  EXPECT_EQ(SearchSnippet("um dois três quatro", {"nada"}, 1), "um dois…");
}

TEST(SearchTextTest, InvalidUtf8IsEscapedWhole) {
  EXPECT_EQ(SearchSnippet("<\xff>", {"x"}), "&lt;\xff&gt;");
}

}  // namespace
}  // namespace papo
