// The whole chain (DESIGN §1, §4) with real servers: nginx authenticates
// /chat/stream through papo-app and proxies it to papo-pusher; papo-app
// commits, caches and publishes; the pusher fans out. Messages are posted
// and streams opened exactly as a browser does (tests/support WebUser).
#include <rapidjson/document.h>

#include <atomic>
#include <thread>

#include "tests/integration/pusher_fixture.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

constexpr int64_t kGeral = 1;  // "Sala Geral", seeded at first start

int64_t SeqOf(const HttpResponse& sent) {
  rapidjson::Document json;
  json.Parse(sent.body.c_str());
  return json.IsObject() && json.HasMember("seq") ? json["seq"].GetInt64() : -1;
}

// What the room page's script does with the stream: shows messages by
// seq, and on `ressincronizar` reloads everything after its last seq over
// /chat/mensagens. Returns the seqs shown after `shown_up_to`, checking the
// stream itself never repeats or reorders one.
std::vector<int64_t> ReadLikeTheRoomPage(const WebUser& user, SseClient& stream, int64_t sala_id, int64_t shown_up_to,
                                        int64_t until_seq, std::chrono::milliseconds timeout = 20000ms) {
  std::set<int64_t> shown;
  int64_t last_streamed = shown_up_to;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (shown.empty() || *shown.rbegin() < until_seq) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto event = stream.Next(left);
    if (!event) break;
    if (event->event.empty()) {
      int64_t seq = std::stoll(event->id);
      EXPECT_GT(seq, last_streamed) << "the stream repeated or reordered a message";
      last_streamed = seq;
      shown.insert(seq);
    } else if (event->event == "ressincronizar") {
      int64_t after = shown.empty() ? shown_up_to : *shown.rbegin();
      HttpResponse page = user.Get("/chat/mensagens?sala_id=" + std::to_string(sala_id) +
                                   "&apos_seq=" + std::to_string(after) + "&limit=200");
      rapidjson::Document json;
      json.Parse(page.body.c_str());
      if (!json.IsObject() || !json.HasMember("mensagens")) continue;
      for (const auto& message : json["mensagens"].GetArray()) shown.insert(message["seq"].GetInt64());
    }
  }
  return {shown.begin(), shown.end()};
}

class PusherStackTest : public ::testing::Test {
 protected:
  void Start(StackOptions options = {}) {
    options.env.emplace("CHAT_RATE_LIMIT", "0");
    stack_ = std::make_unique<Stack>(options);
  }
  std::unique_ptr<WebUser> NewUser(const std::string& nome) { return RegisteredUser(stack_->port(), nome); }
  std::unique_ptr<Stack> stack_;
};

// DESIGN §3: the author's e-mail reaches no other user, whichever way the
// message comes (SSE frame, history JSON, room page).
TEST_F(PusherStackTest, AMessageSeenByAnotherUserCarriesNoEmailOfItsAuthor) {
  Start();
  WebUser ana(stack_->port());
  std::string ana_email = UniqueEmail("ana");
  ASSERT_EQ(ana.Register("Ana", ana_email).status, 303);
  auto bia = NewUser("Bia");
  auto stream = bia->Stream("sala_id=1&desde=0");
  ASSERT_EQ(stream->status(), 200) << stack_->Logs();
  ASSERT_EQ(ana.Send(kGeral, "Olá sem endereço").status, 200);
  auto event = stream->NextOf("", 10000ms);
  ASSERT_TRUE(event.has_value());
  EXPECT_NE(event->data.find("Olá sem endereço"), std::string::npos) << event->data;
  EXPECT_EQ(event->data.find('@'), std::string::npos) << event->data;
  auto history = bia->Get("/chat/mensagens?sala_id=1&limit=200");
  ASSERT_EQ(history.status, 200);
  EXPECT_NE(history.body.find("Olá sem endereço"), std::string::npos);
  EXPECT_EQ(history.body.find('@'), std::string::npos) << history.body;
  auto page = bia->Get("/chat/sala/1");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Olá sem endereço"), std::string::npos);
  EXPECT_EQ(page.body.find(ana_email), std::string::npos);
  EXPECT_EQ(page.body.find("usuario_email"), std::string::npos);
}

