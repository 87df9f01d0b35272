// papo-app --copy-to (DESIGN §7) end to end: a Stack on SQLite takes users,
// a private room, messages and read positions over HTTP; it is stopped, the
// real papo-app binary copies its file into a fresh PostgreSQL database, and
// a Stack on that database answers /chat/listar-salas and /chat/mensagens
// byte for byte as before, to the same session cookies. Needs PostgreSQL:
// runs in the pg.* registration only.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string_view>

#include "tests/support/json.h"
#include "tests/support/paths.h"
#include "tests/support/pg_server.h"
#include "tests/support/process.h"
#include "tests/support/stack.h"
#include "tests/support/temp_dir.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

int64_t RoomIdFrom(const HttpResponse& response) {
  std::string location = response.Header("location");
  return std::stoll(location.substr(location.rfind('/') + 1));
}

// What each user sees: the room list and history pages of every room.
std::vector<std::string> Answers(int port, const std::vector<std::string>& cookies,
                                 const std::vector<int64_t>& rooms) {
  std::vector<std::string> answers;
  for (const auto& cookie : cookies) {
    WebUser user(port);
    user.set_cookie(cookie);
    auto list = user.Get("/chat/listar-salas");
    EXPECT_EQ(list.status, 200);
    answers.push_back(list.body);
    for (int64_t sala : rooms) {
      std::string base = "/chat/mensagens?sala_id=" + std::to_string(sala);
      for (const char* page : {"", "&limit=3", "&limit=4&apos_seq=2", "&limit=2&antes_seq=5", "&limit=3&offset=2"}) {
        auto history = user.Get(base + page);
        answers.push_back(std::to_string(history.status) + " " + base + page + "\n" + history.body);
      }
    }
  }
  return answers;
}

