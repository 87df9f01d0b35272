// Direct messages and the room list (DESIGN §9: POST /chat/dm, GET
// /chat/pessoas, GET /chat/listar-salas) through nginx → papo-app → the
// database → Redis → papo-pusher: one room per pair also under concurrent
// requests, each side sees the other's name, a third person is refused
// everywhere, the people finder shows no e-mails, and the list's order,
// sections, filter and pages.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/bus/names.h"
#include "tests/integration/pusher_fixture.h"
#include "tests/support/json.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

const HeaderList kJson = {{"Accept", "application/json"}};

int64_t RoomIdFrom(const HttpResponse& response) {
  std::string location = response.Header("location");
  return std::stoll(location.substr(location.rfind('/') + 1));
}

// The data-sala-id values of the cards in `html`, in page order; only
// those inside the element with id `grid` when given.
std::vector<int64_t> CardIds(const std::string& html, const std::string& grid = "") {
  size_t from = 0;
  size_t to = html.size();
  if (!grid.empty()) {
    from = html.find("id=\"" + grid + "\"");
    if (from == std::string::npos) return {};
    to = html.find("</section>", from);
  }
  std::vector<int64_t> ids;
  const std::string marker = "data-sala-id=\"";
  for (size_t at = html.find(marker, from); at < to; at = html.find(marker, at + 1)) {
    ids.push_back(std::stoll(html.substr(at + marker.size())));
  }
  return ids;
}

bool Contains(const std::vector<int64_t>& ids, int64_t id) { return std::count(ids.begin(), ids.end(), id) > 0; }

class DirectMessageStack {
 public:
  static StackOptions Options() {
    return StackOptions{.env = {{"CHAT_RATE_LIMIT", "1000"}, {"CHAT_ROOMS_PER_HOUR", "1000"}}};
  }
};

class DirectMessageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = new Stack(DirectMessageStack::Options()); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  // A registered user with a name no other test uses (its e-mail kept).
  std::unique_ptr<WebUser> NewUser(const std::string& nome, std::string* email = nullptr) {
    return RegisteredUser(stack_->port(), nome, email);
  }
  static int64_t OpenDm(WebUser& from, const WebUser& to) {
    auto opened = from.Post("/chat/dm", {{"usuario_id", std::to_string(to.id())}});
    EXPECT_EQ(opened.status, 303) << opened.body;
    return RoomIdFrom(opened);
  }
  static int64_t NewRoom(WebUser& owner, const std::string& nome) {
    auto created = owner.Post("/chat/salas", {{"nome", nome}});
    EXPECT_EQ(created.status, 303) << created.body;
    return RoomIdFrom(created);
  }

  static Stack* stack_;
};

Stack* DirectMessageTest::stack_ = nullptr;

TEST_F(DirectMessageTest, OpeningTwiceFromEitherSideGivesTheSameRoom) {
  std::string bruno_email;
  auto ana = NewUser("Ana Direta");
  auto bruno = NewUser("Bruno Direto", &bruno_email);
  auto first = ana->Post("/chat/dm", {{"usuario_id", std::to_string(bruno->id())}});
  ASSERT_EQ(first.status, 303) << first.body;
  int64_t sala = RoomIdFrom(first);
  EXPECT_EQ(first.Header("location"), "/chat/sala/" + std::to_string(sala));
  EXPECT_EQ(OpenDm(*ana, *bruno), sala);
  auto by_email = bruno->Post("/chat/dm", {{"email", ""}, {"usuario_id", std::to_string(ana->id())}});
  EXPECT_EQ(RoomIdFrom(by_email), sala);
  auto json = ana->Post("/chat/dm", {{"email", bruno_email}});  // a browser form by e-mail
  EXPECT_EQ(RoomIdFrom(json), sala);
}

