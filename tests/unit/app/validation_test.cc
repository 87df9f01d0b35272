#include "fcgi-app/services/validation.h"

#include <gtest/gtest.h>

#include "fcgi-app/http/body_params.h"

namespace papo {
namespace {

FormFields Form(std::initializer_list<std::pair<std::string, std::string>> pairs) {
  FormFields fields;
  for (const auto& [name, value] : pairs) fields.Add(name, value);
  return fields;
}

// The fields of a JSON body, as the router hands them to a handler.
FormFields Json(const std::string& body) {
  Request request;
  request.method = "POST";
  request.content_type = "application/json";
  request.body = body;
  auto fields = ParseBodyParams(request);
  EXPECT_TRUE(fields.ok()) << body;
  return fields.ok() ? *fields : FormFields{};
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
  auto both = ValidateHistory(Form({{"sala_id", "1"}, {"antes_seq", "5"}, {"apos_seq", "1"}}), query);
  EXPECT_EQ(both.size(), 1u);
  EXPECT_TRUE(both.count("apos_seq")) << "the error sits on a field the request gave";
  HistoryQuery second;
  auto with_offset = ValidateHistory(Form({{"sala_id", "1"}, {"offset", "5"}, {"antes_seq", "9"}}), second);
  EXPECT_TRUE(with_offset.count("antes_seq"));
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

TEST(JsonTypesTest, SalaIdAcceptsAJsonIntegerAndAStringOfDigits) {
  SendInput input;
  EXPECT_TRUE(ValidateSend(Json(R"({"sala_id":3,"mensagem":"oi"})"), 1000, input).empty());
  EXPECT_EQ(input.sala_id, 3);
  EXPECT_TRUE(ValidateSend(Json(R"({"sala_id":"4","mensagem":"oi"})"), 1000, input).empty());
  EXPECT_EQ(input.sala_id, 4);
}

TEST(JsonTypesTest, SalaIdSpelledAsIntegralFloatIsTheInteger) {
  SendInput input;
  EXPECT_TRUE(ValidateSend(Json(R"({"sala_id":1.0,"mensagem":"oi"})"), 1000, input).empty());
  EXPECT_EQ(input.sala_id, 1);
}

TEST(JsonTypesTest, SalaIdOfAnyOtherTypeIsRefused) {
  for (const char* bad : {"true", "false", "null", "[1]", "{\"id\":1}", "1.5", "-1", "0", "\"1.0\"", "1e300"}) {
    SendInput input;
    auto errors = ValidateSend(Json(std::string(R"({"mensagem":"oi","sala_id":)") + bad + "}"), 1000, input);
    ASSERT_TRUE(errors.count("sala_id")) << bad;
    EXPECT_EQ(errors["sala_id"], "A sala (sala_id) deve ser um número inteiro positivo.") << bad;
    EXPECT_EQ(errors.size(), 1u) << bad;
  }
}

TEST(JsonTypesTest, MensagemMustBeAString) {
  for (const char* bad : {"true", "123", "1.5e3", "null", "[\"a\"]", "{\"a\":\"b\"}"}) {
    SendInput input;
    auto errors = ValidateSend(Json(std::string(R"({"sala_id":1,"mensagem":)") + bad + "}"), 1000, input);
    ASSERT_TRUE(errors.count("mensagem")) << bad;
    EXPECT_EQ(errors["mensagem"], "A mensagem deve ser um texto.") << bad;
    EXPECT_EQ(input.mensagem, "") << bad;
  }
}

TEST(JsonTypesTest, ClientIdMustBeAString) {
  SendInput input;
  auto errors = ValidateSend(Json(R"({"sala_id":1,"mensagem":"oi","client_id":5})"), 1000, input);
  ASSERT_TRUE(errors.count("client_id"));
  EXPECT_EQ(errors["client_id"], "O client_id deve ser um texto.");
  EXPECT_EQ(input.client_id, "");
}

TEST(JsonTypesTest, ReadRefusesABooleanRoomAndSeq) {
  ReadInput input;
  EXPECT_TRUE(ValidateRead(Json(R"({"sala_id":true})"), input).count("sala_id"));
  auto errors = ValidateRead(Json(R"({"sala_id":1,"seq":false})"), input);
  EXPECT_TRUE(errors.count("seq"));
  EXPECT_FALSE(input.seq.has_value());
  ReadInput ok;
  EXPECT_TRUE(ValidateRead(Json(R"({"sala_id":1,"seq":4})"), ok).empty());
  EXPECT_EQ(ok.seq, 4);
}

TEST(JsonTypesTest, DigitandoIsABooleanOrZeroOrOne) {
  for (const char* yes : {"true", "1", "\"1\"", "\"true\""}) {
    TypingInput input;
    EXPECT_TRUE(ValidateTyping(Json(std::string(R"({"sala_id":1,"digitando":)") + yes + "}"), input).empty()) << yes;
    EXPECT_TRUE(input.digitando) << yes;
  }
  for (const char* no : {"false", "0", "\"0\""}) {
    TypingInput input;
    input.digitando = true;
    EXPECT_TRUE(ValidateTyping(Json(std::string(R"({"sala_id":1,"digitando":)") + no + "}"), input).empty()) << no;
    EXPECT_FALSE(input.digitando) << no;
  }
}

TEST(JsonTypesTest, DigitandoOfAnyOtherValueIsRefusedOnItsOwnField) {
  for (const char* bad : {"\"x\"", "2", "0.5", "null", "[]", "{}"}) {
    TypingInput input;
    auto errors = ValidateTyping(Json(std::string(R"({"sala_id":1,"digitando":)") + bad + "}"), input);
    ASSERT_EQ(errors.size(), 1u) << bad;
    EXPECT_TRUE(errors.count("digitando")) << bad;
    EXPECT_EQ(errors["digitando"].substr(0, 10), "O campo di") << bad;
  }
}

TEST(JsonTypesTest, HistoryCountsMustBeIntegers) {
  HistoryQuery query;
  EXPECT_TRUE(ValidateHistory(Json(R"({"sala_id":1,"limit":true})"), query).count("limit"));
  EXPECT_TRUE(ValidateHistory(Json(R"({"sala_id":1,"offset":1.5})"), query).count("offset"));
  EXPECT_TRUE(ValidateHistory(Json(R"({"sala_id":1,"antes_seq":[2]})"), query).count("antes_seq"));
  EXPECT_TRUE(ValidateHistory(Json(R"({"sala_id":1,"apos_seq":null})"), query).count("apos_seq"));
}

TEST(JsonTypesTest, RegistrationFieldsMustBeStrings) {
  RegistrationInput input;
  auto errors = ValidateRegistration(
      Json(R"({"nome":5,"email":true,"senha":12345678,"confirmar_senha":12345678})"), input);
  EXPECT_EQ(errors["nome"], "O nome deve ser um texto.");
  EXPECT_EQ(errors["email"], "O e-mail deve ser um texto.");
  EXPECT_EQ(errors["senha"], "A senha deve ser um texto.");
  EXPECT_EQ(errors["confirmar_senha"], "A confirmação da senha deve ser um texto.");
}

TEST(JsonTypesTest, LoginFieldsMustBeStrings) {
  LoginInput input;
  auto errors = ValidateLogin(Json(R"({"email":["a@b.c"],"senha":{"x":1},"next":7})"), input);
  EXPECT_EQ(errors["email"], "O e-mail deve ser um texto.");
  EXPECT_EQ(errors["senha"], "A senha deve ser um texto.");
  EXPECT_EQ(input.next, "/chat/listar-salas");
}

TEST(JsonTypesTest, RoomTakesBooleanPrivadaAndStringNames) {
  RoomInput input;
  EXPECT_TRUE(ValidateRoom(Json(R"({"nome":"Time","privada":true,"membros":"a@x.com"})"), input).empty());
  EXPECT_TRUE(input.privada);
  RoomInput bad;
  auto errors = ValidateRoom(Json(R"({"nome":1,"descricao":false,"privada":"talvez"})"), bad);
  EXPECT_EQ(errors["nome"], "O nome da sala deve ser um texto.");
  EXPECT_EQ(errors["descricao"], "A descrição deve ser um texto.");
  EXPECT_TRUE(errors.count("privada"));
}

TEST(ValidateRoomTest, PrivadaOtherThanYesOrNoIsRefused) {
  RoomInput input;
  auto errors = ValidateRoom(Form({{"nome", "X2"}, {"privada", "abc"}}), input);
  ASSERT_TRUE(errors.count("privada"));
  EXPECT_EQ(errors["privada"], "Indique se a sala é privada com 1 (sim) ou 0 (não).");
  RoomInput unchecked;
  EXPECT_TRUE(ValidateRoom(Form({{"nome", "X3"}, {"privada", ""}}), unchecked).empty());
  EXPECT_FALSE(unchecked.privada);
}

TEST(ErrorTextTest, NameErrorsAreCapitalizedSentences) {
  RegistrationInput person;
  auto errors = ValidateRegistration(Form({{"nome", Repeat("a", 81)}}), person);
  EXPECT_EQ(errors["nome"], "O nome pode ter no máximo 80 caracteres.");
  EXPECT_EQ(ValidateRegistration(Form({{"nome", "a\x01" "b"}}), person)["nome"], "O nome contém caracteres não permitidos.");
  EXPECT_EQ(ValidateRegistration(Form({{"nome", "a\xFF"}}), person)["nome"],
            "O nome contém caracteres inválidos (UTF-8 inválido).");
  RoomInput room;
  auto room_errors = ValidateRoom(Form({{"nome", Repeat("b", 61)}, {"descricao", Repeat("c", 281)}}), room);
  EXPECT_EQ(room_errors["nome"], "O nome da sala pode ter no máximo 60 caracteres.");
  EXPECT_EQ(room_errors["descricao"], "A descrição pode ter no máximo 280 caracteres.");
  EXPECT_EQ(ValidateRoom(Form({}), room)["nome"], "Informe o nome da sala.");
}

TEST(ErrorTextTest, PasswordOfInvalidUtf8SaysSo) {
  RegistrationInput input;
  std::string senha = "segredo\xFF\xFE" "123";
  auto errors = ValidateRegistration(Form({{"senha", senha}, {"confirmar_senha", senha}}), input);
  EXPECT_EQ(errors["senha"], "A senha contém caracteres inválidos (UTF-8 inválido).");
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
