// Mentions (DESIGN §9) through nginx → papo-app → the database → Redis:
// "@Nome" of a room member is stored and shown in `mencoes`, the mentioned
// user's channel gets `mencao`, the room list counts unread mentions, and
// GET /chat/sala/{id}/membros completes names for the composer.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>
#include <thread>

#include "common/bus/names.h"
#include "common/bus/payloads.h"
#include "tests/integration/pusher_fixture.h"
#include "tests/support/json.h"
#include "tests/support/redis_subscriber.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

int64_t RoomIdFrom(const HttpResponse& response) {
  std::string location = response.Header("location");
  return std::stoll(location.substr(location.rfind('/') + 1));
}

std::vector<int64_t> Ids(const rapidjson::Value& array) {
  std::vector<int64_t> ids;
  for (const auto& id : array.GetArray()) ids.push_back(id.GetInt64());
  return ids;
}

class MentionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = new Stack(WithoutPusher({{"CHAT_RATE_LIMIT", "1000"}, {"CHAT_ROOMS_PER_HOUR", "1000"},
                                      {"CHAT_INVITES_PER_HOUR", "1000"}}));
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }

  // A registered user whose e-mail the test remembers (to look for it in answers).
  std::unique_ptr<WebUser> NewUser(const std::string& nome) {
    auto user = std::make_unique<WebUser>(stack_->port());
    std::string email = UniqueEmail("mencao");
    EXPECT_EQ(user->Register(nome, email).status, 303);
    emails_.push_back(email);
    return user;
  }
  // A new room of `owner`'s (private with `members`' e-mails).
  int64_t NewRoom(WebUser& owner, bool privada, const std::string& members = "") {
    auto created = owner.Post("/chat/salas", {{"nome", "Menções " + UniqueEmail("sala")},
                                              {"privada", privada ? "1" : "0"}, {"membros", members}});
    EXPECT_EQ(created.status, 303) << created.body;
    int64_t sala = RoomIdFrom(created);
    // A room with a message: reading it stores a read position (an empty
    // room has nothing to mark read).
    EXPECT_EQ(owner.Send(sala, "Bem-vindos!").status, 200);
    return sala;
  }
  // Opens the room page and marks it read, as its script does (a read
  // position there: the user has used the room).
  static void Visit(WebUser& user, int64_t sala) {
    EXPECT_EQ(user.Get("/chat/sala/" + std::to_string(sala)).status, 200);
    auto read = user.Post("/chat/lida", {{"sala_id", std::to_string(sala)}});
    EXPECT_EQ(read.status, 200) << read.body;
  }
  // `mencoes` of the message sent, from /chat/enviar's answer.
  std::vector<int64_t> SendMentions(WebUser& user, int64_t sala, const std::string& text, int64_t* id = nullptr) {
    auto response = user.Send(sala, text);
    EXPECT_EQ(response.status, 200) << response.body;
    AssertNoEmail(response.body);
    auto body = Json(response.body);
    if (id) *id = body["mensagem_id"].GetInt64();
    return Ids(body["mensagem"]["mencoes"]);
  }
  // `mencoes` of message `id` in /chat/mensagens, as `reader` sees it.
  std::vector<int64_t> HistoryMentions(WebUser& reader, int64_t sala, int64_t id) {
    auto response = reader.Get("/chat/mensagens?sala_id=" + std::to_string(sala) + "&limit=200");
    EXPECT_EQ(response.status, 200) << response.body;
    AssertNoEmail(response.body);
    auto body = Json(response.body);
    for (const auto& message : body["mensagens"].GetArray()) {
      if (message["id"].GetInt64() == id) return Ids(message["mencoes"]);
    }
    ADD_FAILURE() << "message " << id << " not in the history";
    return {};
  }
  // data-mencoes of room `sala` on `user`'s room list (-1 if absent).
  int64_t ListedMentions(WebUser& user, int64_t sala) {
    auto page = user.Get("/chat/listar-salas");
    EXPECT_EQ(page.status, 200);
    size_t card = page.body.find("data-sala-id=\"" + std::to_string(sala) + "\"");
    if (card == std::string::npos) return -1;
    const std::string attribute = "data-mencoes=\"";
    size_t at = page.body.find(attribute, card);
    if (at == std::string::npos || page.body.find('>', card) < at) return -1;
    return std::stoll(page.body.substr(at + attribute.size()));
  }
  rapidjson::Document Members(WebUser& user, int64_t sala, const std::string& q, int expected_status = 200) {
    auto response = user.Get("/chat/sala/" + std::to_string(sala) + "/membros?q=" + q);
    EXPECT_EQ(response.status, expected_status) << response.body;
    AssertNoEmail(response.body);
    return Json(response.body);
  }
  static std::vector<std::string> Names(const rapidjson::Document& body) {
    std::vector<std::string> names;
    for (const auto& member : body["membros"].GetArray()) names.emplace_back(member["nome"].GetString());
    return names;
  }
  void AssertNoEmail(const std::string& body) const {
    for (const auto& email : emails_) EXPECT_EQ(body.find(email), std::string::npos) << email << " in " << body;
    EXPECT_EQ(body.find("\"email\""), std::string::npos) << body;
  }

  static Stack* stack_;
  std::vector<std::string> emails_;
};
Stack* MentionsTest::stack_ = nullptr;

