// Editing, deleting and reacting to messages, and the author's `lida`
// status, through nginx → papo-app → the database → Redis (DESIGN §9).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "common/bus/names.h"
#include "common/bus/payloads.h"
#include "tests/support/rate_window.h"
#include "tests/support/json.h"
#include "tests/support/redis_subscriber.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

class MessageChangesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = new Stack(WithoutPusher({{"CHAT_RATE_LIMIT", "1000"}})); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override {
    ana_ = std::make_unique<WebUser>(stack_->port());
    ASSERT_EQ(ana_->Register("Ana Souza", UniqueEmail("ana")).status, 303);
    bruno_email_ = UniqueEmail("bruno");
    bruno_ = std::make_unique<WebUser>(stack_->port());
    ASSERT_EQ(bruno_->Register("Bruno Lima", bruno_email_).status, 303);
  }

  // Sends as `user`; the new message's id.
  static int64_t SendAs(const WebUser& user, int64_t sala, const std::string& text) {
    auto response = user.Send(sala, text);
    EXPECT_EQ(response.status, 200) << response.body;
    return Json(response.body)["mensagem_id"].GetInt64();
  }
  // A new room created by `owner` (private with `members` when given).
  static int64_t CreateRoom(const WebUser& owner, bool privada, const std::string& members = "") {
    Fields fields = {{"nome", "Conversa " + UniqueEmail("s")}, {"privada", privada ? "1" : "0"}};
    if (!members.empty()) fields.emplace_back("membros", members);
    auto created = owner.Post("/chat/salas", fields);
    EXPECT_EQ(created.status, 303) << created.body;
    std::string location = created.Header("location");
    return std::stoll(location.substr(location.rfind('/') + 1));
  }
  // The message `id` as /chat/mensagens shows it to `reader` (Null if absent).
  static rapidjson::Document Shown(const WebUser& reader, int64_t sala, int64_t id) {
    auto response = reader.Get("/chat/mensagens?sala_id=" + std::to_string(sala) + "&limit=200");
    EXPECT_EQ(response.status, 200) << response.body;
    auto body = Json(response.body);
    rapidjson::Document found;
    for (const auto& message : body["mensagens"].GetArray()) {
      if (message["id"].GetInt64() == id) found.CopyFrom(message, found.GetAllocator());
    }
    return found;
  }
  static HttpResponse Change(const WebUser& user, int64_t id, const std::string& action, Fields fields = {},
                             bool with_csrf = true) {
    return user.Post("/chat/mensagens/" + std::to_string(id) + "/" + action, std::move(fields), with_csrf);
  }
  // The reaction `emoji` of a shown message: {total, minha}, or {0, false}.
  static std::pair<int64_t, bool> ReactionOf(const rapidjson::Value& message, const std::string& emoji) {
    for (const auto& reaction : message["reacoes"].GetArray()) {
      if (reaction["emoji"].GetString() == emoji) return {reaction["total"].GetInt64(), reaction["minha"].GetBool()};
    }
    return {0, false};
  }

  static Stack* stack_;
  std::unique_ptr<WebUser> ana_;
  std::unique_ptr<WebUser> bruno_;
  std::string bruno_email_;
};
Stack* MessageChangesTest::stack_ = nullptr;

TEST_F(MessageChangesTest, NewMessagesCarryTheConversationFields) {
  int64_t id = SendAs(*ana_, 1, "Campos novos");
  auto shown = Shown(*ana_, 1, id);
  ASSERT_TRUE(shown.IsObject());
  EXPECT_TRUE(shown["editada_em"].IsNull());
  EXPECT_FALSE(shown["excluida"].GetBool());
  EXPECT_TRUE(shown["reacoes"].IsArray());
  EXPECT_EQ(shown["reacoes"].Size(), 0u);
  EXPECT_TRUE(shown["mencoes"].IsArray());
  EXPECT_STREQ(shown["status"].GetString(), "enviada");
}

