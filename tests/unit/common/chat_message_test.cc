#include "common/chat_message.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "common/bus/payloads.h"
#include "common/time_format.h"

namespace papo {
namespace {

class ChatMessageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "America/Sao_Paulo", 1);
    tzset();
  }
};

TEST_F(ChatMessageTest, HasEveryFieldOfTheContract) {
  ChatMessage message{12, 1, 7, 3, "Olá!", 1795352400123, false, "Ana"};
  rapidjson::Document document;
  document.Parse(ChatMessageToJson(message).c_str());
  ASSERT_TRUE(document.IsObject());
  EXPECT_EQ(document["id"].GetInt64(), 12);
  EXPECT_EQ(document["sala_id"].GetInt64(), 1);
  EXPECT_EQ(document["seq"].GetInt64(), 7);
  EXPECT_EQ(document["usuario_id"].GetInt64(), 3);
  EXPECT_STREQ(document["mensagem"].GetString(), "Olá!");
  EXPECT_FALSE(document["lida"].GetBool());
  EXPECT_STREQ(document["usuario_nome"].GetString(), "Ana");
  EXPECT_FALSE(document.HasMember("usuario_email"));  // DESIGN §3: no one's e-mail on the wire
  EXPECT_STREQ(document["data_envio"].GetString(), "2026-11-22T10:00:00.123-03:00");
}

TEST_F(ChatMessageTest, CarriesTheConversationFieldsOfDesign9) {
  ChatMessage fresh{12, 1, 7, 3, "Olá!", 1795352400123, false, "Ana"};
  rapidjson::Document document;
  document.Parse(ChatMessageToJson(fresh).c_str());
  ASSERT_TRUE(document.IsObject());
  EXPECT_TRUE(document["editada_em"].IsNull());
  EXPECT_FALSE(document["excluida"].GetBool());
  EXPECT_EQ(document["reacoes"].Size(), 0u);
  EXPECT_EQ(document["mencoes"].Size(), 0u);
  EXPECT_STREQ(document["status"].GetString(), "enviada");

  ChatMessage changed = fresh;
  changed.editada_em_ms = 1795352460000;
  changed.reacoes = {{"👍", 2, true}, {"🎉", 1, false}};
  changed.mencoes = {4, 9};
  changed.status = MessageStatus::kRead;
  document.Parse(ChatMessageToJson(changed).c_str());
  ASSERT_TRUE(document.IsObject());
  EXPECT_STREQ(document["editada_em"].GetString(), "2026-11-22T10:01:00.000-03:00");
  ASSERT_EQ(document["reacoes"].Size(), 2u);
  EXPECT_STREQ(document["reacoes"][0]["emoji"].GetString(), "👍");
  EXPECT_EQ(document["reacoes"][0]["total"].GetInt64(), 2);
  EXPECT_TRUE(document["reacoes"][0]["minha"].GetBool());
  EXPECT_FALSE(document["reacoes"][1]["minha"].GetBool());
  ASSERT_EQ(document["mencoes"].Size(), 2u);
  EXPECT_EQ(document["mencoes"][1].GetInt64(), 9);
  EXPECT_STREQ(document["status"].GetString(), "lida");
}

TEST_F(ChatMessageTest, StatusNamesRoundTrip) {
  for (MessageStatus status : {MessageStatus::kSent, MessageStatus::kDelivered, MessageStatus::kRead}) {
    MessageStatus parsed = MessageStatus::kSent;
    ASSERT_TRUE(ParseMessageStatus(MessageStatusName(status), parsed));
    EXPECT_EQ(parsed, status);
  }
  MessageStatus parsed = MessageStatus::kSent;
  EXPECT_FALSE(ParseMessageStatus("vista", parsed));
}

// The pusher reads a live message's id, seq and author from its first
// fields; what it reads must be what the whole parse reads.
TEST_F(ChatMessageTest, PeekMessageRefReadsWhatTheWriterWrote) {
  ChatMessage message{12, 1, 7, 3, "{\"id\":99,\"seq\":98}", 1795352400123, false, "Ana"};
  auto ref = PeekMessageRef(ChatMessageToJson(message));
  ASSERT_TRUE(ref.has_value());
  EXPECT_EQ(ref->id, 12);
  EXPECT_EQ(ref->seq, 7);
  EXPECT_EQ(ref->usuario_id, 3);
  // Another order or spacing is parsed whole; garbage is refused.
  auto spaced = PeekMessageRef(R"({"sala_id":1, "id":5,"seq":2,"usuario_id":4,"mensagem":"x","data_envio":"t",)"
                               R"("lida":false,"usuario_nome":"n"})");
  ASSERT_TRUE(spaced.has_value());
  EXPECT_EQ(spaced->id, 5);
  EXPECT_EQ(spaced->usuario_id, 4);
  EXPECT_FALSE(PeekMessageRef(R"({"id":5,"sala_id":1,"seq":2,"usuario_id":)").has_value());
  EXPECT_FALSE(PeekMessageRef(R"({"id":"5","sala_id":1,"seq":2,"usuario_id":4})").has_value());
  EXPECT_FALSE(PeekMessageRef("").has_value());
}

TEST_F(ChatMessageTest, EscapesQuotesNewlinesAndControlCharacters) {
  ChatMessage message;
  message.mensagem = "a \"b\"\nc\\d\x01";
  std::string json = ChatMessageToJson(message);
  EXPECT_NE(json.find(R"("a \"b\"\nc\\d\u0001")"), std::string::npos) << json;
  rapidjson::Document document;
  document.Parse(json.c_str());
  ASSERT_TRUE(document.IsObject());
  EXPECT_EQ(std::string(document["mensagem"].GetString()), message.mensagem);
}

TEST_F(ChatMessageTest, SameMessageGivesSameBytes) {
  ChatMessage message{1, 2, 3, 4, "x", 1795341600000, false, "n"};
  EXPECT_EQ(ChatMessageToJson(message), ChatMessageToJson(message));
}

TEST_F(ChatMessageTest, FormatsTimeWithZoneOffset) {
  EXPECT_EQ(FormatIso8601(0), "1969-12-31T21:00:00.000-03:00");
  setenv("TZ", "UTC", 1);
  tzset();
  EXPECT_EQ(FormatIso8601(1500), "1970-01-01T00:00:01.500+00:00");
}

}  // namespace
}  // namespace papo
