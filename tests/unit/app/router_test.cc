#include "fcgi-app/http/router.h"

#include <gtest/gtest.h>

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