TEST_F(DirectMessageTest, JsonCallersGetTheRoomId) {
  auto ana = NewUser("Ana Json");
  auto bruno = NewUser("Bruno Json");
  int64_t sala = OpenDm(*ana, *bruno);
  auto answer = HttpCall(stack_->port(), "POST", "/chat/dm",
                         {{"Cookie", bruno->cookie()}, {"Accept", "application/json"}, {"X-CSRF-Token", bruno->csrf()},
                          {"Content-Type", "application/x-www-form-urlencoded"}},
                         "usuario_id=" + std::to_string(ana->id()));
  ASSERT_EQ(answer.status, 200) << answer.body;
  auto body = Json(answer.body);
  EXPECT_TRUE(body["success"].GetBool());
  EXPECT_EQ(body["sala_id"].GetInt64(), sala);
  // Without a session a JSON caller gets 401, not the login page.
  auto anonymous = HttpCall(stack_->port(), "POST", "/chat/dm", kJson);
  EXPECT_EQ(anonymous.status, 401);
}

TEST_F(DirectMessageTest, EachSideSeesTheRoomNamedAfterTheOtherPerson) {
  auto ana = NewUser("Ana Vista");
  auto bruno = NewUser("Bruno Vista");
  int64_t sala = OpenDm(*ana, *bruno);
  std::string path = "/chat/sala/" + std::to_string(sala);
  auto for_ana = ana->Get(path);
  auto for_bruno = bruno->Get(path);
  ASSERT_EQ(for_ana.status, 200);
  ASSERT_EQ(for_bruno.status, 200);
  EXPECT_NE(for_ana.body.find("<title>Bruno Vista"), std::string::npos) << "page title after the other person";
  EXPECT_NE(for_bruno.body.find("<title>Ana Vista"), std::string::npos);
  EXPECT_NE(for_ana.body.find("\"sala_nome\":\"Bruno Vista\""), std::string::npos) << "the script's data too";
  // The internal key never reaches a page.
  for (const auto& page : {for_ana.body, for_bruno.body, ana->Get("/chat/listar-salas").body}) {
    EXPECT_EQ(page.find("dm:"), std::string::npos);
  }
  auto list = bruno->Get("/chat/listar-salas");
  EXPECT_TRUE(Contains(CardIds(list.body, "papo-diretas"), sala)) << "listed under Conversas diretas";
  EXPECT_FALSE(Contains(CardIds(list.body, "papo-salas"), sala));
  EXPECT_NE(list.body.find("<span class=\"papo-sala-nome\">Ana Vista</span>"), std::string::npos);
}

TEST_F(DirectMessageTest, BothSidesListStreamsGetTheNewRoomWithTheirOwnView) {
  auto ana = NewUser("Ana Aovivo");
  auto bruno = NewUser("Bruno Aovivo");
  auto ana_list = ana->Stream("lista=1");
  auto bruno_list = bruno->Stream("lista=1");
  ASSERT_EQ(ana_list->status(), 200);
  ASSERT_EQ(bruno_list->status(), 200);
  int64_t sala = OpenDm(*bruno, *ana);
  for (auto [stream, other] : {std::pair{ana_list.get(), bruno.get()}, std::pair{bruno_list.get(), ana.get()}}) {
    auto event = stream->NextOf("sala");
    ASSERT_TRUE(event.has_value());
    auto room = Json(event->data);
    EXPECT_EQ(room["id"].GetInt64(), sala);
    EXPECT_EQ(std::string(room["nome"].GetString()), other == ana.get() ? "Ana Aovivo" : "Bruno Aovivo");
    EXPECT_TRUE(room["direta"].GetBool());
    EXPECT_EQ(room["direta_com"].GetInt64(), other->id());
  }
  // The room's messages reach the other side's list (its private channel).
  EXPECT_EQ(bruno->Send(sala, "Oi, Ana!").status, 200);
  auto activity = ana_list->NextOf("atividade");
  ASSERT_TRUE(activity.has_value());
  EXPECT_EQ(Json(activity->data)["sala_id"].GetInt64(), sala);
}

TEST_F(DirectMessageTest, AThirdPersonIsRefusedThePageStreamHistoryAndSending) {
  auto ana = NewUser("Ana Par");
  auto bruno = NewUser("Bruno Par");
  auto carla = NewUser("Carla Terceira");
  int64_t sala = OpenDm(*ana, *bruno);
  ASSERT_EQ(ana->Send(sala, "Só entre nós").status, 200);
  std::string id = std::to_string(sala);
  EXPECT_EQ(carla->Get("/chat/sala/" + id).status, 403);
  EXPECT_EQ(carla->Stream("sala_id=" + id)->status(), 403);
  EXPECT_EQ(carla->Get("/chat/mensagens?sala_id=" + id).status, 403);
  EXPECT_EQ(carla->Send(sala, "Oi?").status, 403);
  EXPECT_EQ(carla->Get("/chat/listar-salas").body.find("data-sala-id=\"" + id + "\""), std::string::npos);
  EXPECT_EQ(bruno->Stream("sala_id=" + id)->status(), 200);
}

