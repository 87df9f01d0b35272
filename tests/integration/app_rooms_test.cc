// Rooms: the list, creating rooms, the room page, private rooms
// (DESIGN §3 pages).
#include <gtest/gtest.h>

#include "common/bus/names.h"
#include "tests/support/redis_subscriber.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

int64_t RoomIdFrom(const HttpResponse& response) {
  std::string location = response.Header("location");
  return std::stoll(location.substr(location.rfind('/') + 1));
}

class RoomsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = new Stack(WithoutPusher()); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override {
    ana_ = std::make_unique<WebUser>(stack_->port());
    ana_email_ = UniqueEmail("ana");
    ASSERT_EQ(ana_->Register("Ana", ana_email_).status, 303);
  }
  static Stack* stack_;
  std::unique_ptr<WebUser> ana_;
  std::string ana_email_;
};
Stack* RoomsTest::stack_ = nullptr;

TEST_F(RoomsTest, RoomPageContainsItsTitleAndHistoryOldestFirst) {
  ASSERT_EQ(ana_->Send(2, "primeira do teste").status, 200);
  ASSERT_EQ(ana_->Send(2, "segunda do teste").status, 200);
  auto page = ana_->Get("/chat/sala/2");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<title>Suporte Técnico · papo</title>"), std::string::npos);
  EXPECT_NE(page.body.find("Suporte Técnico"), std::string::npos);
  auto first = page.body.find("primeira do teste");
  auto second = page.body.find("segunda do teste");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_NE(page.body.find("papo-dados"), std::string::npos);
  EXPECT_EQ(page.Header("cache-control"), "no-store");
}

TEST_F(RoomsTest, RoomPageShowsAtMostHistoryLimitMessages) {
  Stack small(WithoutPusher({{"CHAT_HISTORY_LIMIT", "5"}, {"CHAT_RATE_LIMIT", "100"}}));
  WebUser user(small.port());
  ASSERT_EQ(user.Register("Lim", UniqueEmail("lim")).status, 303);
  for (int i = 1; i <= 8; ++i) ASSERT_EQ(user.Send(1, "limite-" + std::to_string(i) + "-fim").status, 200);
  auto page = user.Get("/chat/sala/1");
  EXPECT_EQ(page.body.find("limite-3-fim"), std::string::npos);
  EXPECT_NE(page.body.find("limite-4-fim"), std::string::npos);
  EXPECT_NE(page.body.find("limite-8-fim"), std::string::npos);
}

TEST_F(RoomsTest, UnknownRoomIs404) {
  auto page = ana_->Get("/chat/sala/999999");
  EXPECT_EQ(page.status, 404);
  EXPECT_NE(page.body.find("Página não encontrada"), std::string::npos);
  EXPECT_EQ(ana_->Get("/chat/sala/abc").status, 404);
}

// GET /chat/sala/{id} is safe (issue 14, item 8): a cross-site link that
// opens a room must not move the reader's position. The page's script marks
// what the reader sees with POST /chat/lida (tests/e2e covers that part).
TEST_F(RoomsTest, OpeningARoomMarksNothingReadUntilThePagePostsIt) {
  WebUser bruno(stack_->port());
  ASSERT_EQ(bruno.Register("Bruno", UniqueEmail("bruno")).status, 303);
  auto created = ana_->Post("/chat/salas", {{"nome", "Lidas " + UniqueEmail("x")}});
  int64_t sala = RoomIdFrom(created);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(ana_->Send(sala, "oi " + std::to_string(i)).status, 200);
  auto list = bruno.Get("/chat/listar-salas");
  EXPECT_NE(list.body.find("aria-label=\"4 mensagens não lidas\""), std::string::npos);
  auto page = bruno.Get("/chat/sala/" + std::to_string(sala));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("\"lido_antes\":0"), std::string::npos);
  auto still = bruno.Post("/chat/lida", {{"sala_id", std::to_string(sala)}, {"seq", "0"}});
  EXPECT_NE(still.body.find("\"nao_lidas\":4"), std::string::npos) << still.body;
  auto read = bruno.Post("/chat/lida", {{"sala_id", std::to_string(sala)}, {"seq", "4"}});
  EXPECT_NE(read.body.find("\"nao_lidas\":0"), std::string::npos) << read.body;
  auto again = bruno.Get("/chat/sala/" + std::to_string(sala));
  EXPECT_NE(again.body.find("\"lido_antes\":4"), std::string::npos);
}

