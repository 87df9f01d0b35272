// The abuse limits of login and cadastro (DESIGN §11), through nginx:
// failed logins per e-mail (known or not), attempts per client address in
// papo-app and in nginx's limit_req, both while Redis is down, and the cap
// on password hashes running at once in one papo-app process.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http_client.h"
#include "tests/support/stack.h"
#include "tests/support/temp_dir.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

constexpr char kEmailLimited[] = "Muitas tentativas de entrada com este e-mail";
constexpr char kAddressLimited[] = "Muitas tentativas de entrada a partir da sua rede";
constexpr char kNginxLimited[] = "Houve tentativas demais de entrar ou de se cadastrar";

// The limits count in fixed windows (60 s per address, 15 min per e-mail):
// start a burst early enough in one that it does not straddle two.
void WaitForRoomInWindow(int window_seconds, int needed_seconds) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch()).count();
  int64_t window_ms = int64_t{window_seconds} * 1000;
  int64_t left_ms = window_ms - ms % window_ms;
  if (left_ms < int64_t{needed_seconds} * 1000) std::this_thread::sleep_for(std::chrono::milliseconds(left_ms + 50));
}

HttpResponse PostLogin(int port, const std::string& email, const std::string& senha) {
  return HttpCall(port, "POST", "/login", {}, FormEncode({{"email", email}, {"senha", senha}}));
}

HttpResponse PostCadastro(int port, const std::string& email) {
  return HttpCall(port, "POST", "/cadastro", {},
                  FormEncode({{"nome", "Zé"}, {"email", email}, {"senha", "segredo123"}, {"confirmar_senha", "segredo123"}}));
}

int RetryAfter(const HttpResponse& response) { return std::atoi(response.Header("retry-after").c_str()); }

void ExpectRefusedForEmail(const HttpResponse& response) {
  EXPECT_EQ(response.status, 429) << response.body;
  EXPECT_GE(RetryAfter(response), 1);
  EXPECT_LE(RetryAfter(response), 900);
  EXPECT_NE(response.body.find(kEmailLimited), std::string::npos) << response.body;
}

// The peak resident memory of a process (VmHWM), in KiB.
int64_t PeakRssKib(pid_t pid) {
  std::string status = ReadFile("/proc/" + std::to_string(pid) + "/status");
  auto at = status.find("VmHWM:");
  return at == std::string::npos ? -1 : std::atoll(status.c_str() + at + 6);
}

TEST(AuthLimitsTest, TheEleventhWrongPasswordForAnEmailIsRefusedWithoutAHash) {
  Stack stack(WithoutPusher());  // CHAT_LOGIN_RATE_LIMIT: the default, 10
  WaitForRoomInWindow(900, 60);
  std::string ana = UniqueEmail("ana");
  std::string bia = UniqueEmail("bia");
  ASSERT_EQ(WebUser(stack.port()).Register("Ana", ana).status, 303);
  ASSERT_EQ(WebUser(stack.port()).Register("Bia", bia).status, 303);

  for (int i = 0; i < 10; ++i) ASSERT_EQ(PostLogin(stack.port(), ana, "errada" + std::to_string(i)).status, 401);
  auto start = std::chrono::steady_clock::now();
  ExpectRefusedForEmail(PostLogin(stack.port(), ana, "errada-11"));
  // Refused before the hash: no argon2id's tens of milliseconds.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  // Limited means limited: the right password is not even checked, and the
  // e-mail's case does not make another counter.
  ExpectRefusedForEmail(PostLogin(stack.port(), ana, "segredo123"));
  ExpectRefusedForEmail(WebUser(stack.port()).Login("A" + ana.substr(1)));
  // The login form is still shown, with the address kept.
  auto page = PostLogin(stack.port(), ana, "segredo123");
  EXPECT_NE(page.body.find("name=\"senha\""), std::string::npos);
  EXPECT_FALSE(page.Header("content-security-policy").empty());

  // Someone else's e-mail is not affected.
  WebUser other(stack.port());
  EXPECT_EQ(other.Login(bia).status, 303);

  // Redis counts the e-mail by its hash: no address in any key.
  auto keys = stack.redis().Client()->Command({"KEYS", "papo:limite:login-email:*"});
  ASSERT_TRUE(keys.ok());
  ASSERT_GE((*keys)->elements, 1u);
  for (size_t i = 0; i < (*keys)->elements; ++i) {
    std::string key = (*keys)->element[i]->str;
    EXPECT_EQ(key.find('@'), std::string::npos) << key;
    EXPECT_EQ(key.find("exemplo"), std::string::npos) << key;
  }
}

TEST(AuthLimitsTest, AnUnknownEmailIsRefusedTheSameWay) {
  Stack stack(WithoutPusher());
  WaitForRoomInWindow(900, 60);
  std::string ninguem = UniqueEmail("ninguem");
  for (int i = 0; i < 10; ++i) ASSERT_EQ(PostLogin(stack.port(), ninguem, "qualquer").status, 401);
  ExpectRefusedForEmail(PostLogin(stack.port(), ninguem, "qualquer"));
}

