// Message search (DESIGN §9, GET /chat/buscar) through nginx → papo-app →
// SQLite: the JSON answer and the page, refusals (401, 403, 404, 422), a
// private room's messages never shown to someone outside it, and a result's
// link opening the room at that message (/chat/sala/{id}?seq=S).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/http_client.h"
#include "tests/support/json.h"
#include "tests/integration/pusher_fixture.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

const HeaderList kJson = {{"Accept", "application/json"}};

int64_t RoomIdFrom(const HttpResponse& response) {
  std::string location = response.Header("location");
  return std::stoll(location.substr(location.rfind('/') + 1));
}

std::string Encode(const std::string& q) { return FormEncode({{"q", q}}); }

class SearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = new Stack(WithoutPusher({{"CHAT_RATE_LIMIT", "1000"}, {"CHAT_ROOMS_PER_HOUR", "1000"},
                                      {"CHAT_INVITES_PER_HOUR", "1000"}, {"CHAT_HISTORY_LIMIT", "10"}}));
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  std::unique_ptr<WebUser> NewUser(const std::string& nome, std::string* email = nullptr) {
    return RegisteredUser(stack_->port(), nome, email);
  }
  int64_t NewRoom(WebUser& owner, bool privada, const std::string& members = "") {
    auto created = owner.Post("/chat/salas", {{"nome", "Busca " + UniqueEmail("sala")},
                                              {"privada", privada ? "1" : "0"}, {"membros", members}});
    EXPECT_EQ(created.status, 303) << created.body;
    return RoomIdFrom(created);
  }
  int64_t Send(WebUser& user, int64_t sala, const std::string& text) {
    auto sent = user.Send(sala, text);
    EXPECT_EQ(sent.status, 200) << sent.body;
    return Json(sent.body)["mensagem_id"].GetInt64();
  }
  rapidjson::Document Search(WebUser& user, const std::string& query, int expected = 200) {
    auto response = user.Get("/chat/buscar?" + query, kJson);
    EXPECT_EQ(response.status, expected) << response.body;
    return Json(response.body);
  }
  static std::vector<int64_t> Ids(const rapidjson::Document& body) {
    std::vector<int64_t> ids;
    for (const auto& result : body["resultados"].GetArray()) ids.push_back(result["id"].GetInt64());
    return ids;
  }
  static std::string Unique() { return "x" + std::to_string(++counter_) + "z" + std::to_string(::getpid()); }

  static Stack* stack_;
  static int counter_;
};
Stack* SearchTest::stack_ = nullptr;
int SearchTest::counter_ = 0;

TEST_F(SearchTest, JsonAnswerHasMessageObjectsRoomNameAndSnippet) {
  auto ana = NewUser("Ana");
  auto bruno = NewUser("Bruno");
  int64_t sala = NewRoom(*ana, false);
  std::string word = Unique();
  int64_t older = Send(*ana, sala, "primeira " + word);
  int64_t newer = Send(*ana, sala, "A AÇÃO <b>" + word + "</b> começou");
  auto body = Search(*bruno, Encode("acao " + word));
  ASSERT_TRUE(body["success"].GetBool());
  ASSERT_EQ(Ids(body), std::vector<int64_t>{newer});
  const auto& result = body["resultados"][0];
  EXPECT_EQ(result["sala_id"].GetInt64(), sala);
  EXPECT_EQ(result["usuario_nome"].GetString(), std::string("Ana"));
  EXPECT_EQ(result["mensagem"].GetString(), "A AÇÃO <b>" + word + "</b> começou");
  EXPECT_TRUE(result.HasMember("seq") && result.HasMember("reacoes") && result.HasMember("excluida"));
  EXPECT_EQ(std::string(result["sala_nome"].GetString()).rfind("Busca ", 0), 0u);
  EXPECT_EQ(result["trecho"].GetString(),
            "A <mark>AÇÃO</mark> &lt;b&gt;<mark>" + word + "</mark>&lt;/b&gt; começou");
  EXPECT_TRUE(body["proximo_antes_id"].IsNull());
  EXPECT_EQ(Ids(Search(*bruno, Encode(word))), (std::vector<int64_t>{newer, older}));
}

TEST_F(SearchTest, PagesOfTwentyWithTheNextBound) {
  auto ana = NewUser("Ana");
  int64_t sala = NewRoom(*ana, false);
  std::string word = Unique();
  std::vector<int64_t> sent;
  for (int i = 0; i < 21; ++i) sent.push_back(Send(*ana, sala, word + " " + std::to_string(i)));
  auto first = Search(*ana, Encode(word));
  ASSERT_EQ(first["resultados"].Size(), 20u);
  EXPECT_EQ(first["resultados"][0]["id"].GetInt64(), sent[20]);
  ASSERT_TRUE(first["proximo_antes_id"].IsInt64());
  EXPECT_EQ(first["proximo_antes_id"].GetInt64(), sent[1]);
  auto second = Search(*ana, Encode(word) + "&antes_id=" + std::to_string(first["proximo_antes_id"].GetInt64()));
  EXPECT_EQ(Ids(second), std::vector<int64_t>{sent[0]});
  EXPECT_TRUE(second["proximo_antes_id"].IsNull());
}

