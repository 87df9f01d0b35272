// Sending and reading messages through nginx → papo-app → SQLite → Redis
// (DESIGN §3 /chat/enviar, /chat/mensagens, /chat/lida, /chat/digitando).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <thread>

#include "common/bus/names.h"
#include "tests/support/rate_window.h"
#include "tests/support/redis_subscriber.h"
#include "tests/support/json.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

std::string Repeat(const std::string& piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

class MessagesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = new Stack(WithoutPusher({{"CHAT_RATE_LIMIT", "1000"}, {"CHAT_CACHE_SIZE", "50"}}));
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override {
    user_ = std::make_unique<WebUser>(stack_->port());
    ASSERT_EQ(user_->Register("Ana Souza", UniqueEmail("ana")).status, 303);
  }
  // Messages of a room as /chat/mensagens returns them.
  rapidjson::Document History(int64_t sala, const std::string& extra = "") {
    auto response = user_->Get("/chat/mensagens?sala_id=" + std::to_string(sala) + "&limit=200" + extra);
    EXPECT_EQ(response.status, 200) << response.body;
    return Json(response.body);
  }
  static Stack* stack_;
  std::unique_ptr<WebUser> user_;
};
Stack* MessagesTest::stack_ = nullptr;

TEST_F(MessagesTest, SendStoresPublishesAndShowsTheMessage) {
  RedisSubscriber subscriber(stack_->redis(), RoomChannel(1));
  auto response = user_->Send(1, "  Olá, pessoal!  ");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("content-type"), "application/json; charset=utf-8");
  auto sent = Json(response.body);
  ASSERT_TRUE(sent["success"].GetBool());
  int64_t id = sent["mensagem_id"].GetInt64();
  int64_t seq = sent["seq"].GetInt64();
  std::string data_envio = sent["data_envio"].GetString();
  EXPECT_GT(id, 0);
  EXPECT_GT(seq, 0);
  EXPECT_EQ(data_envio.size(), 29u) << data_envio;  // 2026-11-22T10:00:00.123-03:00

  // In /chat/mensagens, trimmed, with every field of the message object.
  auto history = History(1);
  const auto& list = history["mensagens"];
  ASSERT_TRUE(list.IsArray());
  const auto& last = list[list.Size() - 1];
  EXPECT_EQ(last["id"].GetInt64(), id);
  EXPECT_EQ(last["seq"].GetInt64(), seq);
  EXPECT_STREQ(last["mensagem"].GetString(), "Olá, pessoal!");
  EXPECT_STREQ(last["usuario_nome"].GetString(), "Ana Souza");
  EXPECT_STREQ(last["data_envio"].GetString(), data_envio.c_str());
  for (const char* field : {"sala_id", "usuario_id", "lida"}) EXPECT_TRUE(last.HasMember(field));
  EXPECT_FALSE(last.HasMember("usuario_email"));

  // In the room page.
  auto page = user_->Get("/chat/sala/1");
  EXPECT_NE(page.body.find("Olá, pessoal!"), std::string::npos);

  // On the room's channel, as the envelope the pusher reads.
  auto published = subscriber.Next();
  ASSERT_TRUE(published.has_value());
  auto envelope = DecodeEnvelope(*published);
  ASSERT_TRUE(envelope.has_value());
  EXPECT_EQ(envelope->kind, EventKind::kMessage);
  EXPECT_EQ(envelope->seq, seq);
  EXPECT_NE(envelope->json.find("Olá, pessoal!"), std::string_view::npos);

  // In the room's recent cache, under its seq.
  auto redis = stack_->redis().Client();
  auto cached = redis->Command({"ZRANGEBYSCORE", RecentCacheKey(1), std::to_string(seq), std::to_string(seq)});
  ASSERT_TRUE(cached.ok());
  ASSERT_EQ((*cached)->elements, 1u);
  EXPECT_EQ(std::string((*cached)->element[0]->str), std::string(envelope->json));
}

