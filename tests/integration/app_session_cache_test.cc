// Sessions cached by papo-app processes (fcgi-app/services/session_cache.h)
// never outlive a logout: not in another process, not with Redis down.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

// Time for a logout's announcement to reach every process's feed (it takes
// milliseconds; generous for a loaded CI machine).
constexpr std::chrono::milliseconds kAnnouncementTravel{200};

// Requests with `cookie` until each of the processes behind nginx has
// answered several (nginx takes them in turn), so every one has it cached.
void UseEverywhere(Stack& stack, const std::string& cookie, int processes) {
  WebUser user(stack.port());
  user.set_cookie(cookie);
  for (int i = 0; i < 8 * processes; ++i) ASSERT_EQ(user.Get("/chat/listar-salas").status, 200);
}

void ExpectLoggedOutEverywhere(Stack& stack, const std::string& cookie, int processes) {
  WebUser stale(stack.port());
  stale.set_cookie(cookie);
  for (int i = 0; i < 8 * processes; ++i) {
    auto page = stale.Get("/chat/listar-salas");
    ASSERT_EQ(page.status, 303) << "request " << i << " still logged in";
    auto json = stale.Get("/chat/mensagens?sala_id=1");
    ASSERT_EQ(json.status, 401) << "request " << i;
  }
}

StackOptions ThreeProcesses() {
  StackOptions options = WithoutPusher();
  options.app_processes = 3;
  return options;
}

// A new account whose session every one of the three processes has cached.
std::unique_ptr<WebUser> CachedEverywhere(Stack& stack, const std::string& nome) {
  auto user = std::make_unique<WebUser>(stack.port());
  EXPECT_EQ(user->Register(nome, UniqueEmail(nome)).status, 303);
  UseEverywhere(stack, user->cookie(), 3);
  return user;
}

TEST(SessionCacheAcrossProcessesTest, ALogoutInOneProcessEndsTheSessionInEveryOtherAtOnce) {
  Stack stack(ThreeProcesses());
  auto user = CachedEverywhere(stack, "ana");
  WebUser& ana = *user;
  std::string cookie = ana.cookie();
  ASSERT_EQ(ana.Post("/logout", {}).status, 303);
  // The announcement travels the bus as the pushers' does: milliseconds.
  std::this_thread::sleep_for(kAnnouncementTravel);
  ExpectLoggedOutEverywhere(stack, cookie, 3);
}

// Redis down: the logout cannot be announced, so no process may answer from
// its cache; the database says the session is gone.
TEST(SessionCacheAcrossProcessesTest, WithRedisDownEveryProcessAsksTheDatabase) {
  Stack stack(ThreeProcesses());
  auto user = CachedEverywhere(stack, "ana");
  WebUser& ana = *user;
  std::string cookie = ana.cookie();
  stack.redis().Stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // each feed sees its connection end
  ASSERT_EQ(ana.Post("/logout", {}).status, 303);
  ExpectLoggedOutEverywhere(stack, cookie, 3);
  // And with Redis back, a new login is cached and ended the same way.
  stack.redis().Start();
  WebUser again(stack.port());
  ASSERT_EQ(again.Register("Bia", UniqueEmail("bia")).status, 303);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // feeds resubscribe (1 s pause)
  UseEverywhere(stack, again.cookie(), 3);
  std::string second = again.cookie();
  ASSERT_EQ(again.Post("/logout", {}).status, 303);
  std::this_thread::sleep_for(kAnnouncementTravel);
  ExpectLoggedOutEverywhere(stack, second, 3);
}

}  // namespace
}  // namespace papo::testing
