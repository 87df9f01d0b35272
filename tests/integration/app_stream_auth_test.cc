// nginx's auth_request for /chat/stream (DESIGN §4): papo-app decides, nginx
// forwards the user headers to the pusher. The "pusher" here is a unix
// socket the test listens on, so the test sees exactly what nginx sends.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "common/form.h"
#include "common/bus/names.h"
#include "tests/support/net.h"
#include "tests/support/redis_subscriber.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

// Listens where nginx expects a pusher and records one request head.
class CapturingUpstream final {
 public:
  explicit CapturingUpstream(const std::string& path) : fd_(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    ::bind(fd_.get(), reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(fd_.get(), 16);
  }
  // Accepts one connection, reads its head, answers an empty SSE stream.
  std::string AcceptOne() {
    UniqueFd client(::accept(fd_.get(), nullptr, nullptr));
    std::string head;
    char buffer[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = ::recv(client.get(), buffer, sizeof buffer, 0);
      if (n <= 0) break;
      head.append(buffer, static_cast<size_t>(n));
    }
    WriteAll(client.get(), "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 0\r\n\r\n");
    return head;
  }

 private:
  UniqueFd fd_;
};

class StreamAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One test makes hundreds of rooms as one user: not the limits' test.
    stack_ = std::make_unique<Stack>(WithoutPusher({{"CHAT_ROOMS_PER_HOUR", "0"}, {"CHAT_INVITES_PER_HOUR", "0"}}));
    upstream_path_ = stack_->dir() + "/captura.sock";
    upstream_ = std::make_unique<CapturingUpstream>(upstream_path_);
    NginxOptions options;
    options.run_dir = stack_->dir() + "/nginx2";
    options.app_sockets = {stack_->AppSocket(0)};
    options.pusher_sockets = {upstream_path_};
    nginx_ = std::make_unique<NginxServer>(options);
  }
  int port() const { return nginx_->port(); }
  std::unique_ptr<Stack> stack_;
  std::string upstream_path_;
  std::unique_ptr<CapturingUpstream> upstream_;
  std::unique_ptr<NginxServer> nginx_;
};

TEST_F(StreamAuthTest, WithoutSessionIs401) {
  EXPECT_EQ(HttpCall(port(), "GET", "/chat/stream?sala_id=1").status, 401);
}