TEST_F(MentionsTest, MentionOfAMemberIsStoredShownAndAnnouncedToThem) {
  auto ana = NewUser("Ana Souza");
  auto bruno = NewUser("Bruno Lima");
  int64_t sala = NewRoom(*ana, false);
  Visit(*bruno, sala);
  RedisSubscriber to_bruno(stack_->redis(), UserChannel(bruno->id()));

  int64_t id = 0;
  EXPECT_EQ(SendMentions(*ana, sala, "Oi @Bruno Lima, tudo bem?", &id), std::vector<int64_t>{bruno->id()});
  EXPECT_EQ(HistoryMentions(*ana, sala, id), std::vector<int64_t>{bruno->id()});
  EXPECT_EQ(HistoryMentions(*bruno, sala, id), std::vector<int64_t>{bruno->id()});

  auto published = to_bruno.Next();
  ASSERT_TRUE(published.has_value());
  auto envelope = DecodeEnvelope(*published);
  ASSERT_TRUE(envelope.has_value());
  EXPECT_EQ(envelope->kind, EventKind::kMention);
  auto mention = DecodeMention(envelope->json);
  ASSERT_TRUE(mention.has_value()) << envelope->json;
  EXPECT_EQ(mention->sala_id, sala);
  EXPECT_EQ(mention->mensagem_id, id);
  EXPECT_GT(mention->seq, 0);
  EXPECT_EQ(mention->autor, "Ana Souza");
  AssertNoEmail(std::string(envelope->json));
}

TEST_F(MentionsTest, MessageWithoutMentionsHasAnEmptyList) {
  auto ana = NewUser("Ana Souza");
  int64_t sala = NewRoom(*ana, false);
  int64_t id = 0;
  EXPECT_EQ(SendMentions(*ana, sala, "ninguém aqui; escreva para ana@exemplo.com", &id), std::vector<int64_t>{});
  EXPECT_EQ(HistoryMentions(*ana, sala, id), std::vector<int64_t>{});
}

TEST_F(MentionsTest, SomeoneWhoNeverUsedAPublicRoomIsNotMentioned) {
  auto ana = NewUser("Ana Souza");
  auto carla = NewUser("Carla Dias");
  int64_t sala = NewRoom(*ana, false);
  EXPECT_EQ(SendMentions(*ana, sala, "@Carla Dias, vem?"), std::vector<int64_t>{});
  // Once Carla has opened the room she is a member for mentions.
  Visit(*carla, sala);
  EXPECT_EQ(SendMentions(*ana, sala, "@Carla Dias, vem?"), std::vector<int64_t>{carla->id()});
}