TEST_F(SearchTest, AThirdUserNeverSeesAPrivateRoomsMessages) {
  std::string bruno_email;
  auto ana = NewUser("Ana");
  auto bruno = NewUser("Bruno", &bruno_email);
  auto carla = NewUser("Carla");
  int64_t privada = NewRoom(*ana, true, bruno_email);
  std::string word = Unique();
  int64_t id = Send(*ana, privada, "confidencial " + word);
  EXPECT_EQ(Ids(Search(*bruno, Encode(word))), std::vector<int64_t>{id});
  EXPECT_EQ(Ids(Search(*carla, Encode(word))), std::vector<int64_t>{});
  auto refused = Search(*carla, Encode(word) + "&sala_id=" + std::to_string(privada), 403);
  EXPECT_FALSE(refused["success"].GetBool());
  auto page = carla->Get("/chat/buscar?" + Encode(word));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("confidencial"), std::string::npos);
  EXPECT_NE(page.body.find("Nenhuma mensagem encontrada"), std::string::npos);
}

TEST_F(SearchTest, RefusalsAre401And404And422) {
  auto ana = NewUser("Ana");
  auto anonymous = HttpCall(stack_->port(), "GET", "/chat/buscar?q=oi", kJson);
  EXPECT_EQ(anonymous.status, 401);
  auto page = HttpCall(stack_->port(), "GET", "/chat/buscar?q=oi");
  EXPECT_EQ(page.status, 303);
  EXPECT_NE(page.Header("location").find("/login"), std::string::npos);
  Search(*ana, Encode("oi") + "&sala_id=999999", 404);
  for (const std::string& query : {Encode(""), Encode("   "), Encode("?! ***"), Encode(std::string(201, 'a')),
                                   std::string("sala_id=1")}) {
    auto body = Search(*ana, query, 422);
    EXPECT_FALSE(body["success"].GetBool());
    EXPECT_TRUE(body["erros"]["q"].IsString()) << query;
  }
  auto bad_id = Search(*ana, Encode("oi") + "&antes_id=abc", 422);
  EXPECT_TRUE(bad_id["erros"]["antes_id"].IsString());
  EXPECT_EQ(Search(*ana, Encode(std::string(200, 'a')))["resultados"].Size(), 0u);
}

TEST_F(SearchTest, PageRendersEscapedResultsWithLinksToTheMessage) {
  auto ana = NewUser("Ana");
  int64_t sala = NewRoom(*ana, false);
  std::string word = Unique();
  Send(*ana, sala, "<script>alert(1)</script> " + word);
  auto page = ana->Get("/chat/buscar?" + Encode(word));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt; <mark>" + word + "</mark>"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/chat/sala/" + std::to_string(sala) + "?seq=1\""), std::string::npos);
  auto blank = ana->Get("/chat/buscar");
  EXPECT_EQ(blank.status, 200);
  EXPECT_NE(blank.body.find("name=\"q\""), std::string::npos);
  auto invalid = ana->Get("/chat/buscar?q=%3F%21");
  EXPECT_EQ(invalid.status, 422);
  EXPECT_NE(invalid.body.find("ao menos uma palavra"), std::string::npos);
}

TEST_F(SearchTest, EditsAndDeletionsThroughTheRoutesReachTheIndex) {
  auto ana = NewUser("Ana");
  int64_t sala = NewRoom(*ana, false);
  std::string word = Unique();
  int64_t id = Send(*ana, sala, "rascunho " + word);
  auto edited = ana->Post("/chat/mensagens/" + std::to_string(id) + "/editar", {{"mensagem", "versão final " + word}});
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(Ids(Search(*ana, Encode("rascunho " + word))), std::vector<int64_t>{});
  EXPECT_EQ(Ids(Search(*ana, Encode("versao " + word))), std::vector<int64_t>{id});
  auto deleted = ana->Post("/chat/mensagens/" + std::to_string(id) + "/excluir", {});
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Ids(Search(*ana, Encode(word))), std::vector<int64_t>{});
}

TEST_F(SearchTest, RoomOpensAtTheMessageOfAResult) {
  auto ana = NewUser("Ana");
  int64_t sala = NewRoom(*ana, false);
  std::string word = Unique();
  for (int i = 1; i <= 40; ++i) Send(*ana, sala, (i == 7 ? word + " " : std::string("linha ")) + std::to_string(i));
  auto newest = ana->Get("/chat/sala/" + std::to_string(sala));
  ASSERT_EQ(newest.status, 200);
  EXPECT_EQ(newest.body.find(word), std::string::npos);  // CHAT_HISTORY_LIMIT=10: only the newest
  auto anchored = ana->Get("/chat/sala/" + std::to_string(sala) + "?seq=7");
  ASSERT_EQ(anchored.status, 200);
  EXPECT_NE(anchored.body.find(word + " 7"), std::string::npos);
  EXPECT_NE(anchored.body.find("data-seq=\"2\""), std::string::npos);
  EXPECT_EQ(anchored.body.find("data-seq=\"40\""), std::string::npos);
  EXPECT_NE(anchored.body.find("Você está vendo mensagens antigas"), std::string::npos);
  EXPECT_NE(anchored.body.find("\"ancora_seq\":7"), std::string::npos);
  // A seq near the end: the window reaches the newest message, no notice.
  auto recent = ana->Get("/chat/sala/" + std::to_string(sala) + "?seq=38");
  ASSERT_EQ(recent.status, 200);
  EXPECT_NE(recent.body.find("data-seq=\"40\""), std::string::npos);
  EXPECT_EQ(recent.body.find("Você está vendo mensagens antigas"), std::string::npos);
  EXPECT_EQ(ana->Get("/chat/sala/" + std::to_string(sala) + "?seq=abc").status, 422);
}

}  // namespace
}  // namespace papo::testing
