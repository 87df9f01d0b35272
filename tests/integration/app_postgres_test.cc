// papo on PostgreSQL across processes and hosts (DESIGN §7): writers in
// several processes keep seq contiguous, a server restart loses no
// acknowledged message, and two independent sites — each its own nginx,
// papo-app and papo-pusher — share one PostgreSQL and one Redis.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "tests/support/json.h"
#include "tests/support/pg_server.h"
#include "tests/support/redis_server.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

StackOptions OnPostgres(int processes, int threads) {
  StackOptions options = WithoutPusher({{"CHAT_RATE_LIMIT", "0"}});
  options.backend = Backend::kPostgres;
  options.app_processes = processes;
  options.app_threads = threads;
  return options;
}

int64_t CreateRoom(WebUser& user, const std::string& nome) {
  auto response = user.Post("/chat/salas", {{"nome", nome}, {"descricao", ""}});
  EXPECT_EQ(response.status, 303) << response.body;
  std::string location = response.Header("location");
  return std::stoll(location.substr(location.rfind('/') + 1));
}

// Every seq of the room, oldest first, read page by page over HTTP.
std::vector<int64_t> AllSeqs(const WebUser& user, int64_t sala) {
  std::vector<int64_t> seqs;
  int64_t after = 0;
  while (true) {
    auto response = user.Get("/chat/mensagens?sala_id=" + std::to_string(sala) + "&limit=200&apos_seq=" +
                             std::to_string(after));
    EXPECT_EQ(response.status, 200) << response.body;
    auto page = Json(response.body);
    if (!page.IsObject() || !page["mensagens"].IsArray() || page["mensagens"].Empty()) return seqs;
    for (const auto& message : page["mensagens"].GetArray()) seqs.push_back(message["seq"].GetInt64());
    after = seqs.back();
  }
}

void ExpectOneToN(const std::vector<int64_t>& seqs, size_t n) {
  ASSERT_EQ(seqs.size(), n);
  for (size_t i = 0; i < seqs.size(); ++i) ASSERT_EQ(seqs[i], static_cast<int64_t>(i + 1)) << "at " << i;
}

// 4 papo-app processes × 8 threads write into one room at once, each message
// sent twice with its client_id (the second copy usually to another
// process): seq is 1..N without holes and no client_id is stored twice.
TEST(PostgresConcurrencyTest, FourProcessesOfEightThreadsKeepSeqContiguousAndClientIdsUnique) {
  Stack stack(OnPostgres(4, 8));
  constexpr int kUsers = 8, kThreadsPerUser = 4, kPerThread = 12;
  std::vector<std::unique_ptr<WebUser>> users;
  for (int u = 0; u < kUsers; ++u) {
    users.push_back(std::make_unique<WebUser>(stack.port()));
    ASSERT_EQ(users.back()->Register("P" + std::to_string(u), UniqueEmail("p")).status, 303);
  }
  int64_t sala = CreateRoom(*users[0], "Concorrência " + UniqueEmail("pg"));
  std::atomic<int> failures{0};
  std::mutex mutex;
  std::map<std::string, int64_t> id_of;  // client_id -> mensagem_id, from every answer
  std::vector<std::thread> threads;
  for (int u = 0; u < kUsers; ++u) {
    for (int t = 0; t < kThreadsPerUser; ++t) {
      threads.emplace_back([&, u, t] {
        for (int i = 0; i < kPerThread; ++i) {
          std::string client_id = "c-" + std::to_string(t) + "-" + std::to_string(i);
          for (int copy = 0; copy < 2; ++copy) {
            auto response = users[u]->Send(sala, "m " + client_id, client_id);
            auto body = Json(response.body);
            if (response.status != 200 || !body.IsObject() || !body["mensagem_id"].IsInt64()) {
              ++failures;
              continue;
            }
            std::lock_guard lock(mutex);
            auto [it, inserted] = id_of.emplace(std::to_string(u) + "/" + client_id, body["mensagem_id"].GetInt64());
            if (!inserted && it->second != body["mensagem_id"].GetInt64()) ++failures;  // a duplicate row
          }
        }
      });
    }
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0) << stack.Logs();
  constexpr size_t kMessages = kUsers * kThreadsPerUser * kPerThread;
  EXPECT_EQ(id_of.size(), kMessages);
  ExpectOneToN(AllSeqs(*users[0], sala), kMessages);
  ASSERT_NE(stack.pg(), nullptr);
  std::string where = " FROM chat_mensagem WHERE sala_id = " + std::to_string(sala);
  EXPECT_EQ(stack.pg()->Query("SELECT COUNT(*)" + where), std::to_string(kMessages));
  EXPECT_EQ(stack.pg()->Query("SELECT COUNT(DISTINCT (usuario_id, client_id))" + where), std::to_string(kMessages));
  EXPECT_EQ(stack.pg()->Query("SELECT ultimo_seq FROM sala WHERE id = " + std::to_string(sala)),
            std::to_string(kMessages));
}