TEST_F(MentionsTest, AuthorOfAMessageInAPublicRoomCanBeMentioned) {
  // Davi never opened the room page: sending there is using it.
  auto ana = NewUser("Ana Souza");
  auto davi = NewUser("Davi Reis");
  int64_t sala = NewRoom(*ana, false);
  ASSERT_EQ(davi->Send(sala, "cheguei pela API").status, 200);
  EXPECT_EQ(SendMentions(*ana, sala, "@davi reis bem-vindo"), std::vector<int64_t>{davi->id()});
}

TEST_F(MentionsTest, NonMemberOfAPrivateRoomIsNotMentioned) {
  auto ana = NewUser("Ana Souza");
  auto bruno = NewUser("Bruno Lima");
  auto carla = NewUser("Carla Dias");
  std::string bruno_email = emails_[1];
  int64_t sala = NewRoom(*ana, true, bruno_email);
  // Carla has used other rooms; she is still no member of this one.
  ASSERT_EQ(ana->Send(1, "oi, sala geral").status, 200);
  Visit(*carla, 1);
  RedisSubscriber to_carla(stack_->redis(), UserChannel(carla->id()));
  int64_t id = 0;
  EXPECT_EQ(SendMentions(*ana, sala, "@Carla Dias e @Bruno Lima", &id), std::vector<int64_t>{bruno->id()});
  EXPECT_EQ(HistoryMentions(*bruno, sala, id), std::vector<int64_t>{bruno->id()});
  EXPECT_EQ(ListedMentions(*carla, sala), -1);  // not even listed
  // The next `mencao` Carla gets is of a room she uses: none came before it.
  int64_t public_id = 0;
  EXPECT_EQ(SendMentions(*ana, 1, "@Carla Dias, aqui sim", &public_id), std::vector<int64_t>{carla->id()});
  auto published = to_carla.Next();
  ASSERT_TRUE(published.has_value());
  auto envelope = DecodeEnvelope(*published);
  ASSERT_TRUE(envelope.has_value());
  auto mention = DecodeMention(envelope->json);
  ASSERT_TRUE(mention.has_value());
  EXPECT_EQ(mention->mensagem_id, public_id);
}

TEST_F(MentionsTest, MentioningYourselfRecordsNothing) {
  auto ana = NewUser("Ana Souza");
  int64_t sala = NewRoom(*ana, false);
  EXPECT_EQ(SendMentions(*ana, sala, "nota para mim, @Ana Souza"), std::vector<int64_t>{});
  EXPECT_EQ(ListedMentions(*ana, sala), 0);
}

TEST_F(MentionsTest, RoomListCountRisesAndFallsBackAfterReading) {
  auto ana = NewUser("Ana Souza");
  auto bruno = NewUser("Bruno Lima");
  int64_t sala = NewRoom(*ana, false);
  Visit(*bruno, sala);
  EXPECT_EQ(ListedMentions(*bruno, sala), 0);
  SendMentions(*ana, sala, "@Bruno Lima, primeiro");
  ASSERT_EQ(ana->Send(sala, "sem menção").status, 200);
  SendMentions(*ana, sala, "de novo, @bruno lima");
  EXPECT_EQ(ListedMentions(*bruno, sala), 2);
  EXPECT_EQ(ListedMentions(*ana, sala), 0);  // the author's list counts nothing

  auto read = bruno->Post("/chat/lida", {{"sala_id", std::to_string(sala)}});
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(ListedMentions(*bruno, sala), 0);

  // Only what is beyond the read position counts.
  SendMentions(*ana, sala, "@Bruno Lima, mais uma");
  EXPECT_EQ(ListedMentions(*bruno, sala), 1);
}

