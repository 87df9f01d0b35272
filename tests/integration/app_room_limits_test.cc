// Per-user limits on rooms and invitations, and the paginated room list
// (DESIGN §11, issue 14 item 3): through nginx, on SQLite and (pg.*)
// PostgreSQL, with the counters in Redis and, with Redis stopped, in the
// process.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

int64_t RoomIdFrom(const HttpResponse& response) {
  std::string location = response.Header("location");
  return std::stoll(location.substr(location.rfind('/') + 1));
}

// The room ids a list page shows, in page order.
std::vector<int64_t> RoomIdsOn(const std::string& html) {
  // A plain scan, not std::regex: g++ 12's sanitized build warns inside
  // <regex> (maybe-uninitialized) and -Werror stops it.
  std::vector<int64_t> ids;
  const std::string marker = "data-sala-id=\"";
  for (size_t at = html.find(marker); at != std::string::npos; at = html.find(marker, at)) {
    at += marker.size();
    size_t end = html.find('"', at);
    if (end == std::string::npos) break;
    ids.push_back(std::stoll(html.substr(at, end - at)));
  }
  return ids;
}

void ExpectRetryAfterWithinTheHour(const HttpResponse& response) {
  std::string retry = response.Header("retry-after");
  ASSERT_FALSE(retry.empty());
  int seconds = std::stoi(retry);
  EXPECT_GE(seconds, 1);
  EXPECT_LE(seconds, 3600);
}

class RoomLimitsTest : public ::testing::Test {
 protected:
  void Start(std::map<std::string, std::string> env = {}) {
    stack_ = std::make_unique<Stack>(WithoutPusher(std::move(env)));
    ana_ = std::make_unique<WebUser>(stack_->port());
    ASSERT_EQ(ana_->Register("Ana", UniqueEmail("ana")).status, 303);
  }
  HttpResponse Create(const std::string& nome, Fields more = {}) {
    Fields fields = {{"nome", nome}};
    fields.insert(fields.end(), more.begin(), more.end());
    return ana_->Post("/chat/salas", fields);
  }
  std::unique_ptr<Stack> stack_;
  std::unique_ptr<WebUser> ana_;
};

// The default CHAT_ROOMS_PER_HOUR (20): the 21st room of the hour is
// refused on the list page, the form as typed, and not created.
TEST_F(RoomLimitsTest, TheTwentyFirstRoomInAnHourIs429WithRetryAfterAndNotCreated) {
  Start();
  for (int i = 0; i < 20; ++i) ASSERT_EQ(Create("Limite " + std::to_string(i) + " " + UniqueEmail("r")).status, 303);
  std::string nome = "A vigésima primeira " + UniqueEmail("r");
  auto refused = Create(nome, {{"descricao", "não deve existir"}});
  EXPECT_EQ(refused.status, 429);
  ExpectRetryAfterWithinTheHour(refused);
  EXPECT_NE(refused.body.find("Você criou salas demais na última hora. Aguarde "), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("value=\"não deve existir\""), std::string::npos) << "the form comes back as typed";
  auto list = ana_->Get("/chat/listar-salas");
  EXPECT_EQ(list.body.find(nome), std::string::npos) << "the refused room was not created";
  // Someone else still creates rooms.
  WebUser bruno(stack_->port());
  ASSERT_EQ(bruno.Register("Bruno", UniqueEmail("bruno")).status, 303);
  EXPECT_EQ(bruno.Post("/chat/salas", {{"nome", "Do Bruno " + UniqueEmail("r")}}).status, 303);
}

// Invalid input changes nothing, not even the count.
TEST_F(RoomLimitsTest, AnInvalidRoomDoesNotUseTheHoursRooms) {
  Start({{"CHAT_ROOMS_PER_HOUR", "1"}});
  EXPECT_EQ(Create("").status, 422);
  EXPECT_EQ(Create("   ").status, 422);
  EXPECT_EQ(Create("Válida " + UniqueEmail("r")).status, 303);
  EXPECT_EQ(Create("Outra " + UniqueEmail("r")).status, 429);
}

// DESIGN §11: every limit holds while Redis is down (counted in the process).
TEST_F(RoomLimitsTest, TheRoomLimitHoldsWithRedisStopped) {
  Start({{"CHAT_ROOMS_PER_HOUR", "2"}});
  stack_->redis().Stop();
  EXPECT_EQ(Create("Sem Redis 1 " + UniqueEmail("r")).status, 303);
  EXPECT_EQ(Create("Sem Redis 2 " + UniqueEmail("r")).status, 303);
  std::string nome = "Sem Redis 3 " + UniqueEmail("r");
  auto refused = Create(nome);
  EXPECT_EQ(refused.status, 429);
  ExpectRetryAfterWithinTheHour(refused);
  EXPECT_EQ(ana_->Get("/chat/listar-salas").body.find(nome), std::string::npos);
}

TEST_F(RoomLimitsTest, ZeroTurnsTheRoomLimitOff) {
  Start({{"CHAT_ROOMS_PER_HOUR", "0"}});
  for (int i = 0; i < 25; ++i) ASSERT_EQ(Create("Livre " + std::to_string(i) + " " + UniqueEmail("r")).status, 303);
}

