// What a browser cannot reach through nginx, however it spells the path or
// the headers (issue 14: variants a black-box review tried, which already
// held and must keep holding). papo-app routes on nginx's decoded,
// normalized path (DOCUMENT_URI), so every spelling of /internal/ meets
// nginx's `location /internal/ { return 404; }` first; and nginx sets the
// identity headers the pusher reads, so a client's own copies never arrive.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

TEST(NginxInternalPathsTest, NoSpellingOfTheInternalPathReachesPapoApp) {
  Stack stack(WithoutPusher());
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  // With a valid session, /internal/auth-stream itself would answer 204 and
  // name the user: none of these may.
  const std::vector<std::string> targets = {
      "/internal/auth-stream?lista=1",
      "/internal/auth-stream?sala_id=1",
      "/%69nternal/auth-stream?lista=1",
      "/%69%6E%74%65%72%6E%61%6C/auth-stream?lista=1",
      "/internal%2Fauth-stream?lista=1",
      "/internal%2fauth-stream?lista=1",
      "//internal/auth-stream?lista=1",
      "/./internal/auth-stream?lista=1",
      "/chat/../internal/auth-stream?lista=1",
      "/chat/%2e%2e/internal/auth-stream?lista=1",
      "/chat/%2E%2E%2Finternal%2Fauth-stream?lista=1",
      "/INTERNAL/auth-stream?lista=1",
      "/Internal/auth-stream?lista=1",
      "/internal/auth-stream/?lista=1",
      "/internal/auth-stream;x?lista=1",
      "/internal/auth-stream%00?lista=1",
      "/internal/auth-stream%20?lista=1",
  };
  for (const std::string& target : targets) {
    auto response = HttpCall(stack.port(), "GET", target, {{"Cookie", ana.cookie()}});
    EXPECT_TRUE(response.status == 404 || response.status == 400) << target << " → " << response.status;
    EXPECT_EQ(response.Header("x-papo-user-id"), "") << target;
    EXPECT_EQ(response.Header("x-papo-user-name"), "") << target;
  }
}

// A client that sends the headers nginx sets for the pusher (identity,
// expiry, the pusher's secret, the list stream's private rooms) gets the
// stream its own session allows and nothing more.
TEST(NginxInternalPathsTest, ForgedIdentityHeadersOnTheStreamAreIgnored) {
  Stack stack;
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  auto created = ana.Post("/chat/salas", {{"nome", "Segredo " + UniqueEmail("s")}, {"privada", "1"}});
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string sala = created.Header("location").substr(std::string("/chat/sala/").size());
  auto page = ana.Get("/chat/sala/" + sala);
  auto id_at = page.body.find("\"usuario_id\":");
  ASSERT_NE(id_at, std::string::npos);
  const std::string ana_id = page.body.substr(id_at + 13, page.body.find_first_of(",}", id_at) - id_at - 13);

  WebUser bruno(stack.port());
  ASSERT_EQ(bruno.Register("Bruno", UniqueEmail("bruno")).status, 303);
  const HeaderList forged = {{"Cookie", bruno.cookie()},
                             {"X-Papo-User-Id", ana_id},
                             {"X-Papo-User-Name", "Ana"},
                             {"X-Papo-Session-Expires", "9999999999999"},
                             {"X-Papo-Session-Id", "forjada"},
                             {"X-Papo-Sala-Privada", "0"},
                             {"X-Papo-Pusher-Secret", "qualquer-coisa-0123456789"},
                             {"X-Papo-Salas-Privadas", sala}};
  EXPECT_EQ(HttpCall(stack.port(), "GET", "/chat/stream?sala_id=" + sala, forged).status, 403);
  // Without a session, forged identity is still no identity.
  HeaderList anonymous(forged.begin() + 1, forged.end());
  EXPECT_EQ(HttpCall(stack.port(), "GET", "/chat/stream?sala_id=" + sala, anonymous).status, 401);
  EXPECT_EQ(HttpCall(stack.port(), "GET", "/chat/stream?lista=1", anonymous).status, 401);
}

}  // namespace
}  // namespace papo::testing