TEST_F(MentionsTest, RoomListCountsEachRoomOnItsOwn) {
  auto ana = NewUser("Ana Souza");
  auto bruno = NewUser("Bruno Lima");
  int64_t first = NewRoom(*ana, false);
  int64_t second = NewRoom(*ana, true, emails_[1]);
  Visit(*bruno, first);
  SendMentions(*ana, first, "@Bruno Lima 1");
  SendMentions(*ana, second, "@Bruno Lima 2");
  SendMentions(*ana, second, "@Bruno Lima 3");
  EXPECT_EQ(ListedMentions(*bruno, first), 1);
  EXPECT_EQ(ListedMentions(*bruno, second), 2);
  ASSERT_EQ(bruno->Post("/chat/lida", {{"sala_id", std::to_string(second)}}).status, 200);
  EXPECT_EQ(ListedMentions(*bruno, first), 1);
  EXPECT_EQ(ListedMentions(*bruno, second), 0);
}

TEST_F(MentionsTest, EditedTextResolvesMentionsAgainAndTellsOnlyTheNewlyMentioned) {
  auto ana = NewUser("Ana Souza");
  auto bruno = NewUser("Bruno Lima");
  auto carla = NewUser("Carla Dias");
  int64_t sala = NewRoom(*ana, false);
  Visit(*bruno, sala);
  Visit(*carla, sala);
  RedisSubscriber to_bruno(stack_->redis(), UserChannel(bruno->id()));
  RedisSubscriber to_carla(stack_->redis(), UserChannel(carla->id()));
  auto edit = [&](int64_t id, const std::string& text) {
    auto response = ana->Post("/chat/mensagens/" + std::to_string(id) + "/editar", {{"mensagem", text}});
    EXPECT_EQ(response.status, 200) << response.body;
    AssertNoEmail(response.body);
    return Ids(Json(response.body)["mensagem"]["mencoes"]);
  };
  auto next_mention = [](RedisSubscriber& subscriber) -> int64_t {
    auto published = subscriber.Next();
    if (!published) return 0;
    auto envelope = DecodeEnvelope(*published);
    if (!envelope || envelope->kind != EventKind::kMention) return -1;
    auto mention = DecodeMention(envelope->json);
    return mention ? mention->mensagem_id : -1;
  };

  int64_t id = 0;
  EXPECT_EQ(SendMentions(*ana, sala, "oi, pessoal", &id), std::vector<int64_t>{});
  EXPECT_EQ(edit(id, "oi, @Bruno Lima"), std::vector<int64_t>{bruno->id()});
  EXPECT_EQ(HistoryMentions(*ana, sala, id), std::vector<int64_t>{bruno->id()});
  EXPECT_EQ(next_mention(to_bruno), id);
  EXPECT_EQ(ListedMentions(*bruno, sala), 1);

  // Carla is new: she is told; Bruno was mentioned already: he is not.
  EXPECT_EQ(edit(id, "oi, @Bruno Lima e @Carla Dias"), (std::vector<int64_t>{bruno->id(), carla->id()}));
  EXPECT_EQ(next_mention(to_carla), id);
  int64_t later = 0;
  SendMentions(*ana, sala, "@Bruno Lima, outra", &later);
  EXPECT_EQ(next_mention(to_bruno), later);  // nothing came for the edit before it
  EXPECT_EQ(ListedMentions(*bruno, sala), 2);

  // A mention edited away is gone from the message and from the count.
  EXPECT_EQ(edit(id, "oi, @Carla Dias"), std::vector<int64_t>{carla->id()});
  EXPECT_EQ(HistoryMentions(*bruno, sala, id), std::vector<int64_t>{carla->id()});
  EXPECT_EQ(ListedMentions(*bruno, sala), 1);
  EXPECT_EQ(ListedMentions(*carla, sala), 1);
}