TEST(PostgresCopyToAppTest, APostgresCopyAnswersLikeTheSqliteFileItCameFrom) {
  TempDir dir;
  const std::string sqlite = dir.File("origem.db");
  const std::vector<std::string> texts = {"tab\taqui", "linha\nnova", "barra \\ invertida \\N", "aspas \"'\"",
                                          "emoji 😀 ação", "\\.", "fim\r\n"};
  std::vector<std::string> cookies;
  std::vector<std::string> emails = {UniqueEmail("ana"), UniqueEmail("bruno"), UniqueEmail("carla")};
  std::vector<int64_t> rooms = {1, 2};
  std::vector<std::string> before;
  {
    // The file outlives this Stack (its own directory goes with it).
    StackOptions options = WithoutPusher({{"PAPO_DB", sqlite}, {"CHAT_RATE_LIMIT", "0"}});
    options.backend = Backend::kSqlite;
    Stack sqlite_stack(options);
    std::vector<std::unique_ptr<WebUser>> users;
    for (size_t i = 0; i < emails.size(); ++i) {
      users.push_back(std::make_unique<WebUser>(sqlite_stack.port()));
      ASSERT_EQ(users.back()->Register("Usuário Ação " + std::to_string(i), emails[i]).status, 303);
      cookies.push_back(users.back()->cookie());
    }
    auto created = users[0]->Post("/chat/salas", {{"nome", "Privada " + emails[0]}, {"privada", "1"},
                                                  {"membros", emails[1]}});
    ASSERT_EQ(created.status, 303) << created.body;
    rooms.push_back(RoomIdFrom(created));
    int i = 0;
    for (const auto& text : texts) {
      for (int64_t sala : rooms) {
        auto& author = *users[static_cast<size_t>(i++ % 2)];  // ana and bruno may write in the private room
        ASSERT_EQ(author.Send(sala, text, "cid-" + std::to_string(i)).status, 200);
      }
    }
    ASSERT_EQ(users[1]->Post("/chat/lida", {{"sala_id", std::to_string(rooms[2])}, {"seq", "3"}}).status, 200);
    ASSERT_EQ(users[2]->Post("/chat/lida", {{"sala_id", "1"}, {"seq", "5"}}).status, 200);
    // Changes to messages (DESIGN §9) are copied too: an edit, reactions
    // and a tombstone (ids 1 and 2: Ana's first in room 1, Bruno's in 2).
    ASSERT_EQ(users[0]->Post("/chat/mensagens/1/editar", {{"mensagem", "editada antes da cópia"}}).status, 200);
    ASSERT_EQ(users[1]->Post("/chat/mensagens/1/reacoes", {{"emoji", "👍"}}).status, 200);
    ASSERT_EQ(users[2]->Post("/chat/mensagens/1/reacoes", {{"emoji", "🇧🇷"}}).status, 200);
    ASSERT_EQ(users[1]->Post("/chat/mensagens/2/reacoes", {{"emoji", "🎉"}}).status, 200);
    ASSERT_EQ(users[1]->Post("/chat/mensagens/2/excluir", {}).status, 200);
    before = Answers(sqlite_stack.port(), cookies, rooms);
    std::string all;
    for (const auto& answer : before) all += answer;
    ASSERT_NE(all.find("\"mensagem\":\"tab\\taqui\""), std::string::npos) << before[1];
    ASSERT_NE(all.find("\"lida\":true"), std::string::npos);
    ASSERT_NE(all.find("\"mensagem\":\"editada antes da cópia\""), std::string::npos);
    ASSERT_NE(all.find("\"emoji\":\"🇧🇷\",\"total\":1,\"minha\":true"), std::string::npos);
    ASSERT_NE(all.find("\"excluida\":true"), std::string::npos);
  }  // every papo-app of the SQLite stack stopped

  const std::string uri = PgServer::Shared().FreshDatabase();
  Process copy({AppBinary(), "--copy-to", uri}, {{"PAPO_DB", sqlite}}, dir.File("copy-to.log"));
  int status = copy.WaitExit(std::chrono::seconds(60));
  std::string log = ReadFile(dir.File("copy-to.log"));
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << log;
  EXPECT_NE(log.find("copy-to: chat_mensagem: copying 21 rows"), std::string::npos) << log;
  EXPECT_NE(log.find("row counts verified"), std::string::npos) << log;

  StackOptions options = WithoutPusher({{"CHAT_RATE_LIMIT", "0"}});
  options.database_uri = uri;
  Stack pg_stack(options);
  std::vector<std::string> after = Answers(pg_stack.port(), cookies, rooms);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) EXPECT_EQ(after[i], before[i]) << "answer " << i;

  // The same session goes on: a resend is recognised, a new message takes
  // the room's next seq.
  WebUser ana(pg_stack.port());
  ASSERT_EQ(ana.Login(emails[0]).status, 303);
  auto resent = Json(ana.Send(rooms[2], texts[0], "cid-3").body);
  auto fresh = Json(ana.Send(rooms[2], "depois da cópia").body);
  ASSERT_TRUE(resent["success"].GetBool() && fresh["success"].GetBool());
  EXPECT_EQ(resent["seq"].GetInt64(), 1);
  EXPECT_EQ(fresh["seq"].GetInt64(), static_cast<int64_t>(texts.size()) + 1);
  EXPECT_EQ(fresh["mensagem_id"].GetInt64(), static_cast<int64_t>(texts.size() * rooms.size()) + 1);

  // A second copy into the same database is refused.
  Process again({AppBinary(), "--copy-to=" + uri}, {{"PAPO_DB", sqlite}}, dir.File("again.log"));
  int again_status = again.WaitExit(std::chrono::seconds(60));
  EXPECT_TRUE(WIFEXITED(again_status) && WEXITSTATUS(again_status) == 1) << again_status;
  EXPECT_NE(ReadFile(dir.File("again.log")).find("not empty"), std::string::npos);
}

}  // namespace
}  // namespace papo::testing