TEST_F(MessageChangesTest, TheAuthorEditsAndEveryReaderSeesTheNewText) {
  int64_t sala = CreateRoom(*ana_, false);
  RedisSubscriber subscriber(stack_->redis(), RoomChannel(sala));
  int64_t id = SendAs(*ana_, sala, "Texto original");
  ASSERT_TRUE(subscriber.Next().has_value());  // the message itself
  auto response = Change(*ana_, id, "editar", {{"mensagem", "  Texto corrigido "}});
  ASSERT_EQ(response.status, 200) << response.body;
  auto body = Json(response.body);
  EXPECT_TRUE(body["success"].GetBool());
  EXPECT_EQ(body["mensagem"]["id"].GetInt64(), id);
  EXPECT_STREQ(body["mensagem"]["mensagem"].GetString(), "Texto corrigido");
  ASSERT_TRUE(body["mensagem"]["editada_em"].IsString());

  auto shown = Shown(*bruno_, sala, id);
  EXPECT_STREQ(shown["mensagem"].GetString(), "Texto corrigido");
  EXPECT_STREQ(shown["editada_em"].GetString(), body["mensagem"]["editada_em"].GetString());
  EXPECT_EQ(shown["seq"].GetInt64(), body["mensagem"]["seq"].GetInt64());
  EXPECT_EQ(bruno_->Get("/chat/sala/" + std::to_string(sala)).body.find("Texto original"), std::string::npos);

  auto published = subscriber.Next();
  ASSERT_TRUE(published.has_value());
  auto envelope = DecodeEnvelope(*published);
  ASSERT_TRUE(envelope.has_value());
  EXPECT_EQ(envelope->kind, EventKind::kEdited);
  auto edited = DecodeEdited(envelope->json);
  ASSERT_TRUE(edited.has_value());
  EXPECT_EQ(edited->id, id);
  EXPECT_EQ(edited->mensagem, "Texto corrigido");
}

TEST_F(MessageChangesTest, EditRefusals) {
  int64_t id = SendAs(*ana_, 1, "Só a Ana edita");
  auto not_author = Change(*bruno_, id, "editar", {{"mensagem", "Invasão"}});
  EXPECT_EQ(not_author.status, 403) << not_author.body;
  auto blank = Change(*ana_, id, "editar", {{"mensagem", "   "}});
  EXPECT_EQ(blank.status, 422);
  auto errors = Json(blank.body);
  EXPECT_FALSE(errors["success"].GetBool());
  EXPECT_TRUE(errors["erros"].HasMember("mensagem"));
  auto too_long = Change(*ana_, id, "editar", {{"mensagem", std::string(1001, 'a')}});
  EXPECT_EQ(too_long.status, 422);
  EXPECT_TRUE(Json(too_long.body)["erros"].HasMember("mensagem"));
  auto no_csrf = Change(*ana_, id, "editar", {{"mensagem", "Sem token"}}, false);
  EXPECT_EQ(no_csrf.status, 403);
  auto unknown = Change(*ana_, 999'999'999, "editar", {{"mensagem", "Ninguém"}});
  EXPECT_EQ(unknown.status, 404);
  auto shown = Shown(*ana_, 1, id);
  EXPECT_STREQ(shown["mensagem"].GetString(), "Só a Ana edita");
  EXPECT_TRUE(shown["editada_em"].IsNull());
}

TEST_F(MessageChangesTest, DeletionLeavesATombstoneThatKeepsItsSeq) {
  int64_t sala = CreateRoom(*ana_, false);
  int64_t id = SendAs(*ana_, sala, "Vou apagar isto");
  int64_t after = SendAs(*ana_, sala, "Depois");
  ASSERT_EQ(Change(*bruno_, id, "reacoes", {{"emoji", "👍"}, {"ativo", "1"}}).status, 200);
  auto response = Change(*ana_, id, "excluir");
  ASSERT_EQ(response.status, 200) << response.body;
  auto body = Json(response.body);
  EXPECT_TRUE(body["mensagem"]["excluida"].GetBool());
  EXPECT_STREQ(body["mensagem"]["mensagem"].GetString(), "");
  EXPECT_EQ(body["mensagem"]["reacoes"].Size(), 0u);

  auto shown = Shown(*bruno_, sala, id);
  ASSERT_TRUE(shown.IsObject());
  EXPECT_TRUE(shown["excluida"].GetBool());
  EXPECT_STREQ(shown["mensagem"].GetString(), "");
  EXPECT_EQ(shown["reacoes"].Size(), 0u);
  EXPECT_EQ(Shown(*bruno_, sala, after)["seq"].GetInt64(), shown["seq"].GetInt64() + 1);
  auto page = bruno_->Get("/chat/sala/" + std::to_string(sala));
  EXPECT_EQ(page.body.find("Vou apagar isto"), std::string::npos);
  EXPECT_NE(page.body.find("data-id=\"" + std::to_string(id) + "\""), std::string::npos);
  EXPECT_NE(page.body.find("Mensagem excluída</em>"), std::string::npos);
  EXPECT_NE(page.body.find("Depois"), std::string::npos);

  // Again: the same tombstone, 200.
  auto again = Change(*ana_, id, "excluir");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(Json(again.body)["mensagem"]["excluida"].GetBool());
  // A tombstone takes no edit and no reaction.
  EXPECT_EQ(Change(*ana_, id, "editar", {{"mensagem", "De volta"}}).status, 409);
  EXPECT_EQ(Change(*bruno_, id, "reacoes", {{"emoji", "🎉"}, {"ativo", "1"}}).status, 409);
  EXPECT_TRUE(Shown(*ana_, sala, id)["excluida"].GetBool());
  EXPECT_STREQ(Shown(*ana_, sala, id)["mensagem"].GetString(), "");
}