TEST_F(MentionsTest, DeletedMessageNoLongerCountsOnTheRoomList) {
  auto ana = NewUser("Ana Souza");
  auto bruno = NewUser("Bruno Lima");
  int64_t sala = NewRoom(*ana, false);
  Visit(*bruno, sala);
  int64_t id = 0;
  SendMentions(*ana, sala, "@Bruno Lima, primeira", &id);
  SendMentions(*ana, sala, "@Bruno Lima, segunda");
  EXPECT_EQ(ListedMentions(*bruno, sala), 2);
  auto deleted = ana->Post("/chat/mensagens/" + std::to_string(id) + "/excluir", {});
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Ids(Json(deleted.body)["mensagem"]["mencoes"]), std::vector<int64_t>{});
  EXPECT_EQ(ListedMentions(*bruno, sala), 1);
}

TEST_F(MentionsTest, MembersAnswersIdsAndNamesOnly) {
  auto ana = NewUser("Ana Souza");
  auto joao = NewUser("João Émile");
  int64_t sala = NewRoom(*ana, false);
  Visit(*joao, sala);
  auto response = ana->Get("/chat/sala/" + std::to_string(sala) + "/membros?q=jo");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("content-type"), "application/json; charset=utf-8");
  auto body = Json(response.body);
  ASSERT_TRUE(body["success"].GetBool());
  ASSERT_TRUE(body["membros"].IsArray());
  ASSERT_EQ(body["membros"].Size(), 1u) << response.body;
  const auto& member = body["membros"][0];
  EXPECT_EQ(member["id"].GetInt64(), joao->id());
  EXPECT_STREQ(member["nome"].GetString(), "João Émile");
  EXPECT_EQ(member.MemberCount(), 2u);  // id and nome, nothing else
  AssertNoEmail(response.body);
}

TEST_F(MentionsTest, MembersMatchesPrefixesWithoutCaseAndAccents) {
  auto ana = NewUser("Ana Souza");
  auto joao = NewUser("João Émile");
  auto bruno = NewUser("Bruno Lima");
  int64_t sala = NewRoom(*ana, false);
  Visit(*joao, sala);
  Visit(*bruno, sala);
  using Strings = std::vector<std::string>;
  EXPECT_EQ(Names(Members(*ana, sala, "joao")), Strings{"João Émile"});
  EXPECT_EQ(Names(Members(*ana, sala, "JO%C3%83O")), Strings{"João Émile"});  // JOÃO
  EXPECT_EQ(Names(Members(*ana, sala, "emi")), Strings{"João Émile"});        // a later word
  EXPECT_EQ(Names(Members(*ana, sala, "%40bru")), Strings{"Bruno Lima"});     // "@bru": the @ is not the name
  EXPECT_EQ(Names(Members(*ana, sala, "zz")), Strings{});
  EXPECT_EQ(Names(Members(*ana, sala, "")), (Strings{"Bruno Lima", "João Émile"}));  // by name, never yourself
  EXPECT_EQ(Names(Members(*bruno, sala, "")), (Strings{"Ana Souza", "João Émile"}));
}

TEST_F(MentionsTest, MembersAreAtMostTen) {
  auto ana = NewUser("Ana Souza");
  int64_t sala = NewRoom(*ana, false);
  std::vector<std::unique_ptr<WebUser>> crowd;
  for (int i = 0; i < 12; ++i) {
    crowd.push_back(NewUser("Membro " + std::to_string(10 + i)));
    Visit(*crowd.back(), sala);
  }
  auto names = Names(Members(*ana, sala, "membro"));
  ASSERT_EQ(names.size(), 10u);
  EXPECT_EQ(names.front(), "Membro 10");
  EXPECT_EQ(names.back(), "Membro 19");
}

TEST_F(MentionsTest, MembersOfAPrivateRoomAreItsMembersOnly) {
  auto ana = NewUser("Ana Souza");
  auto bruno = NewUser("Bruno Lima");
  auto carla = NewUser("Carla Dias");
  int64_t sala = NewRoom(*ana, true, emails_[1]);
  ASSERT_EQ(ana->Send(1, "oi, sala geral").status, 200);
  Visit(*carla, 1);
  using Strings = std::vector<std::string>;
  EXPECT_EQ(Names(Members(*ana, sala, "")), Strings{"Bruno Lima"});
  EXPECT_EQ(Names(Members(*bruno, sala, "")), Strings{"Ana Souza"});
}

