#include "fcgi-app/services/validation.h"

#include <gtest/gtest.h>

namespace papo {
namespace {

FormFields Form(std::initializer_list<std::pair<std::string, std::string>> pairs) {
  FormFields fields;
  for (const auto& [name, value] : pairs) fields.Add(name, value);
  return fields;
}

std::string Repeat(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

TEST(ValidateSendTest, AcceptsAndTrimsAMessage) {
  SendInput input;
  auto errors = ValidateSend(Form({{"sala_id", "3"}, {"mensagem", "  Olá!\n "}}), 1000, input);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(input.sala_id, 3);
  EXPECT_EQ(input.mensagem, "Olá!");
}

TEST(ValidateSendTest, AThousandAccentedCodePointsPassAndOneMoreFails) {
  SendInput input;
  EXPECT_TRUE(ValidateSend(Form({{"sala_id", "1"}, {"mensagem", Repeat("ã", 1000)}}), 1000, input).empty());
  auto errors = ValidateSend(Form({{"sala_id", "1"}, {"mensagem", Repeat("ã", 1001)}}), 1000, input);
  ASSERT_TRUE(errors.count("mensagem"));
  EXPECT_NE(errors["mensagem"].find("1000"), std::string::npos);
}

TEST(ValidateSendTest, LengthIsCountedAfterTrimming) {
  SendInput input;
  EXPECT_TRUE(ValidateSend(Form({{"sala_id", "1"}, {"mensagem", "  " + Repeat("a", 1000) + "  "}}), 1000, input).empty());
}

TEST(ValidateSendTest, EmojiCountAsOneCharacter) {
  SendInput input;
  EXPECT_TRUE(ValidateSend(Form({{"sala_id", "1"}, {"mensagem", Repeat("😀", 10)}}), 10, input).empty());
  EXPECT_FALSE(ValidateSend(Form({{"sala_id", "1"}, {"mensagem", Repeat("😀", 11)}}), 10, input).empty());
}

TEST(ValidateSendTest, WhiteSpaceOnlyIsRefused) {
  SendInput input;
  for (const char* blank : {"", " ", "\t\r\n", "\u00A0", "\u2003\u3000", "\u200B"}) {
    auto errors = ValidateSend(Form({{"sala_id", "1"}, {"mensagem", blank}}), 1000, input);
    EXPECT_TRUE(errors.count("mensagem")) << "[" << blank << "]";
  }
}

TEST(ValidateSendTest, MissingMessageIsRefused) {
  SendInput input;
  EXPECT_TRUE(ValidateSend(Form({{"sala_id", "1"}}), 1000, input).count("mensagem"));
}

TEST(ValidateSendTest, InvalidUtf8IsRefused) {
  SendInput input;
  auto errors = ValidateSend(Form({{"sala_id", "1"}, {"mensagem", "a\xFF"}}), 1000, input);
  ASSERT_TRUE(errors.count("mensagem"));
  EXPECT_NE(errors["mensagem"].find("UTF-8"), std::string::npos);
}

TEST(ValidateSendTest, ControlCharactersAreRefusedButLineBreaksAreKept) {
  SendInput input;
  EXPECT_TRUE(ValidateSend(Form({{"sala_id", "1"}, {"mensagem", "a\x07"}}), 1000, input).count("mensagem"));
  EXPECT_TRUE(ValidateSend(Form({{"sala_id", "1"}, {"mensagem", "linha 1\nlinha 2\tfim"}}), 1000, input).empty());
  EXPECT_EQ(input.mensagem, "linha 1\nlinha 2\tfim");
}

TEST(ValidateSendTest, SalaIdMustBeAPositiveInteger) {
  SendInput input;
  for (const char* bad : {"", "0", "-3", "+3", "3.0", "abc", " 3", "1e3", "9999999999999999"}) {
    EXPECT_TRUE(ValidateSend(Form({{"sala_id", bad}, {"mensagem", "oi"}}), 1000, input).count("sala_id")) << bad;
  }
  EXPECT_TRUE(ValidateSend(Form({{"mensagem", "oi"}}), 1000, input).count("sala_id"));
}

TEST(ValidateSendTest, ClientIdIsAtMost64Characters) {
  SendInput input;
  EXPECT_TRUE(ValidateSend(Form({{"sala_id", "1"}, {"mensagem", "oi"}, {"client_id", Repeat("é", 64)}}), 1000, input).empty());
  EXPECT_EQ(input.client_id, Repeat("é", 64));
  EXPECT_TRUE(ValidateSend(Form({{"sala_id", "1"}, {"mensagem", "oi"}, {"client_id", Repeat("x", 65)}}), 1000, input)
                  .count("client_id"));
}

TEST(ValidateHistoryTest, DefaultsAndBounds) {
  HistoryQuery query;
  EXPECT_TRUE(ValidateHistory(Form({{"sala_id", "1"}}), query).empty());
  EXPECT_EQ(query.limit, 50);
  EXPECT_EQ(query.offset, 0);
  HistoryQuery bounds;
  EXPECT_TRUE(ValidateHistory(Form({{"sala_id", "1"}, {"limit", "1"}}), bounds).empty());
  EXPECT_TRUE(ValidateHistory(Form({{"sala_id", "1"}, {"limit", "200"}}), bounds).empty());
  EXPECT_TRUE(ValidateHistory(Form({{"sala_id", "1"}, {"limit", "0"}}), bounds).count("limit"));
  EXPECT_TRUE(ValidateHistory(Form({{"sala_id", "1"}, {"limit", "201"}}), bounds).count("limit"));
  EXPECT_TRUE(ValidateHistory(Form({{"sala_id", "1"}, {"offset", "-1"}}), bounds).count("offset"));
  EXPECT_TRUE(ValidateHistory(Form({{"sala_id", "1"}, {"offset", "0"}}), bounds).empty());
}

TEST(ValidateHistoryTest, OnlyOnePaginationModeAtATime) {
  HistoryQuery query;
  EXPECT_FALSE(ValidateHistory(Form({{"sala_id", "1"}, {"antes_seq", "5"}, {"apos_seq", "1"}}), query).empty());
}

TEST(ValidateRegistrationTest, NormalizesEmailAndChecksEveryField) {
  RegistrationInput input;
  auto ok = ValidateRegistration(
      Form({{"nome", " Ana "}, {"email", " Ana@Exemplo.COM "}, {"senha", "segredo123"}, {"confirmar_senha", "segredo123"}}),
      input);
  EXPECT_TRUE(ok.empty());
  EXPECT_EQ(input.nome, "Ana");
  EXPECT_EQ(input.email, "ana@exemplo.com");
  auto bad = ValidateRegistration(Form({{"nome", ""}, {"email", "x@"}, {"senha", "1234567"}, {"confirmar_senha", "y"}}),
                                  input);
  EXPECT_EQ(bad.size(), 4u);
}

TEST(ValidateRoomTest, PrivateFlagAndMembers) {
  RoomInput input;
  EXPECT_TRUE(ValidateRoom(Form({{"nome", "Time"}, {"privada", "on"}, {"membros", "a@x.com, b@y.org"}}), input).empty());
  EXPECT_TRUE(input.privada);
  ASSERT_EQ(input.membros.size(), 2u);
  EXPECT_EQ(input.membros[1], "b@y.org");
  RoomInput public_room;
  EXPECT_TRUE(ValidateRoom(Form({{"nome", "Aberta"}, {"membros", "a@x.com"}}), public_room).count("membros"));
  RoomInput bad_member;
  EXPECT_TRUE(ValidateRoom(Form({{"nome", "X"}, {"privada", "1"}, {"membros", "nao-email"}}), bad_member).count("membros"));
}

TEST(SafeNextPathTest, OnlyLocalPaths) {
  EXPECT_EQ(SafeNextPath("/chat/sala/2?x=1"), "/chat/sala/2?x=1");
  EXPECT_EQ(SafeNextPath("//evil.example"), "/chat/listar-salas");
  EXPECT_EQ(SafeNextPath("/\\evil.example"), "/chat/listar-salas");
  EXPECT_EQ(SafeNextPath("https://evil.example"), "/chat/listar-salas");
  EXPECT_EQ(SafeNextPath("/a\r\nSet-Cookie: x"), "/chat/listar-salas");
  EXPECT_EQ(SafeNextPath(""), "/chat/listar-salas");
}

}  // namespace
}  // namespace papo