TEST_F(DirectMessageTest, UnknownPeopleAreOne404WhateverTheWayTheyAreNamed) {
  auto ana = NewUser("Ana Procura");
  auto by_email = ana->Post("/chat/dm", {{"email", UniqueEmail("ninguem")}});
  auto by_id = ana->Post("/chat/dm", {{"usuario_id", "999999999"}});
  EXPECT_EQ(by_email.status, 404);
  EXPECT_EQ(by_id.status, 404);
  EXPECT_NE(by_email.body.find("Pessoa não encontrada."), std::string::npos);
  EXPECT_NE(by_id.body.find("Pessoa não encontrada."), std::string::npos);
  auto json = HttpCall(stack_->port(), "POST", "/chat/dm",
                       {{"Cookie", ana->cookie()}, {"Accept", "application/json"}, {"X-CSRF-Token", ana->csrf()},
                        {"Content-Type", "application/x-www-form-urlencoded"}},
                       "email=" + UniqueEmail("outro"));
  EXPECT_EQ(json.status, 404);
  EXPECT_EQ(std::string(Json(json.body)["erro"].GetString()), "Pessoa não encontrada.");
}

TEST_F(DirectMessageTest, YourselfNoFieldAndMalformedFieldsAre422) {
  std::string email;
  auto ana = NewUser("Ana Sozinha", &email);
  auto post_json = [&](const std::string& body) {
    return HttpCall(stack_->port(), "POST", "/chat/dm",
                    {{"Cookie", ana->cookie()}, {"Accept", "application/json"}, {"X-CSRF-Token", ana->csrf()},
                     {"Content-Type", "application/x-www-form-urlencoded"}},
                    body);
  };
  auto self = post_json("usuario_id=" + std::to_string(ana->id()));
  EXPECT_EQ(self.status, 422);
  EXPECT_TRUE(Json(self.body)["erros"].HasMember("usuario_id")) << self.body;
  EXPECT_EQ(post_json("email=" + email).status, 422);
  auto neither = post_json("");
  EXPECT_EQ(neither.status, 422);
  EXPECT_TRUE(Json(neither.body)["erros"].HasMember("email")) << neither.body;
  auto both_bad = post_json("usuario_id=abc&email=nao-e-email");
  EXPECT_EQ(both_bad.status, 422);
  auto errors = Json(both_bad.body);
  EXPECT_TRUE(errors["erros"].HasMember("usuario_id")) << both_bad.body;
  EXPECT_TRUE(errors["erros"].HasMember("email")) << both_bad.body;
  EXPECT_EQ(ana->Post("/chat/dm", {{"usuario_id", "0"}}).status, 422);
  EXPECT_EQ(ana->Post("/chat/dm", {{"usuario_id", std::to_string(ana->id())}}).status, 422);
}