TEST_F(MentionsTest, MembersRefusesWithoutAccess) {
  auto ana = NewUser("Ana Souza");
  auto carla = NewUser("Carla Dias");
  int64_t sala = NewRoom(*ana, true);
  std::string path = "/chat/sala/" + std::to_string(sala) + "/membros?q=a";

  auto forbidden = carla->Get(path);
  EXPECT_EQ(forbidden.status, 403) << forbidden.body;
  EXPECT_FALSE(Json(forbidden.body)["success"].GetBool());

  auto unknown = ana->Get("/chat/sala/999999/membros?q=a");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_FALSE(Json(unknown.body)["success"].GetBool());

  WebUser anonymous(stack_->port());
  auto unauthorized = anonymous.Get(path);
  EXPECT_EQ(unauthorized.status, 401) << unauthorized.body;
  AssertNoEmail(forbidden.body + unknown.body + unauthorized.body);
}

TEST_F(MentionsTest, MembersRefusesABadQueryWithErros) {
  auto ana = NewUser("Ana Souza");
  int64_t sala = NewRoom(*ana, false);
  auto too_long = Members(*ana, sala, std::string(101, 'a'), 422);
  EXPECT_FALSE(too_long["success"].GetBool());
  EXPECT_TRUE(too_long["erros"].HasMember("q"));
  auto not_utf8 = Members(*ana, sala, "%FF", 422);
  EXPECT_TRUE(not_utf8["erros"].HasMember("q"));
}

// The whole path: nginx, papo-app, Redis and papo-pusher to the list
// stream of the mentioned user, as the room list page opens it.
class MentionsStreamTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = new Stack(); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  // Until a pusher subscribes `channel` (PUBSUB NUMSUB), for at most ~5 s.
  static Stack* stack_;
};
Stack* MentionsStreamTest::stack_ = nullptr;

TEST_F(MentionsStreamTest, MentionedUsersListStreamGetsMencao) {
  WebUser ana(stack_->port());
  std::string ana_email = UniqueEmail("ana");
  ASSERT_EQ(ana.Register("Ana Souza", ana_email).status, 303);
  WebUser bruno(stack_->port());
  std::string bruno_email = UniqueEmail("bruno");
  ASSERT_EQ(bruno.Register("Bruno Lima", bruno_email).status, 303);
  auto created = ana.Post("/chat/salas", {{"nome", "Menções ao vivo " + UniqueEmail("s")}, {"privada", "1"},
                                          {"membros", bruno_email}});
  ASSERT_EQ(created.status, 303) << created.body;
  int64_t sala = RoomIdFrom(created);

  auto stream = bruno.Stream("lista=1");
  ASSERT_EQ(stream->status(), 200);
  auto redis = stack_->redis().Client();
  ASSERT_TRUE(WaitSubscribed(*redis, UserChannel(bruno.id())));
  auto sent = ana.Send(sala, "@Bruno Lima, olha isso");
  ASSERT_EQ(sent.status, 200) << sent.body;
  auto body = Json(sent.body);

  auto event = stream->NextOf("mencao");
  ASSERT_TRUE(event.has_value());
  auto mention = Json(event->data);
  EXPECT_EQ(mention["sala_id"].GetInt64(), sala);
  EXPECT_EQ(mention["mensagem_id"].GetInt64(), body["mensagem_id"].GetInt64());
  EXPECT_EQ(mention["seq"].GetInt64(), body["seq"].GetInt64());
  EXPECT_STREQ(mention["autor"].GetString(), "Ana Souza");
  EXPECT_EQ(event->data.find(ana_email), std::string::npos);
  EXPECT_EQ(event->data.find(bruno_email), std::string::npos);
}

}  // namespace
}  // namespace papo::testing