TEST_F(RoomsTest, CreatingAPublicRoomAnnouncesItAndOthersSeeIt) {
  RedisSubscriber subscriber(stack_->redis(), PublicListChannel());
  std::string name = "Pública " + UniqueEmail("r");
  auto created = ana_->Post("/chat/salas", {{"nome", name}, {"descricao", "Uma sala <b>nova</b>"}});
  ASSERT_EQ(created.status, 303);
  int64_t sala = RoomIdFrom(created);
  auto event = subscriber.Next();
  ASSERT_TRUE(event.has_value());
  auto envelope = DecodeEnvelope(*event);
  ASSERT_TRUE(envelope.has_value());
  EXPECT_EQ(envelope->kind, EventKind::kRoom);
  EXPECT_EQ(envelope->sala_id, sala);
  WebUser bruno(stack_->port());
  ASSERT_EQ(bruno.Register("Bruno", UniqueEmail("bruno")).status, 303);
  auto list = bruno.Get("/chat/listar-salas");
  EXPECT_NE(list.body.find(name), std::string::npos);
  EXPECT_NE(list.body.find("Uma sala &lt;b&gt;nova&lt;/b&gt;"), std::string::npos);
}

TEST_F(RoomsTest, RoomNamesAreUniqueAndValidated) {
  std::string name = "Única " + UniqueEmail("u");
  ASSERT_EQ(ana_->Post("/chat/salas", {{"nome", name}}).status, 303);
  auto duplicate = ana_->Post("/chat/salas", {{"nome", name}});
  EXPECT_EQ(duplicate.status, 422);
  EXPECT_NE(duplicate.body.find("Já existe uma sala com esse nome."), std::string::npos);
  auto empty = ana_->Post("/chat/salas", {{"nome", "   "}});
  EXPECT_EQ(empty.status, 422);
  auto long_name = ana_->Post("/chat/salas", {{"nome", std::string(61, 'x')}});
  EXPECT_EQ(long_name.status, 422);
}

TEST_F(RoomsTest, RoomNameInAccentedCapitalsIsTheSameName) {
  auto duplicate = ana_->Post("/chat/salas", {{"nome", "SUPORTE TÉCNICO"}});  // seed: "Suporte Técnico"
  EXPECT_EQ(duplicate.status, 422);
  EXPECT_NE(duplicate.body.find("id=\"sala-nome-erro\">Já existe uma sala com esse nome.</div>"), std::string::npos);
}

TEST_F(RoomsTest, PrivateRoomIsForbiddenToNonMembers) {
  WebUser bruno(stack_->port());
  std::string bruno_email = UniqueEmail("bruno");
  ASSERT_EQ(bruno.Register("Bruno", bruno_email).status, 303);
  WebUser carla(stack_->port());
  ASSERT_EQ(carla.Register("Carla", UniqueEmail("carla")).status, 303);
  std::string name = "Secreta " + UniqueEmail("s");
  auto created = ana_->Post("/chat/salas", {{"nome", name}, {"privada", "1"}, {"membros", bruno_email}});
  ASSERT_EQ(created.status, 303) << created.body;
  int64_t sala = RoomIdFrom(created);
  std::string path = "/chat/sala/" + std::to_string(sala);
  EXPECT_EQ(ana_->Get(path).status, 200);
  EXPECT_EQ(bruno.Get(path).status, 200);
  auto refused = carla.Get(path);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("Acesso negado"), std::string::npos);
  EXPECT_EQ(carla.Send(sala, "entrei?").status, 403);
  EXPECT_EQ(carla.Get("/chat/mensagens?sala_id=" + std::to_string(sala)).status, 403);
  EXPECT_EQ(carla.Post("/chat/lida", {{"sala_id", std::to_string(sala)}}).status, 403);
  EXPECT_EQ(carla.Post("/chat/digitando", {{"sala_id", std::to_string(sala)}}).status, 403);
  EXPECT_EQ(carla.Get("/chat/listar-salas").body.find(name), std::string::npos);
  EXPECT_NE(bruno.Get("/chat/listar-salas").body.find(name), std::string::npos);
}