TEST_F(MessageChangesTest, OnlyTheAuthorOrTheRoomOwnerDeletes) {
  int64_t sala = CreateRoom(*ana_, false);  // Ana owns it
  int64_t by_bruno = SendAs(*bruno_, sala, "Mensagem do Bruno");
  int64_t by_ana = SendAs(*ana_, sala, "Mensagem da Ana");
  auto carla = std::make_unique<WebUser>(stack_->port());
  ASSERT_EQ(carla->Register("Carla Dias", UniqueEmail("carla")).status, 303);
  EXPECT_EQ(Change(*carla, by_bruno, "excluir").status, 403);
  EXPECT_EQ(Change(*bruno_, by_ana, "excluir").status, 403);
  EXPECT_EQ(Change(*bruno_, by_ana, "excluir", {}, false).status, 403);
  EXPECT_FALSE(Shown(*ana_, sala, by_ana)["excluida"].GetBool());
  EXPECT_FALSE(Shown(*ana_, sala, by_bruno)["excluida"].GetBool());
  EXPECT_EQ(Change(*ana_, by_bruno, "excluir").status, 200);  // the owner
  EXPECT_TRUE(Shown(*ana_, sala, by_bruno)["excluida"].GetBool());
  EXPECT_EQ(Change(*ana_, 999'999'999, "excluir").status, 404);
  // A seed room has no owner: only authors delete there.
  int64_t in_seed = SendAs(*bruno_, 1, "Na sala geral");
  EXPECT_EQ(Change(*ana_, in_seed, "excluir").status, 403);
}

