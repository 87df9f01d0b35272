#include "tests/integration/redis_password_stack.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <memory>
#include <thread>

#include "tests/support/redis_node.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kGeral = 1;  // "Sala Geral", seeded at first start

int64_t SeqOf(const HttpResponse& sent) {
  rapidjson::Document json;
  json.Parse(sent.body.c_str());
  return json.IsObject() && json.HasMember("seq") ? json["seq"].GetInt64() : -1;
}

std::string Text(const redisReply* reply) { return std::string(reply->str, reply->len); }

}  // namespace

void ExpectTheStackWorksOn(const std::string& redis_url, const std::function<void()>& fail_over) {
  StackOptions options;
  options.redis_url = redis_url;
  options.env.emplace("CHAT_RATE_LIMIT", "0");
  Stack stack(options);

  WebUser leitora(stack.port());
  ASSERT_EQ(leitora.Register("Leitora", UniqueEmail("leitora")).status, 303) << stack.Logs();
  WebUser autor(stack.port());
  ASSERT_EQ(autor.Register("Autor", UniqueEmail("autor")).status, 303) << stack.Logs();

  auto list = leitora.Stream("lista=1");
  ASSERT_EQ(list->status(), 200) << stack.Logs();
  auto room = leitora.Stream("sala_id=1&desde=0");
  ASSERT_EQ(room->status(), 200) << stack.Logs();

  // Presence: the room's ZSET written and its change published.
  bool counted = false;
  for (auto event = room->NextOf("presenca", 10000ms); event; event = room->NextOf("presenca", 10000ms)) {
    if (event->data.find("\"usuarios_online\":1,") != std::string::npos) {
      counted = true;
      break;
    }
  }
  ASSERT_TRUE(counted) << "no presenca counting the reader\n" << stack.Logs();

  auto sent = autor.Send(kGeral, "Olá com senha");
  ASSERT_EQ(sent.status, 200) << sent.body << stack.Logs();
  const int64_t seq = SeqOf(sent);
  ASSERT_GT(seq, 0) << sent.body;

  auto message = room->NextOf("", 10000ms);
  ASSERT_TRUE(message.has_value()) << stack.Logs();
  EXPECT_EQ(message->id, std::to_string(seq));
  EXPECT_NE(message->data.find("Olá com senha"), std::string::npos) << message->data;

  // The list stream: `atividade` of the room with the message's seq (one
  // from the reader's arrival may come first).
  const std::string wanted = "{\"sala_id\":1,\"seq\":" + std::to_string(seq) + ",";
  std::string seen;
  for (auto event = list->NextOf("atividade", 10000ms); event; event = list->NextOf("atividade", 10000ms)) {
    seen += event->data + "\n";
    if (event->data.starts_with(wanted)) break;
  }
  EXPECT_NE(seen.find(wanted), std::string::npos) << "atividade seen:\n" << seen << stack.Logs();
  EXPECT_NE(seen.find("\"usuarios_online\":1}"), std::string::npos) << seen;

  if (fail_over) {
    fail_over();
    // papo-app may answer 503 until it has found the new node.
    HttpResponse again;
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    do {
      again = autor.Send(kGeral, "Olá depois da troca");
      if (again.status == 200) break;
      std::this_thread::sleep_for(200ms);
    } while (std::chrono::steady_clock::now() < deadline);
    ASSERT_EQ(again.status, 200) << again.body << stack.Logs();
    const std::string again_seq = std::to_string(SeqOf(again));
    bool arrived = false;
    for (auto event = room->Next(20000ms); event; event = room->Next(20000ms)) {
      ASSERT_NE(event->event, "ressincronizar") << "the stream lost its place across the failover\n" << stack.Logs();
      if (event->event.empty() && event->id == again_seq) {
        arrived = true;
        break;
      }
    }
    ASSERT_TRUE(arrived) << "message " << again_seq << " did not reach the room stream after the failover\n"
                         << stack.Logs();
  }

  // No connection of papo's was refused along the way (a background path,
  // such as a retrying subscriber, could fail without the user seeing it).
  const std::string logs = stack.Logs();
  EXPECT_EQ(logs.find("NOAUTH"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("WRONGPASS"), std::string::npos) << logs;
}

void ExpectNodesRequire(const std::vector<int>& ports, const std::string& password) {
  ASSERT_FALSE(ports.empty());
  for (int port : ports) {
    auto without = NodeReply(port, {"PING"}, 2000ms);
    ASSERT_TRUE(without) << "node " << port << " did not answer";
    ASSERT_EQ(without->type, REDIS_REPLY_ERROR) << "node " << port << " answered PING without the password";
    EXPECT_TRUE(Text(without.get()).starts_with("NOAUTH")) << Text(without.get());

    auto wrong = NodeReply(port, {"PING"}, 2000ms, password + "-errada");
    ASSERT_TRUE(wrong) << "node " << port << " did not answer";
    ASSERT_EQ(wrong->type, REDIS_REPLY_ERROR) << "node " << port << " took a wrong password";
    EXPECT_TRUE(Text(wrong.get()).starts_with("WRONGPASS")) << Text(wrong.get());

    auto with = NodeReply(port, {"PING"}, 2000ms, password);
    ASSERT_TRUE(with) << "node " << port << " did not answer";
    ASSERT_EQ(with->type, REDIS_REPLY_STATUS) << Text(with.get());
    EXPECT_EQ(Text(with.get()), "PONG");
  }
}

}  // namespace papo::testing
