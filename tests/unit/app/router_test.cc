#include "fcgi-app/http/router.h"

#include <gtest/gtest.h>

#include "fcgi-app/handlers/handlers.h"
#include "fcgi-app/http/request.h"
#include "fcgi-app/http/response.h"

namespace papo {
namespace {

TEST(MatchRouteTest, LiteralPaths) {
  int64_t id = 0;
  EXPECT_TRUE(MatchRoute("/chat/enviar", "/chat/enviar", id));
  EXPECT_FALSE(MatchRoute("/chat/enviar", "/chat/enviar/", id));
  EXPECT_FALSE(MatchRoute("/chat/enviar", "/chat", id));
}

TEST(MatchRouteTest, IdSegmentIsAPositiveInteger) {
  int64_t id = 0;
  EXPECT_TRUE(MatchRoute("/chat/sala/{id}", "/chat/sala/42", id));
  EXPECT_EQ(id, 42);
  EXPECT_TRUE(MatchRoute("/chat/sala/{id}/membros", "/chat/sala/7/membros", id));
  EXPECT_EQ(id, 7);
  EXPECT_FALSE(MatchRoute("/chat/sala/{id}", "/chat/sala/0", id));
  EXPECT_FALSE(MatchRoute("/chat/sala/{id}", "/chat/sala/abc", id));
  EXPECT_FALSE(MatchRoute("/chat/sala/{id}", "/chat/sala/1/x", id));
  EXPECT_FALSE(MatchRoute("/chat/sala/{id}", "/chat/sala/", id));
}

TEST(MatchRouteTest, UserIdSegmentIsReadBesideTheRoomId) {
  int64_t id = 0;
  int64_t usuario_id = 0;
  constexpr std::string_view kPattern = "/chat/sala/{id}/membros/{usuario_id}/remover";
  EXPECT_TRUE(MatchRoute(kPattern, "/chat/sala/3/membros/9/remover", id, usuario_id));
  EXPECT_EQ(id, 3);
  EXPECT_EQ(usuario_id, 9);
  EXPECT_FALSE(MatchRoute(kPattern, "/chat/sala/3/membros/0/remover", id, usuario_id));
  EXPECT_FALSE(MatchRoute(kPattern, "/chat/sala/3/membros/x/remover", id, usuario_id));
  EXPECT_FALSE(MatchRoute(kPattern, "/chat/sala/3/membros/9", id, usuario_id));
}

TEST(AllowedMethodsTest, ListsEveryMethodOfThePath) {
  Router router(AppRoutes());
  EXPECT_EQ(router.AllowedMethods("/"), "GET, HEAD");
  EXPECT_EQ(router.AllowedMethods("/login"), "GET, HEAD, POST");
  EXPECT_EQ(router.AllowedMethods("/cadastro"), "GET, HEAD, POST");
  EXPECT_EQ(router.AllowedMethods("/logout"), "POST");
  EXPECT_EQ(router.AllowedMethods("/chat/salas"), "POST");
  EXPECT_EQ(router.AllowedMethods("/chat/sala/3"), "GET, HEAD");
  EXPECT_EQ(router.AllowedMethods("/chat/sala/3/membros"), "GET, HEAD, POST");  // completion, invitation
  EXPECT_EQ(router.AllowedMethods("/chat/mensagens/9/editar"), "POST");
  EXPECT_EQ(router.AllowedMethods("/chat/mensagens/9/excluir"), "POST");
  EXPECT_EQ(router.AllowedMethods("/chat/mensagens/9/reacoes"), "POST");
  EXPECT_EQ(router.AllowedMethods("/chat/mensagens"), "GET, HEAD");
  EXPECT_EQ(router.AllowedMethods("/chat/enviar"), "POST");
  EXPECT_EQ(router.AllowedMethods("/nada"), "");
}

Request Visit(std::string method, std::string path, std::string query = "", std::string referer = "") {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.query_string = std::move(query);
  request.headers["host"] = "papo.exemplo";
  if (!referer.empty()) request.headers["referer"] = std::move(referer);
  return request;
}

TEST(LoginRedirectTest, GetKeepsItsOwnUrl) {
  Router router(AppRoutes());
  EXPECT_EQ(router.LoginRedirect(Visit("GET", "/chat/sala/2", "x=1")), "/login?next=%2Fchat%2Fsala%2F2%3Fx%3D1");
  EXPECT_EQ(router.LoginRedirect(Visit("HEAD", "/chat/listar-salas")), "/login?next=%2Fchat%2Flistar-salas");
}

TEST(LoginRedirectTest, PostWithoutRefererHasNoNext) {
  Router router(AppRoutes());
  EXPECT_EQ(router.LoginRedirect(Visit("POST", "/chat/salas")), "/login");
  EXPECT_EQ(router.LoginRedirect(Visit("POST", "/logout")), "/login");
}

TEST(LoginRedirectTest, PostReturnsToTheSameSitePageItCameFrom) {
  Router router(AppRoutes());
  EXPECT_EQ(router.LoginRedirect(Visit("POST", "/chat/salas", "", "http://papo.exemplo:8080/chat/listar-salas")),
            "/login?next=%2Fchat%2Flistar-salas");
  EXPECT_EQ(router.LoginRedirect(Visit("POST", "/chat/sala/4/membros", "", "https://papo.exemplo/chat/sala/4#fim")),
            "/login?next=%2Fchat%2Fsala%2F4");
}

TEST(LoginRedirectTest, PostIgnoresARefererThatIsNotAGetPageOfThisSite) {
  Router router(AppRoutes());
  EXPECT_EQ(router.LoginRedirect(Visit("POST", "/chat/salas", "", "https://outro.exemplo/chat/listar-salas")), "/login");
  // The 422 page of a room form lives at /chat/salas, which has no GET.
  EXPECT_EQ(router.LoginRedirect(Visit("POST", "/chat/salas", "", "http://papo.exemplo/chat/salas")), "/login");
  EXPECT_EQ(router.LoginRedirect(Visit("POST", "/logout", "", "http://papo.exemplo/nada")), "/login");
  EXPECT_EQ(router.LoginRedirect(Visit("POST", "/logout", "", "http://x@papo.exemplo/chat/sala/1")), "/login");
  EXPECT_EQ(router.LoginRedirect(Visit("POST", "/logout", "", "/chat/sala/1")), "/login");
}

TEST(RequestTest, CookiesAreFoundByName) {
  Request request;
  request.headers["cookie"] = "a=1; papo_session=abc; b=2";
  EXPECT_EQ(request.Cookie("papo_session"), "abc");
  EXPECT_EQ(request.Cookie("a"), "1");
  EXPECT_EQ(request.Cookie("x"), "");
}

TEST(ResponseTest, SerializesAsCgi) {
  Response response = Response::Redirect("/login");
  EXPECT_EQ(SerializeCgi(response), "Status: 303 See Other\r\nLocation: /login\r\n\r\n");
}

}  // namespace
}  // namespace papo