TEST_F(DirectMessageTest, PeopleFinderMatchesWordPrefixesWithoutAccentsAndShowsNoEmails) {
  std::string marca = std::to_string(::getpid()) + "x" + std::to_string(std::rand() % 100000);
  std::string procura_email;
  auto procura = NewUser("Quênia Zéfiro" + marca, &procura_email);
  std::string other_email;
  auto other = NewUser("Otávio Zéfiro" + marca, &other_email);
  auto find = [&](const std::string& q) { return procura->Get("/chat/pessoas?q=" + q, kJson); };
  // "zefiro…" (no accent, lower case) is the start of a later word of both names.
  auto found = find("zefiro" + marca);
  ASSERT_EQ(found.status, 200) << found.body;
  auto people = Json(found.body);
  ASSERT_TRUE(people["pessoas"].IsArray());
  ASSERT_EQ(people["pessoas"].Size(), 1u) << found.body << " (the caller is never listed)";
  EXPECT_EQ(people["pessoas"][0]["id"].GetInt64(), other->id());
  EXPECT_EQ(found.body.find('@'), std::string::npos) << "no e-mail in " << found.body;
  EXPECT_EQ(found.body.find(other_email), std::string::npos);
  // The first word, accents typed or not.
  EXPECT_EQ(Json(find("OTAV").body)["pessoas"].Size() >= 1, true);
  EXPECT_EQ(Json(other->Get("/chat/pessoas?q=qu%C3%AAnia", kJson).body)["pessoas"].Size() >= 1, true);
  // A word's middle is no match.
  EXPECT_EQ(Json(find("efiro" + marca).body)["pessoas"].Size(), 0u);
  EXPECT_EQ(find("").status, 422);
  EXPECT_EQ(procura->Get("/chat/pessoas", kJson).status, 422);
  EXPECT_EQ(find(std::string(101, 'a')).status, 422);
  EXPECT_EQ(find(std::string(100, 'a')).status, 200);
  EXPECT_EQ(HttpCall(stack_->port(), "GET", "/chat/pessoas?q=ana", kJson).status, 401);
}

TEST_F(DirectMessageTest, TheListPutsTheNewestActivityFirstInItsSections) {
  auto dora = NewUser("Dora Lista");
  auto eva = NewUser("Eva Lista");
  std::string marca = UniqueEmail("l");
  int64_t older = NewRoom(*dora, "Lista Antiga " + marca);
  int64_t newer = NewRoom(*dora, "Lista Nova " + marca);
  int64_t dm = OpenDm(*dora, *eva);
  auto ids = CardIds(dora->Get("/chat/listar-salas").body, "papo-salas");
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(ids[0], newer) << "the newest room first (created, no messages yet)";
  EXPECT_EQ(ids[1], older);
  ASSERT_EQ(dora->Send(older, "Agora esta tem novidade").status, 200);
  ids = CardIds(dora->Get("/chat/listar-salas").body, "papo-salas");
  ASSERT_GE(ids.size(), 2u);
  EXPECT_EQ(ids[0], older) << "a new message moves the room to the top";
  EXPECT_EQ(ids[1], newer);
  auto diretas = dora->Get("/chat/listar-salas?secao=diretas");
  ASSERT_EQ(diretas.status, 200);
  EXPECT_EQ(CardIds(diretas.body), std::vector<int64_t>{dm});
  auto salas = CardIds(dora->Get("/chat/listar-salas?secao=salas").body);
  EXPECT_TRUE(Contains(salas, older));
  EXPECT_FALSE(Contains(salas, dm));
  // Eva's unread count in the direct message, and its presence text.
  ASSERT_EQ(dora->Send(dm, "Oi, Eva").status, 200);
  auto for_eva = eva->Get("/chat/listar-salas");
  EXPECT_NE(for_eva.body.find("1 mensagem não lida"), std::string::npos);
  EXPECT_NE(for_eva.body.find("papo-presenca-texto\">offline"), std::string::npos) << "Dora has no open stream";
  auto dora_stream = dora->Stream("lista=1");
  ASSERT_EQ(dora_stream->status(), 200);
  EXPECT_NE(eva->Get("/chat/listar-salas").body.find("papo-presenca-texto\">online"), std::string::npos);
  EXPECT_EQ(dora->Get("/chat/listar-salas?secao=outra").status, 422);
}

TEST_F(DirectMessageTest, TheFilterMatchesNamesWithoutCaseOrAccents) {
  auto dora = NewUser("Dora Filtro");
  auto empty = dora->Get("/chat/listar-salas").body;
  EXPECT_NE(empty.find("Nenhuma conversa direta nesta página."), std::string::npos) << "no filter, no \"com esse nome\"";
  EXPECT_EQ(empty.find("name=\"secao\""), std::string::npos) << "the main view's filter form sends no secao";
  auto joao = NewUser("João Filtrado");
  std::string marca = UniqueEmail("f");
  int64_t acao = NewRoom(*dora, "Ação " + marca);
  int64_t outra = NewRoom(*dora, "Outra " + marca);
  int64_t dm = OpenDm(*dora, *joao);
  auto found = CardIds(dora->Get("/chat/listar-salas?q=ACAO").body);
  EXPECT_TRUE(Contains(found, acao));
  EXPECT_FALSE(Contains(found, outra));
  EXPECT_FALSE(Contains(found, dm));
  auto people = CardIds(dora->Get("/chat/listar-salas?q=joao").body);
  EXPECT_TRUE(Contains(people, dm)) << "a direct message is found by the other person's name";
  auto nothing = dora->Get("/chat/listar-salas?q=" + std::string("nada-assim-") + "zzzz");
  EXPECT_TRUE(CardIds(nothing.body).empty());
  EXPECT_NE(nothing.body.find("Nenhuma conversa com esse nome."), std::string::npos);
  EXPECT_EQ(dora->Get("/chat/listar-salas?q=" + std::string(101, 'a')).status, 422);
}