TEST_F(StreamAuthTest, UnknownRoomIs404AndBadQueryIs400) {
  WebUser ana(port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  EXPECT_EQ(ana.Get("/chat/stream?sala_id=999999").status, 404);
  EXPECT_EQ(ana.Get("/chat/stream?sala_id=abc").status, 400);
  EXPECT_EQ(ana.Get("/chat/stream").status, 400);
}

TEST_F(StreamAuthTest, PrivateRoomOfOthersIs403) {
  WebUser ana(port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  WebUser bruno(port());
  ASSERT_EQ(bruno.Register("Bruno", UniqueEmail("bruno")).status, 303);
  auto created = ana.Post("/chat/salas", {{"nome", "Privê " + UniqueEmail("p")}, {"privada", "1"}});
  std::string location = created.Header("location");
  std::string sala = location.substr(location.rfind('/') + 1);
  EXPECT_EQ(bruno.Get("/chat/stream?sala_id=" + sala).status, 403);
}

TEST_F(StreamAuthTest, AllowedStreamReachesThePusherWithTheUserHeaders) {
  WebUser ana(port());
  ASSERT_EQ(ana.Register("Ana Lúcia", UniqueEmail("ana")).status, 303);
  std::string head;
  std::thread accept([&] { head = upstream_->AcceptOne(); });
  auto response = ana.Get("/chat/stream?sala_id=2&desde=5",
                          {{"Last-Event-ID", "7"}, {"X-Papo-User-Id", "999"}});  // a forged header is replaced
  accept.join();
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(head.find("GET /chat/stream?sala_id=2&desde=5 HTTP/1.1"), std::string::npos) << head;
  EXPECT_NE(head.find("X-Papo-User-Id: " + std::to_string(ana.id()) + "\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("X-Papo-User-Id: 999"), std::string::npos) << head;
  EXPECT_NE(head.find("X-Papo-User-Name: " + PercentEncode("Ana Lúcia") + "\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("X-Papo-Session-Expires: "), std::string::npos) << head;
  EXPECT_NE(head.find("X-Papo-Sala-Privada: 0"), std::string::npos) << head;
  EXPECT_NE(head.find("Last-Event-ID: 7"), std::string::npos) << head;
  EXPECT_EQ(head.find("papo_session"), std::string::npos) << "the cookie must not reach the pusher";
}

// The value of header `name` in a captured request head ("" if absent).
std::string HeaderValue(const std::string& head, const std::string& name) {
  auto at = head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return head.substr(at, head.find("\r\n", at) - at);
}

// The ids of the user's private rooms as papo-app stored them for the
// pusher (without the written-marker "0"); nullopt when nothing is stored.
std::optional<std::set<std::string>> StoredPrivateRooms(Stack& stack, int64_t usuario_id) {
  auto reply = stack.redis().Client()->Command({"SMEMBERS", PrivateRoomsKey(usuario_id)});
  if (!reply.ok()) return std::nullopt;
  std::set<std::string> ids;
  bool written = false;
  for (size_t i = 0; i < (*reply)->elements; ++i) {
    std::string id((*reply)->element[i]->str, (*reply)->element[i]->len);
    if (id == kPrivateRoomsWritten) {
      written = true;
    } else {
      ids.insert(id);
    }
  }
  if (!written) return std::nullopt;
  return ids;
}

// The private rooms go to Redis, never in a header (issue 14 item 3): a
// client's own X-Papo-Salas-Privadas does not reach the pusher either.
TEST_F(StreamAuthTest, ListStreamStoresThePrivateRoomsInRedisAndForwardsNoRoomHeader) {
  WebUser ana(port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  auto created = ana.Post("/chat/salas", {{"nome", "Minha " + UniqueEmail("m")}, {"privada", "1"}});
  std::string location = created.Header("location");
  std::string sala = location.substr(location.rfind('/') + 1);
  std::string head;
  std::thread accept([&] { head = upstream_->AcceptOne(); });
  auto response = ana.Get("/chat/stream?lista=1", {{"X-Papo-Salas-Privadas", "1,2,3"}});
  accept.join();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(head.find("Salas-Privadas"), std::string::npos) << head;
  EXPECT_EQ(StoredPrivateRooms(*stack_, ana.id()), (std::set<std::string>{sala}));
}

// A user in hundreds of private rooms, with a name of 80 emoji (~1 KB
// percent-encoded): the stream opens and every room is stored (a header
// used to carry about 150 of them).
TEST_F(StreamAuthTest, ListStreamOfAUserInManyPrivateRoomsStoresThemAll) {
  std::string ana_email = UniqueEmail("ana");
  std::string emoji_name;
  for (int i = 0; i < 80; ++i) emoji_name += "\xF0\x9F\x98\x80";  // U+1F600
  WebUser ana(port());
  ASSERT_EQ(ana.Register(emoji_name, ana_email).status, 303);
  WebUser bruno(port());
  ASSERT_EQ(bruno.Register("Bruno", UniqueEmail("bruno")).status, 303);
  std::set<std::string> rooms;
  for (int i = 0; i < 320; ++i) {
    auto created = bruno.Post("/chat/salas", {{"nome", "Sala " + std::to_string(i) + " " + UniqueEmail("s")},
                                              {"privada", "1"}, {"membros", ana_email}});
    ASSERT_EQ(created.status, 303) << created.body;
    std::string location = created.Header("location");
    rooms.insert(location.substr(location.rfind('/') + 1));
  }
  std::string head;
  std::thread accept([&] { head = upstream_->AcceptOne(); });
  auto response = ana.Get("/chat/stream?lista=1");
  accept.join();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(StoredPrivateRooms(*stack_, ana.id()), rooms);
}

// Redis down: the pusher could not learn the rooms, so the stream is
// refused with a retry hint instead of opening without them.
TEST_F(StreamAuthTest, ListStreamWithRedisDownIs503WithRetryAfter) {
  WebUser ana(port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  stack_->redis().Stop();
  auto response = ana.Get("/chat/stream?lista=1");
  EXPECT_EQ(response.status, 503) << response.body;
  EXPECT_EQ(response.Header("retry-after"), "2");
  EXPECT_NE(response.body.find("Tente de novo"), std::string::npos) << response.body;
}

TEST_F(StreamAuthTest, SessionIdReachesThePusherAndLogoutPublishesIt) {
  std::string email = UniqueEmail("ana");
  WebUser laptop(port());
  ASSERT_EQ(laptop.Register("Ana", email).status, 303);
  WebUser phone(port());
  ASSERT_EQ(phone.Login(email).status, 303);
  auto stream_head = [&](const WebUser& user) {
    std::string head;
    std::thread accept([&] { head = upstream_->AcceptOne(); });
    EXPECT_EQ(user.Get("/chat/stream?sala_id=1").status, 200);
    accept.join();
    return head;
  };
  std::string laptop_id = HeaderValue(stream_head(laptop), "X-Papo-Session-Id");
  ASSERT_EQ(laptop_id.size(), 16u);
  EXPECT_EQ(laptop_id.find_first_not_of("0123456789abcdef"), std::string::npos) << laptop_id;
  EXPECT_EQ(laptop.cookie().find(laptop_id), std::string::npos) << "never the token itself";
  EXPECT_EQ(HeaderValue(stream_head(laptop), "X-Papo-Session-Id"), laptop_id) << "stable for the session";
  EXPECT_NE(HeaderValue(stream_head(phone), "X-Papo-Session-Id"), laptop_id) << "each login its own";

  RedisSubscriber sessions(stack_->redis(), SessionsChannel());
  ASSERT_EQ(laptop.Post("/logout", {}).status, 303);
  EXPECT_EQ(sessions.Next().value_or("(nothing)"), laptop_id);
}

}  // namespace
}  // namespace papo::testing