// CHAT_INVITES_PER_HOUR: the members one user adds, whether or not the
// e-mail has an account (the refusal must not tell either).
TEST_F(RoomLimitsTest, InvitationsOverTheHoursLimitAre429AndAddNobody) {
  Start({{"CHAT_INVITES_PER_HOUR", "3"}});
  int64_t sala = RoomIdFrom(Create("Convites " + UniqueEmail("r"), {{"privada", "1"}}));
  std::string members = "/chat/sala/" + std::to_string(sala) + "/membros";
  EXPECT_EQ(ana_->Post(members, {{"email", UniqueEmail("ninguem")}}).status, 303);
  EXPECT_EQ(ana_->Post(members, {{"email", UniqueEmail("ninguem")}}).status, 303);
  EXPECT_EQ(ana_->Post(members, {{"email", "não é e-mail"}}).status, 422) << "invalid: not counted";
  EXPECT_EQ(ana_->Post(members, {{"email", UniqueEmail("ninguem")}}).status, 303);
  std::string bruno_email = UniqueEmail("bruno");
  WebUser bruno(stack_->port());
  ASSERT_EQ(bruno.Register("Bruno", bruno_email).status, 303);
  auto refused = ana_->Post(members, {{"email", bruno_email}});
  EXPECT_EQ(refused.status, 429);
  ExpectRetryAfterWithinTheHour(refused);
  EXPECT_NE(refused.body.find("Você convidou pessoas demais na última hora."), std::string::npos) << refused.body;
  EXPECT_EQ(bruno.Get("/chat/sala/" + std::to_string(sala)).status, 403) << "Bruno was not added";
}

// Naming members when creating a room invites them too: over the limit,
// neither the room nor the invitations exist.
TEST_F(RoomLimitsTest, ARoomNamingMoreMembersThanTheHourAllowsIsNotCreated) {
  Start({{"CHAT_INVITES_PER_HOUR", "2"}});
  std::string nome = "Lotada " + UniqueEmail("r");
  auto refused = Create(nome, {{"privada", "1"},
                               {"membros", UniqueEmail("a") + ", " + UniqueEmail("b") + ", " + UniqueEmail("c")}});
  EXPECT_EQ(refused.status, 429);
  ExpectRetryAfterWithinTheHour(refused);
  EXPECT_NE(refused.body.find("Você convidou pessoas demais na última hora."), std::string::npos) << refused.body;
  EXPECT_EQ(ana_->Get("/chat/listar-salas").body.find(nome), std::string::npos);
}

TEST_F(RoomLimitsTest, TheInvitationLimitHoldsWithRedisStopped) {
  Start({{"CHAT_INVITES_PER_HOUR", "1"}});
  int64_t sala = RoomIdFrom(Create("Convites sem Redis " + UniqueEmail("r"), {{"privada", "1"}}));
  stack_->redis().Stop();
  std::string members = "/chat/sala/" + std::to_string(sala) + "/membros";
  EXPECT_EQ(ana_->Post(members, {{"email", UniqueEmail("ninguem")}}).status, 303);
  auto refused = ana_->Post(members, {{"email", UniqueEmail("ninguem")}});
  EXPECT_EQ(refused.status, 429);
  ExpectRetryAfterWithinTheHour(refused);
}

// The list in pages of 50 by name: pages 1 and 2 together show every room
// once, with links between them.
TEST_F(RoomLimitsTest, TheRoomListComesInPagesThatTogetherListEveryRoomOnce) {
  Start({{"CHAT_ROOMS_PER_HOUR", "0"}});
  std::set<int64_t> created;
  for (int i = 0; i < 60; ++i) {
    auto room = Create("Página " + std::to_string(100 + i) + " " + UniqueEmail("r"));
    ASSERT_EQ(room.status, 303);
    created.insert(RoomIdFrom(room));
  }
  auto first = ana_->Get("/chat/listar-salas");
  auto second = ana_->Get("/chat/listar-salas?pagina=2");
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(second.status, 200);
  auto on_first = RoomIdsOn(first.body);
  auto on_second = RoomIdsOn(second.body);
  EXPECT_EQ(on_first.size(), 50u);
  EXPECT_EQ(on_second.size(), 60u + 3u - 50u) << "the 60 rooms and the three seeded ones";
  std::multiset<int64_t> all(on_first.begin(), on_first.end());
  all.insert(on_second.begin(), on_second.end());
  for (int64_t id : all) EXPECT_EQ(all.count(id), 1u) << "room " << id << " listed twice";
  for (int64_t id : created) EXPECT_EQ(all.count(id), 1u) << "room " << id << " missing";
  EXPECT_NE(first.body.find("href=\"/chat/listar-salas?pagina=2\" rel=\"next\">Próxima"), std::string::npos);
  EXPECT_EQ(first.body.find("rel=\"prev\""), std::string::npos);
  EXPECT_NE(second.body.find("href=\"/chat/listar-salas?pagina=1\" rel=\"prev\">← Anterior"), std::string::npos);
  EXPECT_EQ(second.body.find("rel=\"next\""), std::string::npos);
  EXPECT_NE(second.body.find("Página 2"), std::string::npos);
  auto past = ana_->Get("/chat/listar-salas?pagina=3");
  EXPECT_EQ(past.status, 200);
  EXPECT_TRUE(RoomIdsOn(past.body).empty());
  EXPECT_NE(past.body.find("Nenhuma sala nesta página."), std::string::npos);
}

TEST_F(RoomLimitsTest, ABadPageNumberIs422AndNamesTheRule) {
  Start();
  for (const char* bad : {"0", "-1", "abc", "1.5", "9999999", ""}) {
    auto page = ana_->Get(std::string("/chat/listar-salas?pagina=") + bad);
    EXPECT_EQ(page.status, 422) << bad;
    EXPECT_NE(page.body.find("Página inválida: use um número inteiro de 1 a 100000."), std::string::npos) << bad;
  }
  EXPECT_EQ(ana_->Get("/chat/listar-salas?pagina=1").status, 200);
}

}  // namespace
}  // namespace papo::testing