TEST_F(MessageChangesTest, ReactionsCountPerEmojiWithMinhaPerReader) {
  int64_t sala = CreateRoom(*ana_, false);
  int64_t id = SendAs(*ana_, sala, "Reajam");
  RedisSubscriber subscriber(stack_->redis(), RoomChannel(sala));
  auto first = Change(*bruno_, id, "reacoes", {{"emoji", "👍"}, {"ativo", "1"}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(ReactionOf(Json(first.body)["mensagem"], "👍"), std::make_pair(int64_t{1}, true));
  // Adding twice is one reaction.
  ASSERT_EQ(Change(*bruno_, id, "reacoes", {{"emoji", "👍"}, {"ativo", "1"}}).status, 200);
  ASSERT_EQ(Change(*ana_, id, "reacoes", {{"emoji", "👍"}, {"ativo", "1"}}).status, 200);
  ASSERT_EQ(Change(*ana_, id, "reacoes", {{"emoji", "🧑🏽‍🚀"}, {"ativo", "1"}}).status, 200);

  auto for_ana = Shown(*ana_, sala, id);
  EXPECT_EQ(ReactionOf(for_ana, "👍"), std::make_pair(int64_t{2}, true));
  EXPECT_EQ(ReactionOf(for_ana, "🧑🏽‍🚀"), std::make_pair(int64_t{1}, true));
  ASSERT_EQ(for_ana["reacoes"].Size(), 2u);
  EXPECT_STREQ(for_ana["reacoes"][0]["emoji"].GetString(), "👍");  // first used first
  auto for_bruno = Shown(*bruno_, sala, id);
  EXPECT_EQ(ReactionOf(for_bruno, "🧑🏽‍🚀"), std::make_pair(int64_t{1}, false));

  // Taking back, twice: the count drops once.
  ASSERT_EQ(Change(*bruno_, id, "reacoes", {{"emoji", "👍"}, {"ativo", "0"}}).status, 200);
  ASSERT_EQ(Change(*bruno_, id, "reacoes", {{"emoji", "👍"}, {"ativo", "0"}}).status, 200);
  EXPECT_EQ(ReactionOf(Shown(*bruno_, sala, id), "👍"), std::make_pair(int64_t{1}, false));

  // One event per change that changed something: +1 Bruno, +1 Ana, +1 Ana, -1 Bruno.
  std::vector<std::pair<int64_t, bool>> seen;
  for (int i = 0; i < 4; ++i) {
    auto published = subscriber.Next();
    ASSERT_TRUE(published.has_value()) << i;
    auto envelope = DecodeEnvelope(*published);
    ASSERT_TRUE(envelope.has_value());
    ASSERT_EQ(envelope->kind, EventKind::kReaction);
    auto reaction = DecodeReaction(envelope->json);
    ASSERT_TRUE(reaction.has_value());
    EXPECT_EQ(reaction->mensagem_id, id);
    seen.emplace_back(reaction->change.total, reaction->change.ativo);
  }
  std::vector<std::pair<int64_t, bool>> expected = {{1, true}, {2, true}, {1, true}, {1, false}};
  EXPECT_EQ(seen, expected);
}

TEST_F(MessageChangesTest, BadReactionsAreRefusedAndChangeNothing) {
  int64_t id = SendAs(*ana_, 1, "Emoji inválido");
  for (const char* emoji : {"a", "👍👍", "oi 👍", "", "\xF0\x9F\x91"}) {
    auto response = Change(*bruno_, id, "reacoes", {{"emoji", emoji}, {"ativo", "1"}});
    EXPECT_EQ(response.status, 422) << emoji;
    EXPECT_TRUE(Json(response.body)["erros"].HasMember("emoji")) << response.body;
  }
  auto bad_ativo = Change(*bruno_, id, "reacoes", {{"emoji", "👍"}, {"ativo", "2"}});
  EXPECT_EQ(bad_ativo.status, 422);
  EXPECT_TRUE(Json(bad_ativo.body)["erros"].HasMember("ativo"));
  EXPECT_EQ(Change(*bruno_, id, "reacoes", {{"emoji", "👍"}, {"ativo", "1"}}, false).status, 403);
  EXPECT_EQ(Change(*bruno_, 999'999'999, "reacoes", {{"emoji", "👍"}, {"ativo", "1"}}).status, 404);
  EXPECT_EQ(Shown(*ana_, 1, id)["reacoes"].Size(), 0u);
}

TEST_F(MessageChangesTest, APrivateRoomsMessagesAreUnknownToNonMembers) {
  int64_t sala = CreateRoom(*ana_, true, bruno_email_);
  int64_t id = SendAs(*ana_, sala, "Segredo");
  auto carla = std::make_unique<WebUser>(stack_->port());
  ASSERT_EQ(carla->Register("Carla Dias", UniqueEmail("carla")).status, 303);
  EXPECT_EQ(Change(*carla, id, "reacoes", {{"emoji", "👀"}, {"ativo", "1"}}).status, 404);
  EXPECT_EQ(Change(*carla, id, "excluir").status, 404);
  EXPECT_EQ(Change(*carla, id, "editar", {{"mensagem", "x"}}).status, 404);
  auto member = Change(*bruno_, id, "reacoes", {{"emoji", "👀"}, {"ativo", "1"}});
  EXPECT_EQ(member.status, 200) << member.body;
  EXPECT_EQ(ReactionOf(Shown(*ana_, sala, id), "👀"), std::make_pair(int64_t{1}, false));
}

TEST_F(MessageChangesTest, ABrowserFormPostReturnsToTheRoom) {
  int64_t sala = CreateRoom(*ana_, false);
  int64_t id = SendAs(*ana_, sala, "Sem JavaScript");
  HeaderList headers = {{"Cookie", ana_->cookie()}, {"Accept", "text/html,application/xhtml+xml"}};
  auto response = HttpCall(stack_->port(), "POST", "/chat/mensagens/" + std::to_string(id) + "/reacoes", headers,
                           FormEncode({{"emoji", "🙏"}, {"ativo", "1"}, {"csrf_token", ana_->csrf()}}));
  EXPECT_EQ(response.status, 303) << response.body;
  EXPECT_EQ(response.Header("location"), "/chat/sala/" + std::to_string(sala));
  EXPECT_EQ(ReactionOf(Shown(*ana_, sala, id), "🙏"), std::make_pair(int64_t{1}, true));
}

TEST_F(MessageChangesTest, StatusTurnsLidaWhenTheOtherMemberReadsAndNeverGoesBack) {
  int64_t sala = CreateRoom(*ana_, true, bruno_email_);
  int64_t first = SendAs(*ana_, sala, "Primeira");
  int64_t second = SendAs(*ana_, sala, "Segunda");
  EXPECT_STREQ(Shown(*ana_, sala, first)["status"].GetString(), "enviada");
  // Bruno's view of Ana's messages has no status for him.
  EXPECT_STREQ(Shown(*bruno_, sala, first)["status"].GetString(), "enviada");

  RedisSubscriber subscriber(stack_->redis(), RoomChannel(sala));
  int64_t first_seq = Shown(*ana_, sala, first)["seq"].GetInt64();
  ASSERT_EQ(bruno_->Post("/chat/lida", {{"sala_id", std::to_string(sala)}, {"seq", std::to_string(first_seq)}}).status,
            200);
  EXPECT_STREQ(Shown(*ana_, sala, first)["status"].GetString(), "lida");
  EXPECT_STREQ(Shown(*ana_, sala, second)["status"].GetString(), "enviada");
  // Ana reading her own room changes nothing for her messages.
  ASSERT_EQ(ana_->Post("/chat/lida", {{"sala_id", std::to_string(sala)}}).status, 200);
  EXPECT_STREQ(Shown(*ana_, sala, second)["status"].GetString(), "enviada");
  ASSERT_EQ(bruno_->Post("/chat/lida", {{"sala_id", std::to_string(sala)}}).status, 200);
  EXPECT_STREQ(Shown(*ana_, sala, second)["status"].GetString(), "lida");
  // Reading an older seq again moves nothing back.
  ASSERT_EQ(bruno_->Post("/chat/lida", {{"sala_id", std::to_string(sala)}, {"seq", "1"}}).status, 200);
  EXPECT_STREQ(Shown(*ana_, sala, first)["status"].GetString(), "lida");
  EXPECT_STREQ(Shown(*ana_, sala, second)["status"].GetString(), "lida");

  // Events: leitura + status (first), leitura (Ana: her own messages,
  // none), leitura + status (second); nothing for the move back.
  std::vector<int64_t> statuses;
  for (int i = 0; i < 5; ++i) {
    auto published = subscriber.Next();
    ASSERT_TRUE(published.has_value()) << i;
    auto envelope = DecodeEnvelope(*published);
    ASSERT_TRUE(envelope.has_value());
    if (envelope->kind != EventKind::kStatus) continue;
    auto status = DecodeStatus(envelope->json);
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->autor_id, ana_->id());
    EXPECT_EQ(status->status, MessageStatus::kRead);
    statuses.push_back(status->mensagem_id);
  }
  EXPECT_EQ(statuses, (std::vector<int64_t>{first, second}));
}

// Each change goes out to every open stream of the room: a user's changes
// are limited like sending (CHAT_RATE_LIMIT per 10 s), in a bucket of
// their own, and a refused one changes nothing.
TEST(MessageChangesLimitTest, ChangesPastTheRateLimitAre429WithRetryAfter) {
  Stack stack(WithoutPusher({{"CHAT_RATE_LIMIT", "3"}}));
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  WaitForEarlyInRateWindow();
  auto sent = ana.Send(1, "Limite");
  ASSERT_EQ(sent.status, 200) << sent.body;
  std::string path = "/chat/mensagens/" + std::to_string(Json(sent.body)["mensagem_id"].GetInt64());
  ASSERT_EQ(ana.Post(path + "/reacoes", {{"emoji", "👍"}}).status, 200);
  ASSERT_EQ(ana.Post(path + "/reacoes", {{"emoji", "👍"}, {"ativo", "0"}}).status, 200);
  ASSERT_EQ(ana.Post(path + "/editar", {{"mensagem", "Limite 2"}}).status, 200);
  auto refused = ana.Post(path + "/editar", {{"mensagem", "Limite 3"}});
  EXPECT_EQ(refused.status, 429) << refused.body;
  int retry_after = std::atoi(refused.Header("retry-after").c_str());
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 10);
  EXPECT_NE(refused.body.find("Aguarde"), std::string::npos);
  EXPECT_EQ(ana.Post(path + "/excluir", {}).status, 429);
  auto history = Json(ana.Get("/chat/mensagens?sala_id=1&limit=1").body);
  EXPECT_STREQ(history["mensagens"][0]["mensagem"].GetString(), "Limite 2");
  EXPECT_FALSE(history["mensagens"][0]["excluida"].GetBool());
  EXPECT_EQ(ana.Send(1, "Enviar continua").status, 200);  // sending counts apart
}