// PostgreSQL is restarted while eight senders post without pause: every
// POST that answered 200 is stored exactly once; every other one answered
// 503 with a pt-BR message and Retry-After; resending those with the same
// client_id stores each once.
TEST(PostgresRestartTest, EveryAcknowledgedPostIsStoredOnceAndTheOthersCanBeResent) {
  Stack stack(OnPostgres(2, 4));
  ASSERT_NE(stack.pg(), nullptr);
  WebUser user(stack.port());
  ASSERT_EQ(user.Register("Ana", UniqueEmail("ana")).status, 303);
  int64_t sala = CreateRoom(user, "Reinício " + UniqueEmail("pg"));
  struct Outcome {
    int status = 0;
    int64_t id = 0;
  };
  std::mutex mutex;
  std::map<std::string, Outcome> outcomes;
  std::atomic<bool> stop{false};
  std::atomic<int> bad_refusals{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 8; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        std::string client_id = "r-" + std::to_string(t) + "-" + std::to_string(i);
        auto response = user.Send(sala, "mensagem " + client_id, client_id);
        auto body = Json(response.body);
        Outcome outcome{response.status, 0};
        if (response.status == 200 && body.IsObject() && body["mensagem_id"].IsInt64()) {
          outcome.id = body["mensagem_id"].GetInt64();
        } else if (response.status != 503 || response.Header("retry-after").empty() || !body.IsObject() ||
                   !body["erro"].IsString() || std::string(body["erro"].GetString()).find("indisponível") ==
                                                   std::string::npos) {
          ++bad_refusals;
          ADD_FAILURE() << response.status << " " << response.body;
        }
        {
          std::lock_guard lock(mutex);
          outcomes[client_id] = outcome;
        }
        // As the page does, a refused sender waits before its next message.
        if (outcome.status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  stack.pg()->Stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  stack.pg()->Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  stop = true;
  for (auto& sender : senders) sender.join();
  EXPECT_EQ(bad_refusals.load(), 0) << stack.Logs();

  int acknowledged = 0, refused = 0;
  for (auto& [client_id, outcome] : outcomes) {
    if (outcome.status == 200) {
      ++acknowledged;
      continue;
    }
    ++refused;
    HttpResponse response;
    for (int attempt = 0; attempt < 50; ++attempt) {  // the browser's resend, with the same client_id
      response = user.Send(sala, "mensagem " + client_id, client_id);
      if (response.status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_EQ(response.status, 200) << response.body;
    outcome.id = Json(response.body)["mensagem_id"].GetInt64();
  }
  EXPECT_GT(acknowledged, 0);
  EXPECT_GT(refused, 0) << "the restart refused nothing: the test did not test";
  // Every message once, with the id its answer gave, and seq 1..N.
  std::string where = " FROM chat_mensagem WHERE sala_id = " + std::to_string(sala);
  std::string expected;
  for (const auto& [client_id, outcome] : outcomes) {  // std::map: sorted by client_id, as ORDER BY (C collation)
    expected += (expected.empty() ? "" : ",") + client_id + "=" + std::to_string(outcome.id);
  }
  EXPECT_EQ(stack.pg()->Query("SELECT COUNT(*)" + where), std::to_string(outcomes.size()));
  EXPECT_EQ(stack.pg()->Query("SELECT string_agg(client_id || '=' || id, ',' ORDER BY client_id COLLATE \"C\")" +
                              where),
            expected);
  ExpectOneToN(AllSeqs(user, sala), outcomes.size());
}

// A restart while nobody writes: every connection papo-app holds is dead,
// and not one request afterwards may fail because of that.
TEST(PostgresRestartTest, RequestsAfterARestartBetweenRequestsAllSucceed) {
  Stack stack(OnPostgres(2, 4));
  WebUser user(stack.port());
  ASSERT_EQ(user.Register("Ana", UniqueEmail("ana")).status, 303);
  for (int i = 0; i < 16; ++i) ASSERT_EQ(user.Send(1, "antes " + std::to_string(i)).status, 200);
  stack.pg()->Stop();
  stack.pg()->Start();
  for (int i = 0; i < 24; ++i) {
    auto response = i % 3 == 0 ? user.Get("/chat/listar-salas") : user.Send(1, "depois " + std::to_string(i));
    ASSERT_EQ(response.status, 200) << i << ": " << response.body << stack.Logs();
  }
}

// Two sites, as two hosts would run them: each its own nginx, papo-app and
// papo-pusher and run directory, both on one PostgreSQL and one Redis.
TEST(PostgresTwoSitesTest, UsersOnTwoSitesChatLiveInSeqOrderAndSiteBOutlivesSiteA) {
  TempDir shared_dir;
  PgServer pg;
  RedisServer redis(shared_dir.path());
  StackOptions options;
  options.backend = Backend::kPostgres;
  options.database_uri = pg.FreshDatabase();
  options.redis_url = redis.url();
  auto site_a = std::make_unique<Stack>(options);
  Stack site_b(options);
  ASSERT_NE(site_a->port(), site_b.port());

  std::string ana_email = UniqueEmail("ana");
  WebUser ana(site_a->port());
  ASSERT_EQ(ana.Register("Ana", ana_email).status, 303);
  std::string bruno_email = UniqueEmail("bruno");
  WebUser bruno(site_b.port());
  ASSERT_EQ(bruno.Register("Bruno", bruno_email).status, 303);
  auto ana_stream = ana.Stream("sala_id=1");
  auto bruno_stream = bruno.Stream("sala_id=1");
  ASSERT_EQ(ana_stream->status(), 200);
  ASSERT_EQ(bruno_stream->status(), 200);
  ASSERT_TRUE(ana_stream->NextOf("presenca").has_value());  // live: subscribed on its pusher
  ASSERT_TRUE(bruno_stream->NextOf("presenca").has_value());

  constexpr int kMessages = 10;
  for (int i = 0; i < kMessages; ++i) {
    WebUser& sender = i % 2 == 0 ? ana : bruno;
    auto response = sender.Send(1, "mensagem " + std::to_string(i + 1));
    ASSERT_EQ(response.status, 200) << response.body;
  }
  for (SseClient* stream : {ana_stream.get(), bruno_stream.get()}) {
    for (int i = 0; i < kMessages; ++i) {
      auto event = stream->NextOf("");
      ASSERT_TRUE(event.has_value()) << "message " << i + 1 << "\n" << site_a->Logs() << site_b.Logs();
      EXPECT_EQ(event->id, std::to_string(i + 1));
      EXPECT_NE(event->data.find("\"mensagem\":\"mensagem " + std::to_string(i + 1) + "\""), std::string::npos)
          << event->data;
    }
  }

  // Site A goes away entirely (nginx, papo-app, papo-pusher): site B keeps
  // the whole history and new messages, for its users and for A's.
  ana_stream.reset();
  site_a.reset();
  ExpectOneToN(AllSeqs(bruno, 1), kMessages);
  WebUser ana_on_b(site_b.port());  // sessions live in the shared database
  ana_on_b.set_cookie(ana.cookie());
  EXPECT_EQ(ana_on_b.Get("/chat/listar-salas").status, 200);
  ASSERT_EQ(ana_on_b.Login(ana_email).status, 303);
  auto response = bruno.Send(1, "depois de A");
  ASSERT_EQ(response.status, 200) << response.body;
  auto event = bruno_stream->NextOf("");
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->id, std::to_string(kMessages + 1));
  response = ana_on_b.Send(1, "Ana, agora por B");
  ASSERT_EQ(response.status, 200) << response.body;
  event = bruno_stream->NextOf("");
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->id, std::to_string(kMessages + 2));
  ExpectOneToN(AllSeqs(bruno, 1), kMessages + 2);
}

}  // namespace
}  // namespace papo::testing