TEST_F(MessagesTest, RecentCacheIsBoundedByCacheSize) {
  for (int i = 0; i < 60; ++i) ASSERT_EQ(user_->Send(2, "msg " + std::to_string(i)).status, 200);
  auto redis = stack_->redis().Client();
  auto count = redis->Command({"ZCARD", RecentCacheKey(2)});
  ASSERT_TRUE(count.ok());
  EXPECT_EQ((*count)->integer, 50);
}

TEST_F(MessagesTest, MessageOfOnlySpacesIsRejectedWithErros) {
  auto before = History(1);
  for (const char* blank : {"   ", "\t\n ", "\u00A0\u3000", ""}) {
    auto response = user_->Send(1, blank);
    EXPECT_EQ(response.status, 422) << blank;
    auto body = Json(response.body);
    EXPECT_FALSE(body["success"].GetBool());
    ASSERT_TRUE(body["erros"].HasMember("mensagem"));
  }
  EXPECT_EQ(History(1)["mensagens"].Size(), before["mensagens"].Size());
}

TEST_F(MessagesTest, AThousandAccentedCharactersAreAcceptedAndOneMoreIsNot) {
  auto ok = user_->Send(1, Repeat("é", 1000));
  EXPECT_EQ(ok.status, 200) << ok.body;
  auto too_long = user_->Send(1, Repeat("é", 1001));
  EXPECT_EQ(too_long.status, 422);
  EXPECT_NE(too_long.body.find("no máximo 1000 caracteres"), std::string::npos);
}

TEST_F(MessagesTest, InvalidUtf8IsRejected) {
  auto response = user_->Send(1, "ol\xC3");
  EXPECT_EQ(response.status, 422);
  EXPECT_NE(response.body.find("UTF-8"), std::string::npos);
}

TEST_F(MessagesTest, BadRoomIdsAreRefused) {
  EXPECT_EQ(user_->Send(999999, "oi").status, 404);
  for (const char* bad : {"0", "-1", "abc", "1.5", ""}) {
    auto response = user_->Post("/chat/enviar", {{"sala_id", bad}, {"mensagem", "oi"}});
    EXPECT_EQ(response.status, 422) << bad;
    EXPECT_NE(response.body.find("sala_id"), std::string::npos);
  }
}