// Changes made while Redis is down are stored and answered (a failed
// publish never fails a request), and what the republisher puts back in
// the room's cache afterwards is each message as it now stands.
TEST(MessageChangesOutageTest, TheRepublisherCachesTheCurrentVersionOfChangedMessages) {
  Stack stack(WithoutPusher());
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  stack.redis().Stop();
  auto edited = ana.Send(1, "Antes da edição");
  auto deleted = ana.Send(1, "Vai sumir");
  ASSERT_EQ(edited.status, 200) << edited.body;
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  int64_t edited_id = Json(edited.body)["mensagem_id"].GetInt64();
  int64_t deleted_id = Json(deleted.body)["mensagem_id"].GetInt64();
  int64_t deleted_seq = Json(deleted.body)["seq"].GetInt64();
  auto edit = ana.Post("/chat/mensagens/" + std::to_string(edited_id) + "/editar", {{"mensagem", "Depois da edição"}});
  EXPECT_EQ(edit.status, 200) << edit.body;
  auto reaction = ana.Post("/chat/mensagens/" + std::to_string(edited_id) + "/reacoes", {{"emoji", "🎉"}});
  EXPECT_EQ(reaction.status, 200) << reaction.body;
  auto removal = ana.Post("/chat/mensagens/" + std::to_string(deleted_id) + "/excluir", {});
  EXPECT_EQ(removal.status, 200) << removal.body;

  stack.redis().Start();  // empty: the republisher refills the cache from the database
  auto redis = stack.redis().Client();
  rapidjson::Document cached_edit;
  rapidjson::Document cached_tombstone;
  for (int i = 0; i < 100 && !(cached_edit.IsObject() && cached_tombstone.IsObject()); ++i) {
    auto cached = redis->Command({"ZRANGEBYSCORE", RecentCacheKey(1), "-inf", "+inf"});
    if (cached.ok()) {
      for (size_t e = 0; e < (*cached)->elements; ++e) {
        auto message = Json((*cached)->element[e]->str);
        if (!message.IsObject()) continue;
        if (message["id"].GetInt64() == edited_id) cached_edit.CopyFrom(message, cached_edit.GetAllocator());
        if (message["id"].GetInt64() == deleted_id) cached_tombstone.CopyFrom(message, cached_tombstone.GetAllocator());
      }
    }
    if (!(cached_edit.IsObject() && cached_tombstone.IsObject())) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  ASSERT_TRUE(cached_edit.IsObject()) << stack.Logs();
  ASSERT_TRUE(cached_tombstone.IsObject());
  EXPECT_STREQ(cached_edit["mensagem"].GetString(), "Depois da edição");
  EXPECT_TRUE(cached_edit["editada_em"].IsString());
  ASSERT_EQ(cached_edit["reacoes"].Size(), 1u);
  EXPECT_EQ(cached_edit["reacoes"][0]["total"].GetInt64(), 1);
  EXPECT_FALSE(cached_edit["reacoes"][0]["minha"].GetBool());  // nobody's own in what every reader gets
  EXPECT_TRUE(cached_tombstone["excluida"].GetBool());
  EXPECT_STREQ(cached_tombstone["mensagem"].GetString(), "");
  EXPECT_EQ(cached_tombstone["seq"].GetInt64(), deleted_seq);
}

}  // namespace
}  // namespace papo::testing