TEST_F(PusherStackTest, TwoSubscribersReceiveAPostedMessageExactlyOnce) {
  Start();
  auto ana = NewUser("Ana");
  auto bia = NewUser("Bia");
  auto ana_stream = ana->Stream("sala_id=1&desde=0");
  auto bia_stream = bia->Stream("sala_id=1&desde=0");
  ASSERT_EQ(ana_stream->status(), 200) << stack_->Logs();
  ASSERT_EQ(bia_stream->status(), 200);
  EXPECT_EQ(ana_stream->head().Header("content-type"), "text/event-stream");
  auto sent = ana->Send(kGeral, "Olá, Bia!");
  ASSERT_EQ(sent.status, 200) << sent.body;
  for (auto* stream : {ana_stream.get(), bia_stream.get()}) {
    auto event = stream->NextOf("");
    ASSERT_TRUE(event.has_value()) << stack_->Logs();
    EXPECT_EQ(event->id, std::to_string(SeqOf(sent)));
    rapidjson::Document json;
    json.Parse(event->data.c_str());
    ASSERT_TRUE(json.IsObject()) << event->data;
    EXPECT_STREQ(json["mensagem"].GetString(), "Olá, Bia!");
    EXPECT_STREQ(json["usuario_nome"].GetString(), "Ana");
    EXPECT_FALSE(stream->NextOf("", 300ms).has_value());
  }
}

