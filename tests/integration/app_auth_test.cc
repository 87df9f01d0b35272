// Accounts, sessions and the rules every route shares (DESIGN §3): register,
// log in, wrong password, redirects and 401s when logged out, CSRF.
#include <gtest/gtest.h>

#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

class AuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { stack_ = new Stack(WithoutPusher()); }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  int port() const { return stack_->port(); }
  static Stack* stack_;
};
Stack* AuthTest::stack_ = nullptr;

TEST_F(AuthTest, RootRedirectsToRoomList) {
  auto response = HttpCall(port(), "GET", "/");
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(response.Header("location"), "/chat/listar-salas");
}

TEST_F(AuthTest, LoginAndRegistrationPagesRenderInPortuguese) {
  auto login = HttpCall(port(), "GET", "/login");
  EXPECT_EQ(login.status, 200);
  EXPECT_NE(login.body.find("lang=\"pt-BR\""), std::string::npos);
  EXPECT_NE(login.body.find("Entrar"), std::string::npos);
  EXPECT_NE(login.body.find("/static/bootstrap/css/bootstrap.min.css"), std::string::npos);
  auto cadastro = HttpCall(port(), "GET", "/cadastro");
  EXPECT_EQ(cadastro.status, 200);
  EXPECT_NE(cadastro.body.find("confirmar_senha"), std::string::npos);
}

