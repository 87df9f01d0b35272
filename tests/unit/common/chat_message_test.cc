#include "common/chat_message.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

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