TEST_F(PusherStackTest, TwoHundredMessagesFromFourPostersArriveInSeqOrderWithoutGaps) {
  Start({.app_processes = 2, .app_threads = 4, .env = {}});
  std::vector<std::unique_ptr<WebUser>> posters;
  for (int i = 0; i < 4; ++i) posters.push_back(NewUser("Autor " + std::to_string(i)));
  auto reader = NewUser("Leitora");
  auto first = reader->Stream("sala_id=1&desde=0");
  auto second = posters[0]->Stream("sala_id=1&desde=0");
  ASSERT_EQ(second->status(), 200);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (auto& poster : posters) {
    threads.emplace_back([&, user = poster.get()] {
      for (int i = 0; i < 50; ++i) {
        if (user->Send(kGeral, "m" + std::to_string(i)).status != 200) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(failures, 0);
  EXPECT_EQ(ReadSeqs(*first, 200, 30000ms), Range(1, 200));
  EXPECT_EQ(ReadSeqs(*second, 200, 30000ms), Range(1, 200));
}

TEST_F(PusherStackTest, ReconnectWithLastEventIdReceivesExactlyTheMissedMessages) {
  Start();
  auto ana = NewUser("Ana");
  auto stream = ana->Stream("sala_id=1&desde=0");
  for (int i = 1; i <= 3; ++i) ASSERT_EQ(ana->Send(kGeral, "antes " + std::to_string(i)).status, 200);
  ASSERT_EQ(ReadSeqs(*stream, 3), Range(1, 3));
  stream.reset();
  for (int i = 4; i <= 7; ++i) ASSERT_EQ(ana->Send(kGeral, "perdida " + std::to_string(i)).status, 200);
  auto resumed = ana->Stream("sala_id=1&desde=0", {{"Last-Event-ID", "3"}});
  ASSERT_EQ(resumed->status(), 200);
  EXPECT_EQ(ReadSeqs(*resumed, 4), Range(4, 7));
  EXPECT_FALSE(resumed->NextOf("", 300ms).has_value());
}

TEST_F(PusherStackTest, SubscriberThatStopsReadingIsDroppedWhileAnotherReceivesEverything) {
  Start({.env = {{"PAPO_PUSHER_MAX_BACKLOG_BYTES", "65536"}}});
  auto ana = NewUser("Ana");
  auto stuck = ana->Stream("sala_id=1&desde=0", {}, /*receive_buffer=*/4096);
  auto reader = ana->Stream("sala_id=1&desde=0");
  ASSERT_EQ(stuck->status(), 200);
  // The longest message allowed: 1000 code points of 4 bytes. 2000 of them
  // (8 MB) exceed every buffer on the way (nginx's TCP send buffer to the
  // stuck browser alone may grow to 4 MB) plus the pusher's bound.
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "\xF0\x9F\x98\x80";
  const int kCount = 2000;
  std::thread poster([&] {
    for (int i = 0; i < kCount; ++i) EXPECT_EQ(ana->Send(kGeral, text).status, 200);
  });
  EXPECT_EQ(ReadSeqs(*reader, kCount, 120000ms), Range(1, kCount));
  poster.join();
  // The pusher dropped the stuck stream; nginx ends the browser's side once
  // its own buffer drains or its send_timeout passes.
  std::string metrics = HttpCallUnix(stack_->PusherSocket(0), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("papo_pusher_slow_client_drops_total 1\n"), std::string::npos) << metrics;
}

TEST_F(PusherStackTest, RedisRestartedMidStreamLosesNothing) {
  Start();
  auto ana = NewUser("Ana");
  auto stream = ana->Stream("sala_id=1&desde=0");
  for (int i = 1; i <= 3; ++i) ASSERT_EQ(ana->Send(kGeral, "antes").status, 200);
  ASSERT_EQ(ReadSeqs(*stream, 3), Range(1, 3));
  stack_->redis().Stop();
  for (int i = 4; i <= 6; ++i) ASSERT_EQ(ana->Send(kGeral, "durante").status, 200);  // stored, published later
  stack_->redis().Start();
  for (int i = 7; i <= 9; ++i) ASSERT_EQ(ana->Send(kGeral, "depois").status, 200);
  EXPECT_EQ(ReadLikeTheRoomPage(*ana, *stream, kGeral, 3, 9), Range(4, 9)) << stack_->Logs();
}

TEST_F(PusherStackTest, PusherKilledAndRestartedClientsThatResumeLoseNothing) {
  Start();
  auto ana = NewUser("Ana");
  auto stream = ana->Stream("sala_id=1&desde=0");
  for (int i = 1; i <= 3; ++i) ASSERT_EQ(ana->Send(kGeral, "antes").status, 200);
  ASSERT_EQ(ReadSeqs(*stream, 3), Range(1, 3));
  stack_->KillPusher(0);
  EXPECT_TRUE(stream->WaitEnded(5000ms));
  for (int i = 4; i <= 6; ++i) ASSERT_EQ(ana->Send(kGeral, "sem pusher").status, 200);
  stack_->StartPusher(0);
  auto resumed = ana->Stream("sala_id=1&desde=0", {{"Last-Event-ID", "3"}});
  ASSERT_EQ(resumed->status(), 200) << stack_->Logs();
  ASSERT_EQ(ana->Send(kGeral, "de volta").status, 200);
  EXPECT_EQ(ReadSeqs(*resumed, 4), Range(4, 7));
}

TEST_F(PusherStackTest, RefusalsWithoutSessionForAPrivateRoomAndOverTheRoomLimit) {
  Start({.env = {{"CHAT_MAX_CONNECTIONS_PER_ROOM", "2"}}});
  EXPECT_EQ(HttpCall(stack_->port(), "GET", "/chat/stream?sala_id=1").status, 401);
  auto ana = NewUser("Ana");
  auto bia = NewUser("Bia");
  auto created = ana->Post("/chat/salas", {{"nome", "Privada " + UniqueEmail("p")}, {"privada", "1"}});
  ASSERT_EQ(created.status, 303);
  std::string location = created.Header("location");
  std::string sala = location.substr(location.rfind('/') + 1);
  EXPECT_EQ(bia->Get("/chat/stream?sala_id=" + sala).status, 403);
  auto one = ana->Stream("sala_id=1");
  auto two = bia->Stream("sala_id=1");
  ASSERT_EQ(two->status(), 200);
  HttpResponse third = ana->Get("/chat/stream?sala_id=1");
  EXPECT_EQ(third.status, 503);
  EXPECT_FALSE(third.Header("retry-after").empty());
}

TEST_F(PusherStackTest, PresenceIsCountedAcrossTwoPushers) {
  Start({.pushers = 2, .env = {}});
  std::vector<std::unique_ptr<WebUser>> users;
  std::vector<std::unique_ptr<SseClient>> streams;
  for (int i = 0; i < 4; ++i) {
    users.push_back(NewUser("Pessoa " + std::to_string(i)));
    streams.push_back(users.back()->Stream("sala_id=1"));
    ASSERT_EQ(streams.back()->status(), 200);
  }
  // least_conn spread them over both pushers.
  for (int p = 0; p < 2; ++p) {
    std::string metrics = HttpCallUnix(stack_->PusherSocket(p), "GET", "/metrics").body;
    EXPECT_EQ(metrics.find("papo_pusher_connections 0\n"), std::string::npos) << "pusher " << p;
  }
  bool four_online = false;
  while (auto event = streams[0]->NextOf("presenca", 10000ms)) {
    if (event->data.find("\"usuarios_online\":4,") != std::string::npos) {
      four_online = true;
      break;
    }
  }
  EXPECT_TRUE(four_online) << stack_->Logs();
  // papo-app reads the same presence for its pages.
  auto redis = stack_->redis().Client();
  auto members = redis->Command({"ZCARD", PresenceKey(1)});
  ASSERT_TRUE(members.ok());
  EXPECT_EQ((*members)->integer, 4);
  streams[3].reset();
  bool three_online = false;
  while (auto event = streams[0]->NextOf("presenca", 10000ms)) {
    if (event->data.find("\"usuarios_online\":3,") != std::string::npos) {
      three_online = true;
      break;
    }
  }
  EXPECT_TRUE(three_online);
}

TEST_F(PusherStackTest, HeartbeatArrivesThroughNginx) {
  Start({.env = {{"CHAT_SSE_HEARTBEAT", "1"}}});
  auto ana = NewUser("Ana");
  auto stream = ana->Stream("sala_id=1");
  ASSERT_EQ(stream->status(), 200);
  size_t before = stream->comments().size();
  while (stream->Next(2500ms)) {
  }
  EXPECT_GT(stream->comments().size(), before);
}

TEST_F(PusherStackTest, ListStreamSeesActivityOfPublicRooms) {
  Start();
  auto ana = NewUser("Ana");
  auto list = ana->Stream("lista=1");
  ASSERT_EQ(list->status(), 200);
  auto redis = stack_->redis().Client();
  ASSERT_TRUE(WaitSubscribed(*redis, PublicListChannel()));
  auto sent = ana->Send(kGeral, "movimento");
  ASSERT_EQ(sent.status, 200);
  auto activity = list->NextOf("atividade");
  ASSERT_TRUE(activity.has_value());
  EXPECT_NE(activity->data.find("\"sala_id\":1,\"seq\":" + std::to_string(SeqOf(sent))), std::string::npos)
      << activity->data;
}

TEST_F(PusherStackTest, LogoutEndsThatSessionsStreamsAndNotTheUsersOtherSession) {
  Start();
  std::string email = UniqueEmail("ana");
  WebUser laptop(stack_->port());
  ASSERT_EQ(laptop.Register("Ana", email).status, 303);
  WebUser phone(stack_->port());
  ASSERT_EQ(phone.Login(email).status, 303);
  auto bia = NewUser("Bia");
  auto room = laptop.Stream("sala_id=1&desde=0");
  auto list = laptop.Stream("lista=1");
  auto phone_room = phone.Stream("sala_id=1&desde=0");
  for (SseClient* stream : {room.get(), list.get(), phone_room.get()}) ASSERT_EQ(stream->status(), 200) << stack_->Logs();
  auto redis = stack_->redis().Client();
  ASSERT_TRUE(WaitSubscribed(*redis, RoomChannel(kGeral)));
  ASSERT_TRUE(WaitSubscribed(*redis, PublicListChannel()));

  ASSERT_EQ(laptop.Post("/logout", {}).status, 303);
  EXPECT_TRUE(room->WaitEnded(5000ms)) << stack_->Logs();
  EXPECT_TRUE(list->WaitEnded(5000ms));
  auto sent = bia->Send(kGeral, "depois do logout");
  ASSERT_EQ(sent.status, 200);
  EXPECT_EQ(ReadSeqs(*phone_room, 1), std::vector<int64_t>{SeqOf(sent)});
  EXPECT_FALSE(room->NextOf("", 300ms).has_value());
  EXPECT_FALSE(phone_room->ended());
  // The browser's EventSource reconnects: 401, and the page goes to /login.
  EXPECT_EQ(laptop.Get("/chat/stream?sala_id=1").status, 401);
}

TEST_F(PusherStackTest, HealthThroughNginxComesFromThePusher) {
  Start();
  HttpResponse health = HttpCall(stack_->port(), "GET", "/chat/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_NE(health.body.find("\"status\":\"healthy\""), std::string::npos) << health.body;
}

}  // namespace
}  // namespace papo::testing