TEST(AuthLimitsTest, AttemptsPerAddressAreRefusedByPapoAppThenByNginx) {
  // nginx: 3 per minute with a burst of 6; papo-app: 3 per minute.
  Stack stack(WithoutPusher({{"CHAT_IP_RATE_LIMIT", "3"}}));
  WaitForRoomInWindow(60, 20);
  int port = stack.port();
  EXPECT_EQ(PostLogin(port, UniqueEmail("a"), "x").status, 401);
  EXPECT_EQ(PostLogin(port, UniqueEmail("b"), "x").status, 401);
  EXPECT_EQ(PostCadastro(port, UniqueEmail("c")).status, 303);
  // The fourth attempt, login or cadastro: papo-app's page, its headers.
  for (const auto& refused : {PostLogin(port, UniqueEmail("d"), "x"), PostCadastro(port, UniqueEmail("e"))}) {
    EXPECT_EQ(refused.status, 429) << refused.body;
    EXPECT_NE(refused.body.find(kAddressLimited), std::string::npos) << refused.body;
    EXPECT_GE(RetryAfter(refused), 1);
    EXPECT_LE(RetryAfter(refused), 60);
    EXPECT_FALSE(refused.Header("content-security-policy").empty());
  }
  // Showing the forms is no attempt.
  EXPECT_EQ(HttpCall(port, "GET", "/login").status, 200);
  EXPECT_EQ(HttpCall(port, "GET", "/cadastro").status, 200);

  // Past nginx's burst, nginx answers itself, in pt-BR.
  HttpResponse from_nginx;
  for (int i = 0; i < 10 && from_nginx.body.find(kNginxLimited) == std::string::npos; ++i) {
    from_nginx = PostLogin(port, UniqueEmail("f"), "x");
    ASSERT_EQ(from_nginx.status, 429) << from_nginx.body;
  }
  EXPECT_NE(from_nginx.body.find(kNginxLimited), std::string::npos) << from_nginx.body;
  EXPECT_EQ(from_nginx.Header("retry-after"), "60");
  EXPECT_NE(from_nginx.Header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(ReadFile(stack.dir() + "/logs/nginx-error.log").find("limiting requests"), std::string::npos);
}

TEST(AuthLimitsTest, LimitsHoldWhileRedisIsDown) {
  Stack stack(WithoutPusher({{"CHAT_LOGIN_RATE_LIMIT", "3"}, {"CHAT_IP_RATE_LIMIT", "5"}}));
  WaitForRoomInWindow(60, 15);
  std::string ana = UniqueEmail("ana");
  ASSERT_EQ(WebUser(stack.port()).Register("Ana", ana).status, 303);  // counted in Redis
  stack.redis().Stop();
  // From here the process counts: attempts 1 to 3, 4 (refused for the
  // e-mail, before any hash), 5, and 6 is over the address's limit.
  for (int i = 0; i < 3; ++i) ASSERT_EQ(PostLogin(stack.port(), ana, "errada").status, 401);
  ExpectRefusedForEmail(PostLogin(stack.port(), ana, "segredo123"));
  EXPECT_EQ(PostLogin(stack.port(), UniqueEmail("bia"), "x").status, 401);
  auto refused = PostLogin(stack.port(), UniqueEmail("caio"), "x");
  EXPECT_EQ(refused.status, 429);
  EXPECT_NE(refused.body.find(kAddressLimited), std::string::npos) << refused.body;
  std::string log = ReadFile(stack.dir() + "/app-0.log");
  EXPECT_NE(log.find("rate_limit_fallback"), std::string::npos) << log;
}

// PAPO_MAX_PASSWORD_HASHES=1 and 48 logins at once on 48 worker threads:
// one hashes, one waits for it, the rest are answered 503 at once; the
// process holds one hash's memory, not 48, and its other threads keep
// serving pages (the finding: GET /login took ~1 s under such a flood).
TEST(AuthLimitsTest, HashesBeyondTheCapWaitThenGet503) {
  StackOptions options = WithoutPusher({{"PAPO_MAX_PASSWORD_HASHES", "1"}, {"CHAT_LOGIN_RATE_LIMIT", "0"}});
  options.app_threads = 48;
  Stack stack(options);
  pid_t app = stack.app(0).pid();
  int64_t before_kib = PeakRssKib(app);
  ASSERT_GT(before_kib, 0);

  std::mutex mutex;
  std::map<int, int> statuses;
  std::atomic<int> running{48};
  std::vector<std::thread> clients;
  for (int c = 0; c < 48; ++c) {
    clients.emplace_back([&, c] {
      for (int round = 0; round < 3; ++round) {
        auto response = PostLogin(stack.port(), UniqueEmail("h" + std::to_string(c)), "errada");
        std::lock_guard lock(mutex);
        ++statuses[response.status];
        if (response.status == 503) {
          EXPECT_EQ(response.Header("retry-after"), "2");
          EXPECT_NE(response.body.find("Muitas entradas ao mesmo tempo"), std::string::npos) << response.body;
        }
      }
      --running;
    });
  }
  // A page while the flood lasts.
  std::chrono::steady_clock::duration slowest{};
  int pages = 0;
  while (running.load() > 0) {
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(HttpCall(stack.port(), "GET", "/login").status, 200);
    slowest = std::max(slowest, std::chrono::steady_clock::now() - start);
    ++pages;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& client : clients) client.join();

  EXPECT_GT(statuses[503], 0);
  EXPECT_GT(statuses[401], 0);
  for (const auto& [status, count] : statuses) {
    EXPECT_TRUE(status == 401 || status == 429 || status == 503) << status << " x" << count;
  }
  // One argon2id hash is 64 MiB; 48 at once would be 3 GiB.
  int64_t grown_mib = (PeakRssKib(app) - before_kib) / 1024;
  EXPECT_LT(grown_mib, 3 * 64) << "peak grew by " << grown_mib << " MiB";
  EXPECT_GT(pages, 0);
  EXPECT_LT(slowest, std::chrono::milliseconds(500));
  RecordProperty("slowest_page_ms",
                 static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count()));
  RecordProperty("refused_503", statuses[503]);
  RecordProperty("peak_growth_mib", static_cast<int>(grown_mib));
}

}  // namespace
}  // namespace papo::testing
