// FindMentions and MatchNamePrefix (fcgi-app/services/mention_finder.h):
// which "@Nome" in a text is a mention of which member, and which names the
// composer's completion offers for what was typed.
#include "fcgi-app/services/mention_finder.h"

#include <gtest/gtest.h>

namespace papo {
namespace {

using Ids = std::vector<int64_t>;

const std::vector<MentionCandidate> kMembers = {
    {1, "Ana"}, {2, "Ana Souza"}, {3, "Bruno"}, {4, "João Émile"}, {5, "Zoë"}, {6, "Anabela"},
};
constexpr int64_t kAuthor = 99;

TEST(FindMentionsTest, TextWithoutAtMentionsNoOne) {
  EXPECT_EQ(FindMentions("Olá Ana e Bruno", kMembers, kAuthor), Ids{});
}

TEST(FindMentionsTest, AtNameAtTheStartMentionsTheMember) {
  EXPECT_EQ(FindMentions("@Bruno, tudo bem?", kMembers, kAuthor), Ids{3});
}

TEST(FindMentionsTest, NameWithASpaceIsOneMention) {
  EXPECT_EQ(FindMentions("fala com @Ana Souza amanhã", kMembers, kAuthor), Ids{2});
}

TEST(FindMentionsTest, LongestMatchingNameWins) {
  // "Ana" also matches at that "@", and ends at a word boundary: the longer
  // "Ana Souza" still wins.
  EXPECT_EQ(FindMentions("@Ana Souza", kMembers, kAuthor), Ids{2});
}

TEST(FindMentionsTest, ShorterNameMatchesWhenTheLongerDoesNot) {
  EXPECT_EQ(FindMentions("@Ana Silva chegou", kMembers, kAuthor), Ids{1});
}

TEST(FindMentionsTest, NameMustEndAtAWordBoundary) {
  EXPECT_EQ(FindMentions("@Anab chegou", kMembers, kAuthor), Ids{});
  EXPECT_EQ(FindMentions("@Brunos", kMembers, kAuthor), Ids{});
}

TEST(FindMentionsTest, LongerMemberNameThatIsAWholeWordIsMentioned) {
  EXPECT_EQ(FindMentions("@Anabela!", kMembers, kAuthor), Ids{6});
}

TEST(FindMentionsTest, PunctuationAfterTheNameEndsIt) {
  for (const char* text : {"@Bruno.", "@Bruno,", "(@Bruno)", "@Bruno?", "@Bruno…", "@Bruno 👍", "«@Bruno»"}) {
    EXPECT_EQ(FindMentions(text, kMembers, kAuthor), Ids{3}) << text;
  }
}

TEST(FindMentionsTest, CaseIsIgnoredIncludingAccentedCapitals) {
  EXPECT_EQ(FindMentions("@ANA SOUZA", kMembers, kAuthor), Ids{2});
  EXPECT_EQ(FindMentions("@JOÃO ÉMILE", {{7, "joão émile"}}, kAuthor), Ids{7});
  EXPECT_EQ(FindMentions("@zoË", kMembers, kAuthor), Ids{5});
}

TEST(FindMentionsTest, AccentsAreNotIgnored) {
  // A mention names the member exactly (the completion inserts the name):
  // "Joao" is another person's name than "João".
  EXPECT_EQ(FindMentions("@Joao Emile", kMembers, kAuthor), Ids{});
}

TEST(FindMentionsTest, AnEmailAddressIsNotAMention) {
  EXPECT_EQ(FindMentions("escreva para bruno@Bruno.com", kMembers, kAuthor), Ids{});
  EXPECT_EQ(FindMentions("x@Ana", kMembers, kAuthor), Ids{});
}

TEST(FindMentionsTest, AtAfterPunctuationOrSpaceStartsAMention) {
  EXPECT_EQ(FindMentions("oi,@Bruno", kMembers, kAuthor), Ids{3});
  EXPECT_EQ(FindMentions("oi\n@Bruno", kMembers, kAuthor), Ids{3});
  EXPECT_EQ(FindMentions("@@Bruno", kMembers, kAuthor), Ids{3});
}

TEST(FindMentionsTest, AuthorMentioningThemselfIsNotRecorded) {
  EXPECT_EQ(FindMentions("@Bruno e @Ana", kMembers, 3), Ids{1});
}

TEST(FindMentionsTest, EachUserOnceAndIdsAscending) {
  EXPECT_EQ(FindMentions("@Bruno @Ana @bruno @Zoë @ana", kMembers, kAuthor), (Ids{1, 3, 5}));
}

TEST(FindMentionsTest, MembersWithTheSameNameAreAllMentioned) {
  std::vector<MentionCandidate> twins = {{10, "Carla"}, {11, "carla"}, {12, "Carlos"}};
  EXPECT_EQ(FindMentions("@Carla", twins, kAuthor), (Ids{10, 11}));
}

TEST(FindMentionsTest, NameNotOfAMemberIsNotMentioned) {
  EXPECT_EQ(FindMentions("@Ricardo", kMembers, kAuthor), Ids{});
}

TEST(FindMentionsTest, BareAtAndAtTheEndMentionNoOne) {
  EXPECT_EQ(FindMentions("@", kMembers, kAuthor), Ids{});
  EXPECT_EQ(FindMentions("fim @", kMembers, kAuthor), Ids{});
  EXPECT_EQ(FindMentions("@ Ana", kMembers, kAuthor), Ids{});
}

TEST(FindMentionsTest, MemberWithAnEmptyNameMatchesNothing) {
  EXPECT_EQ(FindMentions("@ oi", {{8, ""}}, kAuthor), Ids{});
}

TEST(FindMentionsTest, NameEndingInPunctuationNeedsNoBoundary) {
  EXPECT_EQ(FindMentions("@Dr. Who? ok", {{9, "Dr."}}, kAuthor), Ids{9});
}

TEST(FindMentionsTest, CombiningMarkAfterTheNameIsPartOfTheWord) {
  // "Ana" + U+0301 is another word (Aná), not Ana followed by a mark.
  EXPECT_EQ(FindMentions("@Ana\xCC\x81", kMembers, kAuthor), Ids{});
}

TEST(FindMentionsTest, InvalidUtf8MentionsNoOne) {
  EXPECT_EQ(FindMentions("@Bruno \xFF", kMembers, kAuthor), Ids{});
}

TEST(FindMentionsTest, NonLatinNamesAreMatchedWithoutCase) {
  EXPECT_EQ(FindMentions("привет @ОЛЬГА!", {{20, "Ольга"}}, kAuthor), Ids{20});
}

TEST(MatchNamePrefixTest, EmptyPrefixMatchesEveryName) {
  EXPECT_EQ(MatchNamePrefix("Ana", ""), PrefixMatch::kWholeName);
}

TEST(MatchNamePrefixTest, StartOfTheNameIgnoringCaseAndAccents) {
  EXPECT_EQ(MatchNamePrefix("João Émile", "joao"), PrefixMatch::kWholeName);
  EXPECT_EQ(MatchNamePrefix("João Émile", "JOÃO E"), PrefixMatch::kWholeName);
  EXPECT_EQ(MatchNamePrefix("Zoë", "zoe"), PrefixMatch::kWholeName);
  EXPECT_EQ(MatchNamePrefix("Łukasz", "luk"), PrefixMatch::kWholeName);
}

TEST(MatchNamePrefixTest, DecomposedAccentsInThePrefixAreIgnored) {
  EXPECT_EQ(MatchNamePrefix("João", "Joa\xCC\x83o"), PrefixMatch::kWholeName);
}

TEST(MatchNamePrefixTest, StartOfALaterWord) {
  EXPECT_EQ(MatchNamePrefix("Ana Souza", "sou"), PrefixMatch::kWord);
  EXPECT_EQ(MatchNamePrefix("João Émile", "emi"), PrefixMatch::kWord);
}

TEST(MatchNamePrefixTest, MiddleOfAWordDoesNotMatch) {
  EXPECT_EQ(MatchNamePrefix("Ana Souza", "ouza"), PrefixMatch::kNone);
  EXPECT_EQ(MatchNamePrefix("Bruno", "runo"), PrefixMatch::kNone);
}

TEST(MatchNamePrefixTest, PrefixLongerThanTheNameDoesNotMatch) {
  EXPECT_EQ(MatchNamePrefix("Ana", "Anabela"), PrefixMatch::kNone);
}

TEST(NameSearchKeyTest, FoldsAndStripsAccents) {
  EXPECT_EQ(NameSearchKey("ÁÉÍÓÚ ãõ ç ñ Ş"), U"aeiou ao c n s");
}

}  // namespace
}  // namespace papo