TEST_F(MessagesTest, XssPayloadIsStoredAsTextAndRenderedEscaped) {
  std::string payload = "<script>alert('x')</script><img src=x onerror=alert(1)>";
  ASSERT_EQ(user_->Send(1, payload).status, 200);
  auto page = user_->Get("/chat/sala/1");
  EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
  EXPECT_EQ(page.body.find("<img src=x"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"), std::string::npos);
  auto history = History(1);
  const auto& list = history["mensagens"];
  EXPECT_EQ(std::string(list[list.Size() - 1]["mensagem"].GetString()), payload);
}

TEST_F(MessagesTest, SqlMetacharactersAreStoredVerbatim) {
  std::string payload = "Robert'); DROP TABLE chat_mensagem;-- \"%_\\";
  ASSERT_EQ(user_->Send(1, payload).status, 200);
  auto history = History(1);
  const auto& list = history["mensagens"];
  EXPECT_EQ(std::string(list[list.Size() - 1]["mensagem"].GetString()), payload);
}

TEST_F(MessagesTest, OversizedBodyIsRefused) {
  std::string huge(200 * 1024, 'a');
  auto response = user_->Post("/chat/enviar", {{"sala_id", "1"}, {"mensagem", huge}});
  EXPECT_EQ(response.status, 413);
}

TEST_F(MessagesTest, RepeatedClientIdGivesOneMessage) {
  auto first = user_->Send(3, "uma vez só", "cliente-abc-1");
  auto second = user_->Send(3, "uma vez só", "cliente-abc-1");
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(Json(first.body)["mensagem_id"].GetInt64(), Json(second.body)["mensagem_id"].GetInt64());
  EXPECT_EQ(Json(first.body)["seq"].GetInt64(), Json(second.body)["seq"].GetInt64());
  int copies = 0;
  auto history = History(3);
  for (const auto& message : history["mensagens"].GetArray()) {
    if (std::string(message["mensagem"].GetString()) == "uma vez só") ++copies;
  }
  EXPECT_EQ(copies, 1);
  auto too_long_id = user_->Send(3, "x", std::string(65, 'c'));
  EXPECT_EQ(too_long_id.status, 422);
}

TEST_F(MessagesTest, SeqIsContiguousAcrossConcurrentSenders) {
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<WebUser>> users;
  for (int u = 0; u < 4; ++u) {
    users.push_back(std::make_unique<WebUser>(stack_->port()));
    ASSERT_EQ(users.back()->Register("P" + std::to_string(u), UniqueEmail("p")).status, 303);
  }
  auto sala_response = user_->Post("/chat/salas", {{"nome", "Concorrência " + UniqueEmail("c")}, {"descricao", ""}});
  ASSERT_EQ(sala_response.status, 303);
  std::string location = sala_response.Header("location");
  int64_t sala = std::stoll(location.substr(location.rfind('/') + 1));
  for (auto& user : users) {
    threads.emplace_back([&user, sala] {
      for (int i = 0; i < 15; ++i) user->Send(sala, "m" + std::to_string(i));
    });
  }
  for (auto& thread : threads) thread.join();
  auto history = History(sala);
  const auto& list = history["mensagens"];
  ASSERT_EQ(list.Size(), 60u);
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) EXPECT_EQ(list[i]["seq"].GetInt64(), i + 1);
}

TEST_F(MessagesTest, HistoryPaginatesBySeqAndOffset) {
  auto sala_response = user_->Post("/chat/salas", {{"nome", "Paginação " + UniqueEmail("p")}});
  std::string location = sala_response.Header("location");
  int64_t sala = std::stoll(location.substr(location.rfind('/') + 1));
  for (int i = 1; i <= 10; ++i) ASSERT_EQ(user_->Send(sala, "n" + std::to_string(i)).status, 200);
  auto newest = Json(user_->Get("/chat/mensagens?sala_id=" + std::to_string(sala) + "&limit=3").body);
  ASSERT_EQ(newest["mensagens"].Size(), 3u);
  EXPECT_EQ(newest["mensagens"][0]["seq"].GetInt64(), 8);  // oldest first
  EXPECT_EQ(newest["mensagens"][2]["seq"].GetInt64(), 10);
  auto offset = Json(user_->Get("/chat/mensagens?sala_id=" + std::to_string(sala) + "&limit=3&offset=3").body);
  EXPECT_EQ(offset["mensagens"][0]["seq"].GetInt64(), 5);
  auto before = Json(user_->Get("/chat/mensagens?sala_id=" + std::to_string(sala) + "&limit=2&antes_seq=5").body);
  ASSERT_EQ(before["mensagens"].Size(), 2u);
  EXPECT_EQ(before["mensagens"][0]["seq"].GetInt64(), 3);
  EXPECT_EQ(before["mensagens"][1]["seq"].GetInt64(), 4);
  auto after = Json(user_->Get("/chat/mensagens?sala_id=" + std::to_string(sala) + "&limit=2&apos_seq=5").body);
  ASSERT_EQ(after["mensagens"].Size(), 2u);
  EXPECT_EQ(after["mensagens"][0]["seq"].GetInt64(), 6);
}

TEST_F(MessagesTest, HistoryParametersAreValidated) {
  for (const char* query : {"sala_id=1&limit=0", "sala_id=1&limit=201", "sala_id=1&limit=x", "sala_id=1&offset=-1",
                            "limit=5", "sala_id=abc"}) {
    auto response = user_->Get(std::string("/chat/mensagens?") + query);
    EXPECT_EQ(response.status, 422) << query;
    EXPECT_TRUE(Json(response.body).HasMember("erros")) << query;
  }
  EXPECT_EQ(user_->Get("/chat/mensagens?sala_id=999999").status, 404);
}

TEST_F(MessagesTest, RateLimitAnswers429WithRetryAfter) {
  Stack limited(WithoutPusher({{"CHAT_RATE_LIMIT", "3"}}));
  WebUser user(limited.port());
  ASSERT_EQ(user.Register("Rápida", UniqueEmail("rapida")).status, 303);
  WaitForEarlyInRateWindow();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(user.Send(1, "m" + std::to_string(i)).status, 200);
  auto refused = user.Send(1, "uma a mais");
  EXPECT_EQ(refused.status, 429);
  int retry_after = std::atoi(refused.Header("retry-after").c_str());
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 10);
  // Refused means not stored.
  auto history = Json(user.Get("/chat/mensagens?sala_id=1").body);
  for (const auto& message : history["mensagens"].GetArray()) {
    EXPECT_NE(std::string(message["mensagem"].GetString()), "uma a mais");
  }
  // The limit is per user: someone else still sends.
  WebUser other(limited.port());
  ASSERT_EQ(other.Register("Outra", UniqueEmail("outra")).status, 303);
  EXPECT_EQ(other.Send(1, "oi").status, 200);
  // The room's form without JavaScript: an HTML page, with Retry-After too.
  HeaderList browser = {{"Cookie", user.cookie()}, {"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}};
  auto page = HttpCall(limited.port(), "POST", "/chat/enviar", browser,
                       FormEncode({{"sala_id", "1"}, {"mensagem", "pelo formulário"}, {"csrf_token", user.csrf()}}));
  EXPECT_EQ(page.status, 429);
  EXPECT_NE(page.Header("content-type").find("text/html"), std::string::npos);
  int page_retry = std::atoi(page.Header("retry-after").c_str());
  EXPECT_GE(page_retry, 1);
  EXPECT_NE(page.body.find("Aguarde " + std::to_string(page_retry) + " s"), std::string::npos) << page.body;
}

TEST_F(MessagesTest, MarkReadReturnsUnreadCountAndPublishesReceipt) {
  WebUser bruno(stack_->port());
  ASSERT_EQ(bruno.Register("Bruno", UniqueEmail("bruno")).status, 303);
  auto sala_response = user_->Post("/chat/salas", {{"nome", "Leitura " + UniqueEmail("l")}});
  std::string location = sala_response.Header("location");
  int64_t sala = std::stoll(location.substr(location.rfind('/') + 1));
  for (int i = 0; i < 3; ++i) ASSERT_EQ(user_->Send(sala, "m" + std::to_string(i)).status, 200);
  RedisSubscriber subscriber(stack_->redis(), RoomChannel(sala));
  auto partial = bruno.Post("/chat/lida", {{"sala_id", std::to_string(sala)}, {"seq", "1"}});
  ASSERT_EQ(partial.status, 200) << partial.body;
  EXPECT_EQ(Json(partial.body)["nao_lidas"].GetInt64(), 2);
  auto receipt = subscriber.Next();
  ASSERT_TRUE(receipt.has_value());
  auto envelope = DecodeEnvelope(*receipt);
  ASSERT_TRUE(envelope.has_value());
  EXPECT_EQ(envelope->kind, EventKind::kRead);
  EXPECT_NE(envelope->json.find("\"ultimo_seq_lido\":1"), std::string_view::npos);
  auto all = bruno.Post("/chat/lida", {{"sala_id", std::to_string(sala)}});
  EXPECT_EQ(Json(all.body)["nao_lidas"].GetInt64(), 0);
  auto beyond = bruno.Post("/chat/lida", {{"sala_id", std::to_string(sala)}, {"seq", "99"}});
  EXPECT_EQ(beyond.status, 422);
  EXPECT_EQ(bruno.Post("/chat/lida", {{"sala_id", "999999"}}).status, 404);
}

TEST_F(MessagesTest, TypingAnswers204AndPublishes) {
  RedisSubscriber subscriber(stack_->redis(), RoomChannel(2));
  auto response = user_->Post("/chat/digitando", {{"sala_id", "2"}, {"digitando", "1"}});
  EXPECT_EQ(response.status, 204);
  auto event = subscriber.Next();
  ASSERT_TRUE(event.has_value());
  auto envelope = DecodeEnvelope(*event);
  ASSERT_TRUE(envelope.has_value());
  EXPECT_EQ(envelope->kind, EventKind::kTyping);
  EXPECT_NE(envelope->json.find("\"digitando\":true"), std::string_view::npos);
  EXPECT_NE(envelope->json.find("Ana Souza"), std::string_view::npos);
  EXPECT_EQ(user_->Post("/chat/digitando", {{"sala_id", "2"}, {"digitando", "talvez"}}).status, 422);
  EXPECT_EQ(user_->Post("/chat/digitando", {{"sala_id", "999999"}}).status, 404);
}

TEST_F(MessagesTest, BrowserFormWithoutJavascriptGetsTheRoomBack) {
  HeaderList headers = {{"Cookie", user_->cookie()}, {"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}};
  auto sent = HttpCall(stack_->port(), "POST", "/chat/enviar", headers,
                       FormEncode({{"sala_id", "2"}, {"mensagem", "sem javascript"}, {"csrf_token", user_->csrf()}}));
  EXPECT_EQ(sent.status, 303);
  EXPECT_EQ(sent.Header("location"), "/chat/sala/2");
  EXPECT_NE(user_->Get("/chat/sala/2").body.find("sem javascript"), std::string::npos);
  auto blank = HttpCall(stack_->port(), "POST", "/chat/enviar", headers,
                        FormEncode({{"sala_id", "2"}, {"mensagem", "  "}, {"csrf_token", user_->csrf()}}));
  EXPECT_EQ(blank.status, 422);
  EXPECT_NE(blank.Header("content-type").find("text/html"), std::string::npos);
}

TEST_F(MessagesTest, JsonBodiesAreAcceptedToo) {
  auto response = HttpCall(stack_->port(), "POST", "/chat/enviar",
                           {{"Cookie", user_->cookie()}, {"X-CSRF-Token", user_->csrf()},
                            {"Content-Type", "application/json"}},
                           R"({"sala_id": 1, "mensagem": "via JSON", "client_id": "json-1"})");
  EXPECT_EQ(response.status, 200) << response.body;
  auto malformed = HttpCall(stack_->port(), "POST", "/chat/enviar",
                            {{"Cookie", user_->cookie()}, {"X-CSRF-Token", user_->csrf()},
                             {"Content-Type", "application/json"}},
                            R"({"sala_id": 1, "mensagem": )");
  EXPECT_EQ(malformed.status, 400);
}

// DESIGN §3: every bad input gets a clear pt-BR error and changes nothing.
// A JSON value of the wrong type is refused on its own field, never coerced.
class JsonTypesTest : public MessagesTest {
 protected:
  HttpResponse PostJson(const std::string& path, const std::string& body) {
    return HttpCall(stack_->port(), "POST", path,
                    {{"Cookie", user_->cookie()}, {"X-CSRF-Token", user_->csrf()},
                     {"Content-Type", "application/json"}},
                    body);
  }
  // 422 {"success":false,"erros":{field:message}} with only that field.
  void ExpectRefused(const std::string& path, const std::string& body, const std::string& field,
                     const std::string& message = "") {
    auto response = PostJson(path, body);
    EXPECT_EQ(response.status, 422) << body << " " << response.body;
    auto json = Json(response.body);
    ASSERT_TRUE(json.IsObject() && json.HasMember("erros")) << body << " " << response.body;
    const auto& erros = json["erros"];
    EXPECT_EQ(erros.MemberCount(), 1u) << body << " " << response.body;
    ASSERT_TRUE(erros.HasMember(field.c_str())) << body << " " << response.body;
    if (!message.empty()) {
      EXPECT_EQ(erros[field.c_str()].GetString(), message) << body;
    }
  }
};

TEST_F(JsonTypesTest, WrongTypesToEnviarAreRefusedPerFieldAndStoreNothing) {
  auto last_seq = [this](int64_t sala) {
    auto history = History(sala);
    const auto& list = history["mensagens"];
    return list.Empty() ? int64_t{0} : list[list.Size() - 1]["seq"].GetInt64();
  };
  int64_t before = last_seq(1);
  int64_t before_2 = last_seq(2);
  const std::string sala_error = "A sala (sala_id) deve ser um número inteiro positivo.";
  for (const char* id : {"true", "false", "null", "[1]", "{\"a\":1}", "1.5", "-1", "0"}) {
    ExpectRefused("/chat/enviar", std::string(R"({"mensagem":"t1","sala_id":)") + id + "}", "sala_id", sala_error);
  }
  for (const char* text : {"true", "123", "1.5e3", "null", "[\"a\"]", "{\"a\":\"b\"}"}) {
    ExpectRefused("/chat/enviar", std::string(R"({"sala_id":1,"mensagem":)") + text + "}", "mensagem",
                  "A mensagem deve ser um texto.");
  }
  ExpectRefused("/chat/enviar", R"({"sala_id":1,"mensagem":"t2","client_id":5})", "client_id",
                "O client_id deve ser um texto.");
  EXPECT_EQ(last_seq(1), before);
  EXPECT_EQ(last_seq(2), before_2);
}

TEST_F(JsonTypesTest, IdsAreJsonIntegersOrStringsOfDigits) {
  auto integer = PostJson("/chat/enviar", R"({"sala_id":2,"mensagem":"inteiro"})");
  EXPECT_EQ(integer.status, 200) << integer.body;
  auto digits = PostJson("/chat/enviar", R"({"sala_id":"2","mensagem":"texto de dígitos"})");
  EXPECT_EQ(digits.status, 200) << digits.body;
  // JSON has one number type: 2.0 is the integer 2 (JavaScript cannot tell them apart).
  auto integral = PostJson("/chat/enviar", R"({"sala_id":2.0,"mensagem":"dois ponto zero"})");
  EXPECT_EQ(integral.status, 200) << integral.body;
  auto history = History(2);
  const auto& list = history["mensagens"];
  EXPECT_STREQ(list[list.Size() - 1]["mensagem"].GetString(), "dois ponto zero");
}

TEST_F(JsonTypesTest, LidaAndDigitandoRefuseWrongTypesOnTheirFields) {
  ExpectRefused("/chat/lida", R"({"sala_id":true})", "sala_id");
  ExpectRefused("/chat/lida", R"({"sala_id":1,"seq":"x"})", "seq");
  ExpectRefused("/chat/lida", R"({"sala_id":1,"seq":[]})", "seq");
  ExpectRefused("/chat/digitando", R"({"sala_id":1,"digitando":"x"})", "digitando");
  ExpectRefused("/chat/digitando", R"({"sala_id":1,"digitando":2})", "digitando");
  ExpectRefused("/chat/digitando", R"({"sala_id":1,"digitando":null})", "digitando");
  ExpectRefused("/chat/digitando", R"({"sala_id":false,"digitando":true})", "sala_id");
  EXPECT_EQ(PostJson("/chat/digitando", R"({"sala_id":1,"digitando":true})").status, 204);
  EXPECT_EQ(PostJson("/chat/digitando", R"({"sala_id":1,"digitando":0})").status, 204);
  EXPECT_EQ(PostJson("/chat/lida", R"({"sala_id":1})").status, 200);
}

}  // namespace
}  // namespace papo::testing
