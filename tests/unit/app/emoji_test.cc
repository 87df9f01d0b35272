// The reaction emoji validator (fcgi-app/services/emoji.h) and the
// reaction and edit inputs built on it (validation.h).
#include "fcgi-app/services/emoji.h"

#include <gtest/gtest.h>

#include "fcgi-app/db/message_status.h"
#include "fcgi-app/services/validation.h"

namespace papo {
namespace {

TEST(EmojiTest, EveryPaletteEntryIsAccepted) {
  for (std::string_view emoji : kReactionPalette) EXPECT_TRUE(IsReactionEmoji(emoji)) << emoji;
}

TEST(EmojiTest, SinglePictographsAreAccepted) {
  for (const char* emoji : {"😀", "🚀", "🦊", "🫠", "⚽", "⌛", "✅", "🀄", "🧑"}) {
    EXPECT_TRUE(IsReactionEmoji(emoji)) << emoji;
  }
}

TEST(EmojiTest, TextStyleSymbolsNeedTheEmojiSelector) {
  EXPECT_TRUE(IsReactionEmoji("\u2764\uFE0F"));   // ❤️
  EXPECT_FALSE(IsReactionEmoji("\u2764"));        // ❤ as text
  EXPECT_TRUE(IsReactionEmoji("\u263A\uFE0F"));   // ☺️
  EXPECT_FALSE(IsReactionEmoji("\u00A9"));        // ©
  EXPECT_FALSE(IsReactionEmoji("\u2122"));        // ™
}

TEST(EmojiTest, SkinToneModifiersFollowABase) {
  EXPECT_TRUE(IsReactionEmoji("👍🏽"));
  EXPECT_TRUE(IsReactionEmoji("🙏🏿"));
  EXPECT_FALSE(IsReactionEmoji("🏽"));      // a modifier alone
  EXPECT_FALSE(IsReactionEmoji("👍🏽🏽"));  // two modifiers
}

TEST(EmojiTest, ZwjSequencesAreOneEmoji) {
  EXPECT_TRUE(IsReactionEmoji("👩‍💻"));
  EXPECT_TRUE(IsReactionEmoji("👨‍👩‍👧‍👦"));
  EXPECT_TRUE(IsReactionEmoji("🏳️‍🌈"));
  EXPECT_TRUE(IsReactionEmoji("👁‍🗨"));        // text-style parts inside a sequence
  EXPECT_TRUE(IsReactionEmoji("🧑🏽‍🚀"));
  EXPECT_FALSE(IsReactionEmoji("👩\u200D"));   // a joiner at the end
  EXPECT_FALSE(IsReactionEmoji("\u200D👩"));   // a joiner at the start
  EXPECT_FALSE(IsReactionEmoji("👩\u200D\u200D💻"));
  EXPECT_FALSE(IsReactionEmoji("a\u200D👩"));
}

TEST(EmojiTest, KeycapsAndFlags) {
  EXPECT_TRUE(IsReactionEmoji("1\uFE0F\u20E3"));  // 1️⃣
  EXPECT_TRUE(IsReactionEmoji("#\u20E3"));
  EXPECT_FALSE(IsReactionEmoji("a\uFE0F\u20E3"));
  EXPECT_FALSE(IsReactionEmoji("1"));
  EXPECT_TRUE(IsReactionEmoji("🇧🇷"));
  EXPECT_FALSE(IsReactionEmoji("🇧"));            // half a flag
  EXPECT_FALSE(IsReactionEmoji("🇧🇷🇵"));        // a flag and a half
  EXPECT_FALSE(IsReactionEmoji("🇧🇷🇵🇹"));      // two flags
  EXPECT_TRUE(IsReactionEmoji("🏴󠁧󠁢󠁳󠁣󠁴󠁿"));  // Scotland
  EXPECT_FALSE(IsReactionEmoji("🏴\U000E0067\U000E0062"));  // tags without the cancel tag
}

TEST(EmojiTest, LettersTextAndSeveralEmojiAreRefused) {
  for (const char* text : {"", "a", "ok", "é", " 👍", "👍 ", "👍👍", "😀😂", "oi😀", "😀oi", "+1", ":)", "\uFE0F",
                           "\u200D", "👍\uFE0E", "中"}) {
    EXPECT_FALSE(IsReactionEmoji(text)) << "[" << text << "]";
  }
}

TEST(EmojiTest, InvalidUtf8IsRefused) {
  EXPECT_FALSE(IsReactionEmoji("\xF0\x9F\x91"));          // 👍 cut short
  EXPECT_FALSE(IsReactionEmoji("\xED\xA0\xBD\xED\xB8\x80"));  // surrogates in UTF-8
  EXPECT_FALSE(IsReactionEmoji(std::string_view("\xF0\x9F\x91\x8D\0", 5)));
}

TEST(EmojiTest, LongerThanThirtyTwoBytesIsRefused) {
  std::string kiss = "👩🏽‍❤️‍💋‍👨🏻";  // one grapheme, 35 bytes
  ASSERT_GT(kiss.size(), kMaxEmojiBytes);
  EXPECT_FALSE(IsReactionEmoji(kiss));
}

FormFields Form(std::initializer_list<std::pair<std::string, std::string>> pairs) {
  FormFields fields;
  for (const auto& [name, value] : pairs) fields.Add(name, value);
  return fields;
}

TEST(ReactionInputTest, EmojiAndAtivo) {
  ReactionInput input;
  EXPECT_TRUE(ValidateReaction(Form({{"emoji", "👍"}, {"ativo", "0"}}), input).empty());
  EXPECT_EQ(input.emoji, "👍");
  EXPECT_FALSE(input.ativo);
  ReactionInput defaulted;
  EXPECT_TRUE(ValidateReaction(Form({{"emoji", "🎉"}}), defaulted).empty());
  EXPECT_TRUE(defaulted.ativo);
}

TEST(ReactionInputTest, RefusalsNameTheirField) {
  ReactionInput input;
  auto errors = ValidateReaction(Form({{"emoji", "oi"}, {"ativo", "1"}}), input);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors.count("emoji"), 1u);
  errors = ValidateReaction(Form({{"ativo", "1"}}), input);
  EXPECT_EQ(errors.count("emoji"), 1u);
  for (const char* ativo : {"2", "sim", "", "-1", "on"}) {
    errors = ValidateReaction(Form({{"emoji", "👍"}, {"ativo", ativo}}), input);
    EXPECT_EQ(errors.count("ativo"), 1u) << ativo;
  }
  FormFields typed;
  typed.Add("emoji", "1", FieldType::kInteger);
  EXPECT_EQ(ValidateReaction(typed, input).count("emoji"), 1u);
}

TEST(EditInputTest, SameRulesAsSending) {
  std::string mensagem;
  EXPECT_TRUE(ValidateEdit(Form({{"mensagem", "  novo texto "}}), 1000, mensagem).empty());
  EXPECT_EQ(mensagem, "novo texto");
  EXPECT_EQ(ValidateEdit(Form({{"mensagem", "   "}}), 1000, mensagem).count("mensagem"), 1u);
  EXPECT_EQ(ValidateEdit(Form({}), 1000, mensagem).count("mensagem"), 1u);
  EXPECT_EQ(ValidateEdit(Form({{"mensagem", "abcd"}}), 3, mensagem).count("mensagem"), 1u);
  EXPECT_EQ(ValidateEdit(Form({{"mensagem", "\xC3"}}), 1000, mensagem).count("mensagem"), 1u);
}

ChatMessage Message(int64_t seq, int64_t author) {
  ChatMessage message;
  message.seq = seq;
  message.usuario_id = author;
  return message;
}

TEST(MessageStatusTest, OwnMessagesAreReadUpToTheOthersPositionThenDeliveredThenSent) {
  std::vector<ChatMessage> messages = {Message(1, 7), Message(2, 8), Message(3, 7), Message(4, 7)};
  FillAuthorStatus(messages, 7, 1, {3});
  EXPECT_EQ(messages[0].status, MessageStatus::kRead);
  EXPECT_EQ(messages[1].status, MessageStatus::kSent);  // not the reader's
  EXPECT_EQ(messages[2].status, MessageStatus::kDelivered);
  EXPECT_EQ(messages[3].status, MessageStatus::kSent);
}

}  // namespace
}  // namespace papo