TEST_F(AuthTest, BootstrapIsServedFromTheDebianPackage) {
  auto css = HttpCall(port(), "GET", "/static/bootstrap/css/bootstrap.min.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_NE(css.body.find("Bootstrap"), std::string::npos);
}

TEST_F(AuthTest, RegisterLogsInAndShowsTheSeedRooms) {
  WebUser ana(port());
  auto response = ana.Register("Ana", UniqueEmail("ana"));
  ASSERT_EQ(response.status, 303);
  EXPECT_EQ(response.Header("location"), "/chat/listar-salas");
  std::string cookie = response.Header("set-cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);
  auto list = ana.Get("/chat/listar-salas");
  ASSERT_EQ(list.status, 200);
  for (const char* room : {"Sala Geral", "Suporte Técnico", "Vendas"}) {
    EXPECT_NE(list.body.find(room), std::string::npos) << room;
  }
  EXPECT_FALSE(ana.csrf().empty());
}

TEST_F(AuthTest, RegistrationErrorsAreShownPerFieldWith422) {
  auto response = HttpCall(port(), "POST", "/cadastro", {},
                           FormEncode({{"nome", "  "}, {"email", "nao-e-email"}, {"senha", "curta"},
                                       {"confirmar_senha", "outra"}}));
  EXPECT_EQ(response.status, 422);
  EXPECT_NE(response.body.find("Informe o nome."), std::string::npos);
  EXPECT_NE(response.body.find("e-mail válido"), std::string::npos);
  EXPECT_NE(response.body.find("pelo menos 8 caracteres"), std::string::npos);
  EXPECT_NE(response.body.find("confirmação não confere"), std::string::npos);
  EXPECT_TRUE(response.Header("set-cookie").empty());
}

TEST_F(AuthTest, DuplicateEmailIsRefusedAndChangesNothing) {
  std::string email = UniqueEmail("dup");
  WebUser first(port());
  ASSERT_EQ(first.Register("Primeiro", email).status, 303);
  WebUser second(port());
  auto response = second.Register("Segundo", email, "outrasenha1");
  EXPECT_EQ(response.status, 422);
  EXPECT_NE(response.body.find("já está cadastrado"), std::string::npos);
  // The first account still logs in with its own password only.
  WebUser again(port());
  EXPECT_EQ(again.Login(email, "outrasenha1").status, 401);
  EXPECT_EQ(again.Login(email).status, 303);
}

TEST_F(AuthTest, LoginIsCaseInsensitiveOnEmail) {
  std::string email = UniqueEmail("caixa");
  WebUser user(port());
  ASSERT_EQ(user.Register("Caixa", email).status, 303);
  std::string upper = email;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  WebUser again(port());
  EXPECT_EQ(again.Login(upper).status, 303);
}

TEST_F(AuthTest, WrongPasswordAndUnknownEmailGiveTheSame401Page) {
  std::string email = UniqueEmail("bia");
  WebUser bia(port());
  ASSERT_EQ(bia.Register("Bia", email).status, 303);
  WebUser attacker(port());
  auto wrong = attacker.Login(email, "errada123");
  auto unknown = attacker.Login(UniqueEmail("ninguem"), "errada123");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_NE(wrong.body.find("E-mail ou senha incorretos."), std::string::npos);
  EXPECT_NE(unknown.body.find("E-mail ou senha incorretos."), std::string::npos);
  EXPECT_TRUE(wrong.Header("set-cookie").empty());
}

TEST_F(AuthTest, LoginRedirectsToLocalNextOnly) {
  std::string email = UniqueEmail("next");
  WebUser user(port());
  ASSERT_EQ(user.Register("Next", email).status, 303);
  auto local = HttpCall(port(), "POST", "/login", {},
                        FormEncode({{"email", email}, {"senha", "segredo123"}, {"next", "/chat/sala/2"}}));
  EXPECT_EQ(local.status, 303);
  EXPECT_EQ(local.Header("location"), "/chat/sala/2");
  for (const char* evil : {"https://evil.example/", "//evil.example/x", "/\\evil.example"}) {
    auto response = HttpCall(port(), "POST", "/login", {},
                             FormEncode({{"email", email}, {"senha", "segredo123"}, {"next", evil}}));
    EXPECT_EQ(response.status, 303);
    EXPECT_EQ(response.Header("location"), "/chat/listar-salas") << evil;
  }
}

TEST_F(AuthTest, PagesRedirectToLoginWithNextWhenLoggedOut) {
  auto list = HttpCall(port(), "GET", "/chat/listar-salas");
  EXPECT_EQ(list.status, 303);
  EXPECT_EQ(list.Header("location"), "/login?next=%2Fchat%2Flistar-salas");
  auto room = HttpCall(port(), "GET", "/chat/sala/1?x=1");
  EXPECT_EQ(room.status, 303);
  EXPECT_EQ(room.Header("location"), "/login?next=%2Fchat%2Fsala%2F1%3Fx%3D1");
  auto login_page = HttpCall(port(), "GET", room.Header("location"));
  EXPECT_NE(login_page.body.find("value=\"/chat/sala/1?x=1\""), std::string::npos);
}

TEST_F(AuthTest, JsonEndpointsAnswer401WhenLoggedOut) {
  for (auto [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"POST", "/chat/enviar"}, {"GET", "/chat/mensagens?sala_id=1"}, {"POST", "/chat/lida"},
           {"POST", "/chat/digitando"}}) {
    auto response = HttpCall(port(), method, path, {}, method == "POST" ? "sala_id=1&mensagem=oi" : "");
    EXPECT_EQ(response.status, 401) << path;
    EXPECT_NE(response.Header("content-type").find("application/json"), std::string::npos) << path;
    EXPECT_NE(response.body.find("\"success\":false"), std::string::npos) << path;
  }
}

TEST_F(AuthTest, ForgedCookieIsNotASession) {
  auto response = HttpCall(port(), "GET", "/chat/listar-salas", {{"Cookie", "papo_session=inventado"}});
  EXPECT_EQ(response.status, 303);
}

TEST_F(AuthTest, PostWithoutCsrfTokenIs403AndChangesNothing) {
  WebUser user(port());
  ASSERT_EQ(user.Register("Csrf", UniqueEmail("csrf")).status, 303);
  auto before = user.Get("/chat/mensagens?sala_id=3&limit=200");
  auto missing = user.Post("/chat/enviar", {{"sala_id", "3"}, {"mensagem", "sem token"}}, false);
  EXPECT_EQ(missing.status, 403);
  auto wrong = user.Post("/chat/enviar", {{"sala_id", "3"}, {"mensagem", "token errado"}, {"csrf_token", "x"}}, false);
  EXPECT_EQ(wrong.status, 403);
  EXPECT_NE(wrong.body.find("CSRF"), std::string::npos);
  auto after = user.Get("/chat/mensagens?sala_id=3&limit=200");
  EXPECT_EQ(before.body, after.body);
  auto header_token = HttpCall(port(), "POST", "/chat/enviar",
                               {{"Cookie", user.cookie()}, {"X-CSRF-Token", user.csrf()}},
                               "sala_id=3&mensagem=com+header");
  EXPECT_EQ(header_token.status, 200) << header_token.body;
  auto logout = user.Post("/logout", {}, false);
  EXPECT_EQ(logout.status, 403);
}

TEST_F(AuthTest, LogoutEndsTheSession) {
  WebUser user(port());
  ASSERT_EQ(user.Register("Sai", UniqueEmail("sai")).status, 303);
  auto response = user.Post("/logout", {});
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(response.Header("location"), "/login");
  EXPECT_NE(response.Header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(user.Get("/chat/listar-salas").status, 303);  // the old cookie is dead
}

TEST_F(AuthTest, CrossSiteLoginPostIsRefused) {
  auto response = HttpCall(port(), "POST", "/login", {{"Origin", "https://evil.example"}},
                           FormEncode({{"email", "a@b.c"}, {"senha", "x"}}));
  EXPECT_EQ(response.status, 403);
}

// A browser on the site itself (nginx on a non-default port) sends its own
// origin, port included, while nginx passes Host without the port.
TEST_F(AuthTest, SameSiteLoginPostOnAnotherPortIsAccepted) {
  auto response = HttpCall(port(), "POST", "/login", {{"Origin", "http://127.0.0.1:" + std::to_string(port())}},
                           FormEncode({{"email", "ninguem@exemplo.com"}, {"senha", "senha-errada-1"}}));
  EXPECT_EQ(response.status, 401);
}

TEST_F(AuthTest, UnknownPathIs404AndWrongMethodIs405) {
  EXPECT_EQ(HttpCall(port(), "GET", "/nao-existe").status, 404);
  auto wrong_method = HttpCall(port(), "GET", "/chat/enviar");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(HttpCall(port(), "GET", "/internal/auth-stream").status, 404);  // internal only
}

TEST_F(AuthTest, Allow405ListsExactlyTheMethodsOfThePath) {
  struct Case {
    std::string method, path, allow;
  };
  for (const auto& [method, path, allow] : std::vector<Case>{
           {"PUT", "/", "GET, HEAD"},
           {"POST", "/", "GET, HEAD"},
           {"DELETE", "/", "GET, HEAD"},
           {"PUT", "/login", "GET, HEAD, POST"},
           {"PATCH", "/cadastro", "GET, HEAD, POST"},
           {"DELETE", "/chat/salas", "POST"},
           {"GET", "/chat/salas", "POST"},
           {"PUT", "/chat/sala/1", "GET, HEAD"},
           {"GET", "/logout", "POST"},
           {"PATCH", "/chat/mensagens", "GET, HEAD"},
           {"PUT", "/chat/enviar", "POST"},
       }) {
    auto response = HttpCall(port(), method, path);
    EXPECT_EQ(response.status, 405) << method << " " << path;
    EXPECT_EQ(response.Header("allow"), allow) << method << " " << path;
  }
}

// After login the browser GETs `next`: a logged-out POST must not name a
// POST-only address there. It returns to the same-site page it came from.
TEST_F(AuthTest, LoggedOutPostRedirectsToLoginWithoutAPostOnlyNext) {
  auto room = HttpCall(port(), "POST", "/chat/salas", {}, "nome=X");
  EXPECT_EQ(room.status, 303);
  EXPECT_EQ(room.Header("location"), "/login");
  auto logout = HttpCall(port(), "POST", "/logout");
  EXPECT_EQ(logout.status, 303);
  EXPECT_EQ(logout.Header("location"), "/login");
  std::string site = "http://127.0.0.1:" + std::to_string(port());
  auto from_list = HttpCall(port(), "POST", "/chat/salas", {{"Referer", site + "/chat/listar-salas"}}, "nome=X");
  EXPECT_EQ(from_list.Header("location"), "/login?next=%2Fchat%2Flistar-salas");
  auto from_form_error = HttpCall(port(), "POST", "/chat/salas", {{"Referer", site + "/chat/salas"}}, "nome=X");
  EXPECT_EQ(from_form_error.Header("location"), "/login");
  auto from_elsewhere =
      HttpCall(port(), "POST", "/chat/sala/1/membros", {{"Referer", "https://evil.example/chat/sala/1"}}, "email=a@b.c");
  EXPECT_EQ(from_elsewhere.Header("location"), "/login");
}

}  // namespace
}  // namespace papo::testing