TEST_F(RoomsTest, MembersInviteOthersToPrivateRooms) {
  WebUser bruno(stack_->port());
  std::string bruno_email = UniqueEmail("bruno");
  ASSERT_EQ(bruno.Register("Bruno", bruno_email).status, 303);
  auto created = ana_->Post("/chat/salas", {{"nome", "Convite " + UniqueEmail("c")}, {"privada", "1"}});
  int64_t sala = RoomIdFrom(created);
  std::string path = "/chat/sala/" + std::to_string(sala);
  EXPECT_EQ(bruno.Get(path).status, 403);
  RedisSubscriber subscriber(stack_->redis(), UserChannel(bruno.id()));
  auto invite = ana_->Post(path + "/membros", {{"email", bruno_email}});
  EXPECT_EQ(invite.status, 303);
  EXPECT_EQ(bruno.Get(path).status, 200);
  auto event = subscriber.Next();
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(DecodeEnvelope(*event)->kind, EventKind::kRoom);
}

// DESIGN §3: an invitation must not tell whether an address has an account.
TEST_F(RoomsTest, InvitingAnUnknownAndAKnownEmailGivesTheSameAnswer) {
  WebUser bruno(stack_->port());
  std::string bruno_email = UniqueEmail("bruno");
  ASSERT_EQ(bruno.Register("Bruno", bruno_email).status, 303);
  auto created = ana_->Post("/chat/salas", {{"nome", "Mesma " + UniqueEmail("m")}, {"privada", "1"}});
  std::string path = "/chat/sala/" + std::to_string(RoomIdFrom(created));
  auto known = ana_->Post(path + "/membros", {{"email", bruno_email}});
  auto unknown = ana_->Post(path + "/membros", {{"email", UniqueEmail("fantasma")}});
  EXPECT_EQ(known.status, 303);
  EXPECT_EQ(unknown.status, known.status);
  EXPECT_EQ(unknown.Header("location"), known.Header("location"));
  EXPECT_EQ(unknown.body, known.body);
  auto answer = ana_->Get(known.Header("location"));
  EXPECT_EQ(answer.status, 200);
  EXPECT_NE(answer.body.find("Se houver uma conta com esse e-mail, ela foi adicionada."), std::string::npos);
  EXPECT_EQ(answer.body.find("Nenhum usuário"), std::string::npos);
  EXPECT_EQ(bruno.Get(path).status, 200);
}

TEST_F(RoomsTest, PrivadaThatIsNeitherYesNorNoIsShownBesideTheSwitch) {
  std::string name = "X2 " + UniqueEmail("x");
  auto response = ana_->Post("/chat/salas", {{"nome", name}, {"privada", "abc"}});
  EXPECT_EQ(response.status, 422);
  EXPECT_NE(response.body.find("id=\"sala-privada-erro\">Indique se a sala é privada com 1 (sim) ou 0 (não).</div>"),
            std::string::npos)
      << response.body;
  EXPECT_NE(response.body.find("form-check-input is-invalid"), std::string::npos);
  EXPECT_EQ(ana_->Get("/chat/listar-salas").body.find("<span class=\"papo-sala-nome\">" + name), std::string::npos);
}