TEST_F(DirectMessageTest, SectionsAndFiltersPaginateOnTheirOwn) {
  auto dora = NewUser("Dora Paginas");
  auto eva = NewUser("Eva Paginas");
  // Named apart from every other test's rooms: the filter keeps these.
  std::string marca = "pag" + std::to_string(::getpid()) + "x" + std::to_string(std::rand() % 100000);
  std::set<int64_t> rooms;
  for (int i = 0; i < 52; ++i) rooms.insert(NewRoom(*dora, "Página " + std::to_string(i) + " " + marca));
  int64_t dm = OpenDm(*dora, *eva);
  std::string base = "/chat/listar-salas?secao=salas&q=" + marca;
  auto first = dora->Get(base);
  auto second = dora->Get(base + "&pagina=2");
  auto on_first = CardIds(first.body);
  auto on_second = CardIds(second.body);
  EXPECT_EQ(on_first.size(), 50u);
  EXPECT_EQ(on_second.size(), 2u);
  std::set<int64_t> all(on_first.begin(), on_first.end());
  all.insert(on_second.begin(), on_second.end());
  EXPECT_EQ(all, rooms);
  EXPECT_NE(first.body.find("href=\"/chat/listar-salas?secao=salas&amp;q=" + marca + "&amp;pagina=2\" rel=\"next\""),
            std::string::npos);
  EXPECT_EQ(second.body.find("rel=\"next\""), std::string::npos);
  // The main view pages every room, direct messages among them, by activity.
  auto main_view = CardIds(dora->Get("/chat/listar-salas").body);
  EXPECT_EQ(main_view.size(), 50u);
  EXPECT_EQ(main_view.front(), dm) << "the newest";
  EXPECT_EQ(CardIds(dora->Get("/chat/listar-salas?secao=diretas").body), std::vector<int64_t>{dm});
}

// 20 concurrent POST /chat/dm, ten from each side: one room. Also on
// PostgreSQL (pg.), where the two sides' transactions really overlap.
class DirectMessageConcurrencyTest : public DirectMessageTest {};

TEST_F(DirectMessageConcurrencyTest, TwentyConcurrentOpensFromBothSidesCreateOneRoom) {
  auto ana = NewUser("Ana Corrida");
  auto bruno = NewUser("Bruno Corrida");
  std::vector<int64_t> answers(20, 0);
  std::vector<int> statuses(20, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      const WebUser& from = i % 2 == 0 ? *ana : *bruno;
      const WebUser& to = i % 2 == 0 ? *bruno : *ana;
      auto opened = from.Post("/chat/dm", {{"usuario_id", std::to_string(to.id())}});
      statuses[i] = opened.status;
      if (opened.status == 303) answers[i] = RoomIdFrom(opened);
    });
  }
  for (auto& thread : threads) thread.join();
  for (int i = 0; i < 20; ++i) EXPECT_EQ(statuses[i], 303) << "request " << i;
  std::set<int64_t> rooms(answers.begin(), answers.end());
  ASSERT_EQ(rooms.size(), 1u);
  int64_t sala = *rooms.begin();
  EXPECT_GT(sala, 0);
  // One room each side sees, and it is the one every answer named.
  for (WebUser* user : {ana.get(), bruno.get()}) {
    EXPECT_EQ(CardIds(user->Get("/chat/listar-salas?secao=diretas").body), std::vector<int64_t>{sala});
  }
}

}  // namespace
}  // namespace papo::testing
