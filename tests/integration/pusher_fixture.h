// What the pusher's integration suites share: a real redis-server and real
// papo-pusher processes (each on its own unix socket under the test's
// TempDir, stopped by PID), streams opened straight on a pusher's socket
// with the headers nginx would add after its auth_request, and a publisher
// that goes through the same Lua script as papo-app (common/).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <string>
#include <string_view>
#include <vector>

#include "common/chat_message.h"
#include "common/form.h"
#include "common/redis_client.h"
#include "common/bus/names.h"
#include "common/redis_publisher.h"
#include "common/bus/event.h"
#include "tests/support/http_client.h"
#include "tests/support/net.h"
#include "tests/support/web_user.h"
#include "tests/support/paths.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"
#include "tests/support/sse_client.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {

using namespace std::chrono_literals;

// One papo-pusher process.
class PusherProcess final {
 public:
  PusherProcess(const TempDir& dir, std::string name, const RedisServer& redis,
                std::map<std::string, std::string> env = {})
      : socket_(dir.File(name + ".sock")), log_(dir.File(name + ".log")), name_(std::move(name)) {
    env_ = {{"PAPO_REDIS_URL", redis.url()},
            {"PAPO_PUSHER_LISTEN", socket_},
            {"PAPO_PUSHER_ID", name_},
            {"PAPO_LOG_LEVEL", "info"},
            {"PAPO_PUSHER_DRAIN_MS", "200"}};
    for (auto& [key, value] : env) env_[key] = value;
    Start();
  }

  void Start() {
    process_ = Process({PusherBinary()}, env_, log_);
    if (!WaitForUnixSocket(socket_)) ADD_FAILURE() << "papo-pusher did not start:\n" << Log();
  }
  void Stop() { process_.Stop(); }
  void Kill() { process_.Kill(); }
  Process& process() { return process_; }
  const std::string& socket() const { return socket_; }
  std::string Log() const { return ReadFile(log_); }

  // Opens /chat/stream?<query> as nginx would, with `headers`.
  std::unique_ptr<SseClient> Stream(const std::string& query, const HeaderList& headers,
                                    int receive_buffer = 0) const {
    return SseClient::Open(ConnectUnix(socket_), "/chat/stream?" + query, headers, 10000ms, receive_buffer);
  }
  HttpResponse Get(const std::string& target, const HeaderList& headers = {}) const {
    return HttpCallUnix(socket_, "GET", target, headers);
  }

 private:
  std::string socket_;
  std::string log_;
  std::string name_;
  std::map<std::string, std::string> env_;
  Process process_;
};

// The headers nginx adds for user `id` (name percent-encoded, as papo-app does).
inline HeaderList UserHeaders(int64_t id, const std::string& nome = "", HeaderList extra = {}) {
  HeaderList headers = {{"X-Papo-User-Id", std::to_string(id)},
                        {"X-Papo-User-Name", PercentEncode(nome.empty() ? "Usuário " + std::to_string(id) : nome)},
                        {"X-Papo-Session-Expires", std::to_string(std::time(nullptr) + 3600)}};
  for (auto& header : extra) headers.push_back(std::move(header));
  return headers;
}

// The message JSON papo-app would publish for `seq`.
inline std::string MessageJson(int64_t sala_id, int64_t seq) {
  ChatMessage message;
  message.id = seq * 10;
  message.sala_id = sala_id;
  message.seq = seq;
  message.usuario_id = 1;
  message.mensagem = "mensagem " + std::to_string(seq);
  message.data_envio_ms = 1'700'000'000'000 + seq;
  message.usuario_nome = "Ana";
  return ChatMessageToJson(message);
}

// Publishes like papo-app: cache + PUBLISH in one Lua script.
class TestPublisher final {
 public:
  explicit TestPublisher(const RedisServer& redis, int cache_size = 500)
      : client_(redis.Client()), publisher_(*client_, cache_size) {}

  Status Message(int64_t sala_id, int64_t seq, bool privada = false) {
    RoomEvent event;
    event.kind = EventKind::kMessage;
    event.sala_id = sala_id;
    event.seq = seq;
    event.privada = privada;
    event.json = MessageJson(sala_id, seq);
    event.data_envio = "2026-11-22T10:00:00.000-03:00";
    return publisher_.Publish(event);
  }
  Status Event(EventKind kind, int64_t sala_id, const std::string& json, bool privada = false,
               std::vector<int64_t> recipients = {}) {
    RoomEvent event;
    event.kind = kind;
    event.sala_id = sala_id;
    event.privada = privada;
    event.json = json;
    event.recipients = std::move(recipients);
    return publisher_.Publish(event);
  }
  RedisClient& client() { return *client_; }

 private:
  std::unique_ptr<RedisClient> client_;
  RedisPublisher publisher_;
};

// Reads message events until `count` arrived (or `timeout`); returns their ids.
inline std::vector<int64_t> ReadSeqs(SseClient& stream, size_t count, std::chrono::milliseconds timeout = 10000ms) {
  std::vector<int64_t> seqs;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (seqs.size() < count) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto event = stream.NextOf("", left);
    if (!event) break;
    seqs.push_back(std::stoll(event->id));
  }
  return seqs;
}

inline std::vector<int64_t> Range(int64_t first, int64_t last) {
  std::vector<int64_t> seqs;
  for (int64_t seq = first; seq <= last; ++seq) seqs.push_back(seq);
  return seqs;
}

// Polls `condition` until it holds or `timeout` passes.
template <typename Condition>
bool Eventually(Condition condition, std::chrono::milliseconds timeout = 10000ms) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

// A new account on the stack at `port`, logged in (its session cookie
// kept); its e-mail goes to `email` when given.
inline std::unique_ptr<WebUser> RegisteredUser(int port, const std::string& nome, std::string* email = nullptr) {
  auto user = std::make_unique<WebUser>(port);
  std::string address = UniqueEmail("u");
  EXPECT_EQ(user->Register(nome, address).status, 303);
  if (email) *email = address;
  return user;
}

// How many connections subscribe `channel` now: PUBSUB NUMSUB, or on a
// Redis Cluster (PAPO_TEST_REDIS=cluster) PUBSUB SHARDNUMSUB for a sharded
// channel (the pusher SSUBSCRIBEs those; the client sends it to the slot's
// primary). -1 when Redis does not answer.
inline int64_t SubscriberCount(RedisClient& client, const std::string& channel) {
  const char* form = std::getenv("PAPO_TEST_REDIS");
  bool sharded = form != nullptr && std::string_view(form) == "cluster" && IsShardedChannel(channel);
  auto reply = client.Command({"PUBSUB", sharded ? "SHARDNUMSUB" : "NUMSUB", channel});
  if (!reply.ok() || (*reply)->type != REDIS_REPLY_ARRAY || (*reply)->elements != 2) return -1;
  return (*reply)->element[1]->integer;
}

// Waits until the pusher's channel for room `sala_id` is subscribed (so a
// PUBLISH from now on reaches it).
inline bool WaitSubscribed(RedisClient& client, const std::string& channel, int64_t subscribers = 1) {
  return Eventually([&] { return SubscriberCount(client, channel) >= subscribers; });
}

}  // namespace papo::testing