TEST_F(RoomsTest, InvitingToAPublicRoomShowsWhyNot) {
  WebUser bruno(stack_->port());
  std::string bruno_email = UniqueEmail("bruno");
  ASSERT_EQ(bruno.Register("Bruno", bruno_email).status, 303);
  auto response = ana_->Post("/chat/sala/1/membros", {{"email", bruno_email}});
  EXPECT_EQ(response.status, 422);
  EXPECT_NE(response.body.find("role=\"alert\">Salas públicas não têm lista de membros.</div>"), std::string::npos)
      << response.body;
  auto not_text = HttpCall(stack_->port(), "POST", "/chat/sala/1/membros",
                           {{"Cookie", ana_->cookie()}, {"X-CSRF-Token", ana_->csrf()},
                            {"Content-Type", "application/json"}},
                           R"({"email":["a@b.c"]})");
  EXPECT_EQ(not_text.status, 422);
  EXPECT_NE(not_text.body.find("O e-mail deve ser um texto."), std::string::npos);
}

TEST_F(RoomsTest, HiddenUnreadBadgeStillHasASentenceAsLabel) {
  auto list = ana_->Get("/chat/listar-salas");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find("aria-label=\" mensagens"), std::string::npos);
  EXPECT_NE(list.body.find("papo-nao-lidas d-none\" aria-label=\"0 mensagens não lidas\""), std::string::npos);
}

TEST_F(RoomsTest, RoomFormsLeaveTheCharacterLimitToTheCounterAndTheServer) {
  auto room = ana_->Get("/chat/sala/1");
  auto textarea = room.body.find("<textarea id=\"papo-texto\"");
  ASSERT_NE(textarea, std::string::npos);
  EXPECT_EQ(room.body.substr(textarea, room.body.find('>', textarea) - textarea).find("maxlength"), std::string::npos);
}

TEST_F(RoomsTest, AnUnknownEmailAtCreationIsLeftOutLikeAKnownOneIsAdded) {
  WebUser bruno(stack_->port());
  std::string bruno_email = UniqueEmail("bruno");
  ASSERT_EQ(bruno.Register("Bruno", bruno_email).status, 303);
  std::string name = "Mista " + UniqueEmail("f");
  auto created = ana_->Post("/chat/salas",
                            {{"nome", name}, {"privada", "1"}, {"membros", UniqueEmail("ninguem") + ", " + bruno_email}});
  EXPECT_EQ(created.status, 303) << created.body;
  EXPECT_EQ(created.body.find("ninguem"), std::string::npos);
  EXPECT_NE(ana_->Get("/chat/listar-salas").body.find("<span class=\"papo-sala-nome\">" + name), std::string::npos);
  EXPECT_EQ(bruno.Get("/chat/sala/" + std::to_string(RoomIdFrom(created))).status, 200);
}

// DESIGN §11: papo-app's pages and JSON carry the security headers; nginx
// adds nosniff to static files.
TEST_F(RoomsTest, PagesAndJsonCarryTheSecurityHeaders) {
  auto expect_headers = [](const HttpResponse& response, const std::string& what) {
    std::string csp = response.Header("content-security-policy");
    EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << what << ": " << csp;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << what;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << what;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << what;
    EXPECT_EQ(response.Header("x-content-type-options"), "nosniff") << what;
    EXPECT_EQ(response.Header("referrer-policy"), "same-origin") << what;
  };
  auto login = HttpCall(stack_->port(), "GET", "/login");
  ASSERT_EQ(login.status, 200);
  expect_headers(login, "login");
  auto room = ana_->Get("/chat/sala/1");
  ASSERT_EQ(room.status, 200);
  expect_headers(room, "sala");
  EXPECT_EQ(room.body.find("<script>"), std::string::npos);
  EXPECT_EQ(room.body.find(" style=\""), std::string::npos);
  auto error = ana_->Get("/chat/mensagens?sala_id=abc");
  ASSERT_EQ(error.status, 422);
  EXPECT_EQ(error.Header("content-type"), "application/json; charset=utf-8");
  expect_headers(error, "JSON error");
  auto css = HttpCall(stack_->port(), "GET", "/static/css/papo.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.Header("x-content-type-options"), "nosniff");
}

}  // namespace
}  // namespace papo::testing
