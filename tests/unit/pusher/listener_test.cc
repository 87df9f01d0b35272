#include "sse-pusher/listener.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace papo::pusher {
namespace {

TEST(ListenAddressTest, SlashMeansUnixSocket) {
  auto address = ParseListenAddress("/run/papo/pusher-0.sock");
  ASSERT_TRUE(address.ok());
  EXPECT_TRUE(address->is_unix);
  EXPECT_EQ(address->path, "/run/papo/pusher-0.sock");
}

TEST(ListenAddressTest, LoopbackHostsAreAccepted) {
  for (const char* text : {"127.0.0.1:9100", "127.1.2.3:0", "localhost:80", "[::1]:9100"}) {
    auto address = ParseListenAddress(text);
    EXPECT_TRUE(address.ok()) << text;
  }
}

TEST(ListenAddressTest, OtherHostsAreRefused) {
  for (const char* text : {"0.0.0.0:9100", "10.0.0.1:9100", "example.com:80", "[::]:9100"}) {
    auto address = ParseListenAddress(text);
    ASSERT_FALSE(address.ok()) << text;
    EXPECT_NE(address.status().message().find("loopback"), std::string::npos);
  }
}

TEST(ListenAddressTest, MalformedAddressesAreRefused) {
  for (const char* text : {"pusher.sock", "127.0.0.1", "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:70000"}) {
    EXPECT_FALSE(ParseListenAddress(text).ok()) << text;
  }
}

class ListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/papo-listener-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<EventLoop> loop_ = std::move(EventLoop::Create()).value();
  std::string dir_;
  std::vector<int> accepted_;
};

TEST_F(ListenerTest, UnixSocketAcceptsAndIsRemovedOnClose) {
  std::string path = dir_ + "/p.sock";
  auto listener = Listener::Open(*loop_, path, 0660, [&](UniqueFd socket) { accepted_.push_back(socket.get()); });
  ASSERT_TRUE(listener.ok()) << listener.status().ToString();
  struct stat info;
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0660u);
  int client = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, path.c_str());
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  loop_->RunOnce(1000);
  EXPECT_EQ(accepted_.size(), 1u);
  close(client);
  listener->reset();
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST_F(ListenerTest, SocketInUseByAnotherListenerIsNotStolen) {
  std::string path = dir_ + "/p.sock";
  auto first = Listener::Open(*loop_, path, 0660, [](UniqueFd) {});
  ASSERT_TRUE(first.ok());
  auto second = Listener::Open(*loop_, path, 0660, [](UniqueFd) {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kUnavailable);
}

TEST_F(ListenerTest, StaleSocketFileIsReplaced) {
  std::string path = dir_ + "/p.sock";
  { auto dead = Listener::Open(*loop_, path, 0660, [](UniqueFd) {}); }
  // Simulate a crash: a socket file nobody listens on.
  int stale = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, path.c_str());
  ASSERT_EQ(bind(stale, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  close(stale);
  auto listener = Listener::Open(*loop_, path, 0660, [](UniqueFd) {});
  EXPECT_TRUE(listener.ok()) << listener.status().ToString();
}

TEST_F(ListenerTest, TcpPortZeroReportsTheBoundPort) {
  auto listener = Listener::Open(*loop_, "127.0.0.1:0", 0660, [&](UniqueFd socket) { accepted_.push_back(socket.get()); });
  ASSERT_TRUE(listener.ok());
  int port = (*listener)->port();
  EXPECT_GT(port, 0);
  EXPECT_EQ((*listener)->bound_address(), "127.0.0.1:" + std::to_string(port));
  // SO_REUSEPORT: a second process-like listener may share the port.
  auto sibling = Listener::Open(*loop_, "127.0.0.1:" + std::to_string(port), 0660, [](UniqueFd) {});
  EXPECT_TRUE(sibling.ok()) << sibling.status().ToString();
}

}  // namespace
}  // namespace papo::pusher
