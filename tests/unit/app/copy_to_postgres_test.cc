// papo-app --copy-to (fcgi-app/db/copy_to_postgres.h): an SQLite database
// built with the real repositories is copied into a fresh PostgreSQL
// database, and both answer the repositories' questions alike. Runs only in
// the PostgreSQL registration (suite Postgres*).
#include "fcgi-app/db/copy_to_postgres.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "common/case_fold.h"
#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/db/migrations.h"
#include "fcgi-app/db/open_database.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/db/session_repository.h"
#include "fcgi-app/db/user_repository.h"
#include "tests/support/pg_server.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/app/test_database.h"

namespace papo {
namespace {

using testing::QueryInt;
using testing::QueryText;

constexpr int64_t kNow = 1'700'000'000'000;

// Texts COPY's text format must escape, and some it must not touch.
const std::vector<std::string> kAwkwardTexts = {
    "tab\there",          "line\nbreak",        "crlf\r\nend",   "back\\slash",
    "\\N",                "\\.",                "\\",            "aspas 'simples' e \"duplas\"",
    "emoji 😀🎉 e acentos çãé", "trailing tab\t",     "\t\n\r\\ all",  "NULL",
    "vírgula, ponto; {chaves} [colchetes]",
};

// Every field, so that two answers compare as strings.
std::string Describe(const std::vector<ChatMessage>& messages) {
  std::ostringstream out;
  for (const auto& m : messages) {
    out << m.id << '|' << m.sala_id << '|' << m.seq << '|' << m.usuario_id << '|' << m.mensagem << '|'
        << m.data_envio_ms << '|' << m.lida << '|' << m.usuario_nome << '\n';
  }
  return out.str();
}

std::string Describe(const std::vector<RoomSummary>& rooms) {
  std::ostringstream out;
  for (const auto& s : rooms) {
    const Room& r = s.room;
    out << r.id << '|' << r.nome << '|' << r.descricao << '|' << r.privada << '|' << r.ativa << '|' << r.criado_por
        << '|' << r.criado_em << '|' << r.ultimo_seq << '|' << s.ultima_atividade << '|' << s.ultimo_seq_lido << '|'
        << s.nao_lidas << '\n';
  }
  return out.str();
}

// Every row of `table`, every column as text (NULL as <null>), in key order.
std::string Dump(Database& db, const std::string& table, const std::string& columns, const std::string& key) {
  auto statement = db.Cached("SELECT " + columns + " FROM " + table + " ORDER BY " + key);
  EXPECT_TRUE(statement.ok()) << statement.status().ToString();
  if (!statement.ok()) return "";
  int count = 1;
  for (char c : columns) count += c == ',';
  StatementScope scope(**statement);
  std::string out;
  while (true) {
    auto row = scope->Step();
    EXPECT_TRUE(row.ok()) << row.status().ToString();
    if (!row.ok() || !*row) return out;
    for (int i = 0; i < count; ++i) out += (scope->ColumnIsNull(i) ? "<null>" : "[" + scope->ColumnText(i) + "]") + "|";
    out += "\n";
  }
}

struct TableColumns {
  const char* name;
  const char* columns;
  const char* key;
};
constexpr TableColumns kTables[] = {
    {"usuario", "id, nome, email, senha_hash, criado_em", "id"},
    {"sala", "id, nome, nome_chave, descricao, privada, ativa, criado_por, criado_em, ultimo_seq", "id"},
    {"sala_membro", "sala_id, usuario_id", "sala_id, usuario_id"},
    {"sessao", "token_hash, usuario_id, csrf_token, criado_em, expira_em", "token_hash"},
    {"chat_mensagem", "id, sala_id, seq, usuario_id, mensagem, data_envio, client_id", "id"},
    {"leitura", "sala_id, usuario_id, ultimo_seq_lido", "sala_id, usuario_id"},
};

bool FileExists(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0;
}

class PostgresCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenDatabase(source_path_, "normal");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    source_ = std::move(db).value();
    ASSERT_TRUE(ApplyMigrations(*source_).ok());
  }

  std::unique_ptr<Database> OpenTarget(const std::string& uri) {
    auto db = OpenDatabase(uri, "normal");
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(db).value() : nullptr;
  }

  // A fresh target database with papo's schema (and its seed rooms); its URI
  // goes to `uri`.
  std::unique_ptr<Database> MigratedTarget(std::string& uri) {
    uri = testing::PgServer::Shared().FreshDatabase();
    auto target = OpenTarget(uri);
    if (target != nullptr) {
      EXPECT_TRUE(ApplyMigrations(*target).ok());
    }
    return target;
  }

  int64_t AddUser(const std::string& nome, const std::string& email) {
    auto id = UserRepository(*source_).Create(nome, email, "hash-" + nome, kNow);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    users_.push_back(id.ok() ? *id : 0);
    return users_.back();
  }

  int64_t AddRoom(const std::string& nome, bool privada, int64_t creator, const std::vector<int64_t>& members) {
    Room room;
    room.nome = nome;
    room.descricao = "descrição\tcom tab de " + nome;
    room.privada = privada;
    room.criado_por = creator;
    room.criado_em = kNow + 10;
    auto id = RoomRepository(*source_).Create(room, members);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    rooms_.push_back(id.ok() ? *id : 0);
    return rooms_.back();
  }

  ChatMessage Send(Database& db, int64_t sala, int64_t user, const std::string& text,
                   const std::string& client_id = "") {
    NewMessage message{sala, user, "n", text, client_id, kNow + 1000};
    auto inserted = MessageRepository(db).Insert(message);
    EXPECT_TRUE(inserted.ok()) << inserted.status().ToString();
    return inserted.ok() ? inserted->message : ChatMessage{};
  }

  // Users, sessions, public and private rooms, awkward texts, client_ids
  // and read positions.
  void BuildSmallSource() {
    ana_ = AddUser("Ana\tTab", "ana@exemplo.com");
    bruno_ = AddUser("Bruno \\ Barra", "Bruno@Exemplo.COM");  // an e-mail as an older papo-app may have left it
    carla_ = AddUser("Carla 😀", "carla@exemplo.com");
    rooms_ = {1, 2, 3};
    privada_ = AddRoom("Privada Ação", true, ana_, {bruno_});
    publica_ = AddRoom("Café ☕", false, bruno_, {});
    SessionRepository sessions(*source_);
    ASSERT_TRUE(sessions.Create("hash-ana", ana_, "csrf\\ana", kNow, kNow + 3'600'000).ok());
    ASSERT_TRUE(sessions.Create("hash-bruno-velha", bruno_, "csrf-b", kNow - 10, kNow - 1).ok());
    ASSERT_TRUE(sessions.Create("hash-carla", carla_, "csrf-c", kNow, kNow + 3'600'000).ok());
    int i = 0;
    for (const auto& text : kAwkwardTexts) {
      int64_t user = users_[i % 3];
      Send(*source_, 1, user, text, i % 2 ? "cid-" + std::to_string(i) + "\t\\x" : "");
      Send(*source_, privada_, i % 2 ? ana_ : bruno_, "privada " + text, "p-" + std::to_string(i));
      if (i % 3 == 0) Send(*source_, publica_, carla_, text);
      ++i;
    }
    MessageRepository messages(*source_);
    ASSERT_TRUE(messages.MarkRead(1, ana_, 5).ok());
    ASSERT_TRUE(messages.MarkRead(1, bruno_, 13).ok());
    ASSERT_TRUE(messages.MarkRead(privada_, bruno_, 4).ok());
    ASSERT_TRUE(messages.MarkRead(publica_, carla_, 2).ok());
  }

  Result<CopyReport> Copy(const std::string& uri) {
    std::ostringstream progress;
    auto report = CopyToPostgres(source_path_, uri, progress);
    progress_ = progress.str();
    return report;
  }

  // The repositories' answers on both sides, for every user and room.
  void ExpectSameAnswers(Database& target) {
    MessageRepository source_messages(*source_);
    MessageRepository target_messages(target);
    for (int64_t user : users_) {
      auto before = RoomRepository(*source_).ListVisible(user);
      auto after = RoomRepository(target).ListVisible(user);
      ASSERT_TRUE(before.ok() && after.ok());
      EXPECT_EQ(Describe(*after), Describe(*before)) << "usuario " << user;
      for (int64_t sala : rooms_) {
        EXPECT_EQ(*target_messages.ReadPosition(sala, user), *source_messages.ReadPosition(sala, user));
        EXPECT_EQ(*target_messages.UnreadCount(sala, user), *source_messages.UnreadCount(sala, user));
        ExpectSameHistory(source_messages, target_messages, sala, user);
      }
    }
  }

  void ExpectSameHistory(MessageRepository& source, MessageRepository& target, int64_t sala, int64_t reader) {
    std::vector<HistoryQuery> queries;
    HistoryQuery newest{sala, 7, 0, 0, -1, reader};
    queries.push_back(newest);
    newest.offset = 5;
    queries.push_back(newest);
    queries.push_back(HistoryQuery{sala, 4, 0, 9, -1, reader});  // antes_seq
    queries.push_back(HistoryQuery{sala, 6, 0, 0, 3, reader});   // apos_seq
    for (const auto& query : queries) {
      auto before = source.History(query);
      auto after = target.History(query);
      ASSERT_TRUE(before.ok() && after.ok());
      EXPECT_EQ(Describe(*after), Describe(*before)) << "sala " << sala << " leitor " << reader;
    }
  }

  void ExpectSameRows(Database& target) {
    for (const auto& table : kTables) {
      EXPECT_EQ(Dump(target, table.name, table.columns, table.key),
                Dump(*source_, table.name, table.columns, table.key))
          << table.name;
    }
  }

  testing::TempDir dir_;
  std::string source_path_ = dir_.File("papo.db");
  std::unique_ptr<Database> source_;
  std::vector<int64_t> users_;
  std::vector<int64_t> rooms_;
  int64_t ana_ = 0, bruno_ = 0, carla_ = 0, privada_ = 0, publica_ = 0;
  std::string progress_;
};

TEST_F(PostgresCopyTest, CopiesEveryRowAndTheRepositoriesAnswerAlike) {
  BuildSmallSource();
  std::string uri = testing::PgServer::Shared().FreshDatabase();
  auto report = Copy(uri);
  ASSERT_TRUE(report.ok()) << report.status().ToString() << "\n" << progress_;
  auto target = OpenTarget(uri);
  ASSERT_NE(target, nullptr);
  ExpectSameRows(*target);
  ExpectSameAnswers(*target);

  SessionRepository source_sessions(*source_);
  SessionRepository target_sessions(*target);
  for (const char* token : {"hash-ana", "hash-bruno-velha", "hash-carla", "hash-nenhuma"}) {
    auto before = source_sessions.FindLive(token, kNow);
    auto after = target_sessions.FindLive(token, kNow);
    ASSERT_TRUE(before.ok() && after.ok());
    ASSERT_EQ(after->has_value(), before->has_value()) << token;
    if (!before->has_value()) continue;
    EXPECT_EQ((*after)->usuario_id, (*before)->usuario_id);
    EXPECT_EQ((*after)->nome, (*before)->nome);
    EXPECT_EQ((*after)->email, (*before)->email);
    EXPECT_EQ((*after)->csrf_token, (*before)->csrf_token);
    EXPECT_EQ((*after)->expira_em, (*before)->expira_em);
  }
  MessageRepository source_messages(*source_);
  MessageRepository target_messages(*target);
  auto before = source_messages.FindByClientId(bruno_, "cid-1\t\\x");
  auto after = target_messages.FindByClientId(bruno_, "cid-1\t\\x");
  ASSERT_TRUE(before.ok() && after.ok() && before->has_value() && after->has_value());
  EXPECT_EQ(Describe(std::vector<ChatMessage>{**after}), Describe(std::vector<ChatMessage>{**before}));
  EXPECT_EQ((*after)->mensagem, "line\nbreak");
  EXPECT_EQ(*RoomRepository(*target).MemberIds(privada_), *RoomRepository(*source_).MemberIds(privada_));

  ASSERT_EQ(report->rows.size(), 9u);  // with reacao, mencao (issue 16) and conversa_direta (issue 17)
  EXPECT_EQ(report->rows[0], (std::pair<std::string, int64_t>("usuario", 3)));
  EXPECT_EQ(report->rows[5].first, "chat_mensagem");
  EXPECT_EQ(report->rows[5].second, QueryInt(*source_, "SELECT COUNT(*) FROM chat_mensagem"));
  EXPECT_NE(progress_.find("copy-to: chat_mensagem: copying"), std::string::npos) << progress_;
  EXPECT_NE(progress_.find("copied and verified"), std::string::npos) << progress_;
}

TEST_F(PostgresCopyTest, NewRowsOnTheTargetTakeTheNextIdsAndSeqs) {
  BuildSmallSource();
  std::string uri = testing::PgServer::Shared().FreshDatabase();
  ASSERT_TRUE(Copy(uri).ok()) << progress_;
  auto target = OpenTarget(uri);
  ASSERT_NE(target, nullptr);
  int64_t max_message = QueryInt(*source_, "SELECT MAX(id) FROM chat_mensagem");
  int64_t ultimo_seq = QueryInt(*source_, "SELECT ultimo_seq FROM sala WHERE id = " + std::to_string(privada_));
  ChatMessage sent = Send(*target, privada_, ana_, "depois da cópia");
  EXPECT_EQ(sent.id, max_message + 1);
  EXPECT_EQ(sent.seq, ultimo_seq + 1);
  // A resend of a client_id sent before the copy is still recognised.
  NewMessage resend{privada_, ana_, "n", "de novo", "p-1", kNow};
  auto repeated = MessageRepository(*target).Insert(resend);
  ASSERT_TRUE(repeated.ok()) << repeated.status().ToString();
  EXPECT_FALSE(repeated->created);
  EXPECT_EQ(repeated->message.id, (*MessageRepository(*source_).FindByClientId(ana_, "p-1"))->id);

  auto user = UserRepository(*target).Create("Nova", "nova@exemplo.com", "h", kNow);
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(*user, carla_ + 1);
  Room room;
  room.nome = "Nova sala";
  room.criado_por = *user;
  room.criado_em = kNow;
  auto sala = RoomRepository(*target).Create(room, {});
  ASSERT_TRUE(sala.ok()) << sala.status().ToString();
  EXPECT_EQ(*sala, publica_ + 1);
  // The names stay unique case-insensitively (nome_chave was copied).
  room.nome = "CAFÉ ☕";
  EXPECT_EQ(RoomRepository(*target).Create(room, {}).status().code(), Status::Code::kConflict);
}

TEST_F(PostgresCopyTest, ANonEmptyTargetIsRefusedAndLeftUnchanged) {
  BuildSmallSource();
  std::string uri;
  auto target = MigratedTarget(uri);
  ASSERT_NE(target, nullptr);
  auto user = UserRepository(*target).Create("Zé", "ze@exemplo.com", "h", kNow);
  ASSERT_TRUE(user.ok());
  Send(*target, 1, *user, "já existe");
  std::string before = Dump(*target, "sala", "id, nome, ultimo_seq", "id") + Dump(*target, "usuario", "id", "id");

  auto report = Copy(uri);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kConflict);
  EXPECT_NE(report.status().message().find("table usuario has 1 rows"), std::string::npos)
      << report.status().message();
  EXPECT_NE(report.status().message().find("table chat_mensagem has 1 rows"), std::string::npos);
  EXPECT_EQ(Dump(*target, "sala", "id, nome, ultimo_seq", "id") + Dump(*target, "usuario", "id", "id"), before);
  EXPECT_EQ(QueryInt(*target, "SELECT COUNT(*) FROM chat_mensagem"), 1);
}

TEST_F(PostgresCopyTest, ARoomBeyondTheSeedRoomsMakesTheTargetNonEmpty) {
  BuildSmallSource();
  std::string uri;
  auto target = MigratedTarget(uri);
  ASSERT_NE(target, nullptr);
  ASSERT_TRUE(target->Exec("INSERT INTO sala (nome, nome_chave, criado_em) VALUES ('Extra', 'extra', 1)").ok());

  auto report = Copy(uri);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("table sala has 4 rows"), std::string::npos)
      << report.status().message();
  EXPECT_EQ(QueryInt(*target, "SELECT COUNT(*) FROM sala"), 4);
}

TEST_F(PostgresCopyTest, ASecondCopyIntoTheSameTargetIsRefused) {
  BuildSmallSource();
  std::string uri = testing::PgServer::Shared().FreshDatabase();
  ASSERT_TRUE(Copy(uri).ok()) << progress_;
  auto again = Copy(uri);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kConflict) << again.status().ToString();
  auto target = OpenTarget(uri);
  ASSERT_NE(target, nullptr);
  ExpectSameRows(*target);
}

TEST_F(PostgresCopyTest, AMissingSourceIsRefusedAndNotCreated) {
  std::string missing = dir_.File("nao-existe.db");
  std::string uri = testing::PgServer::Shared().FreshDatabase();
  std::ostringstream progress;
  auto report = CopyToPostgres(missing, uri, progress);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kNotFound) << report.status().ToString();
  EXPECT_NE(report.status().message().find(missing), std::string::npos);
  EXPECT_FALSE(FileExists(missing));
  auto target = OpenTarget(uri);
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(QueryInt(*target, "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"), 0);
}

TEST_F(PostgresCopyTest, AFailureMidwayLeavesTheTargetAsItWas) {
  BuildSmallSource();
  std::string uri;
  auto target = MigratedTarget(uri);
  ASSERT_NE(target, nullptr);
  // The users, rooms and memberships are in by then; a message is not.
  ASSERT_TRUE(target
                  ->Exec("CREATE FUNCTION falha_de_teste() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                         "IF NEW.id = 7 THEN RAISE EXCEPTION 'falha de teste na mensagem %', NEW.id; END IF; "
                         "RETURN NEW; END $$; "
                         "CREATE TRIGGER falha_de_teste BEFORE INSERT ON chat_mensagem "
                         "FOR EACH ROW EXECUTE FUNCTION falha_de_teste()")
                  .ok());
  std::string seeds = Dump(*target, "sala", "id, nome, nome_chave, criado_em", "id");

  auto report = Copy(uri);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("falha de teste na mensagem 7"), std::string::npos)
      << report.status().message();
  EXPECT_EQ(Dump(*target, "sala", "id, nome, nome_chave, criado_em", "id"), seeds);
  for (const char* table : {"usuario", "sessao", "sala_membro", "chat_mensagem", "leitura"}) {
    EXPECT_EQ(QueryInt(*target, std::string("SELECT COUNT(*) FROM ") + table), 0) << table;
  }

  // Nothing was left behind: without the trigger the same target takes the copy.
  ASSERT_TRUE(target->Exec("DROP TRIGGER falha_de_teste ON chat_mensagem").ok());
  auto retried = Copy(uri);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  ExpectSameRows(*target);
}

TEST_F(PostgresCopyTest, ACopyThatDiffersFromTheSourceIsRolledBack) {
  BuildSmallSource();
  std::string uri;
  auto target = MigratedTarget(uri);
  ASSERT_NE(target, nullptr);
  // Rows arrive, but not as they were sent.
  ASSERT_TRUE(target
                  ->Exec("CREATE FUNCTION esquece_leitura() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                         "NEW.ultimo_seq_lido := 0; RETURN NEW; END $$; "
                         "CREATE TRIGGER esquece_leitura BEFORE INSERT ON leitura "
                         "FOR EACH ROW EXECUTE FUNCTION esquece_leitura()")
                  .ok());
  auto report = Copy(uri);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("verification failed: table leitura"), std::string::npos)
      << report.status().message();
  EXPECT_EQ(QueryInt(*target, "SELECT COUNT(*) FROM leitura"), 0);
  EXPECT_EQ(QueryInt(*target, "SELECT COUNT(*) FROM chat_mensagem"), 0);
  EXPECT_EQ(QueryInt(*target, "SELECT COUNT(*) FROM sala"), 3);
}

TEST_F(PostgresCopyTest, AColumnTheCopyDoesNotKnowIsRefused) {
  BuildSmallSource();
  std::string uri;
  auto target = MigratedTarget(uri);
  ASSERT_NE(target, nullptr);
  ASSERT_TRUE(target->Exec("ALTER TABLE chat_mensagem ADD COLUMN fixada_em bigint").ok());
  auto report = Copy(uri);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("target table chat_mensagem has a column this papo-app cannot copy: "
                                           "fixada_em"),
            std::string::npos)
      << report.status().message();
  EXPECT_EQ(QueryInt(*target, "SELECT COUNT(*) FROM usuario"), 0);
}

TEST_F(PostgresCopyTest, AnOlderSqliteFileIsMigratedBeforeTheCopy) {
  source_.reset();
  std::string old_path = dir_.File("antigo.db");
  {
    auto old = OpenDatabase(old_path, "normal");
    ASSERT_TRUE(old.ok());
    ASSERT_EQ(*ApplyMigrations(**old, 1), 1);  // as papo-app before nome_chave left it
    ASSERT_TRUE((*old)
                    ->Exec("INSERT INTO usuario (id, nome, email, senha_hash, criado_em) VALUES (5, 'Ana', "
                           "'ana@exemplo.com', 'h', 1);"
                           "INSERT INTO sala (id, nome, descricao, privada, criado_por, criado_em) VALUES "
                           "(9, 'Ação Única', '', 1, 5, 2)")
                    .ok());
  }
  std::string uri = testing::PgServer::Shared().FreshDatabase();
  std::ostringstream progress;
  auto report = CopyToPostgres(old_path, uri, progress);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto target = OpenTarget(uri);
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(QueryText(*target, "SELECT nome_chave FROM sala WHERE id = 9"), FoldCase("Ação Única"));
  EXPECT_EQ(QueryInt(*target, "SELECT COUNT(*) FROM sala"), 4);  // the file's own seed rooms and 9
}

// The acceptance case: users, private rooms, 10,000 messages and
// read positions answer the same history pages, room lists and unread
// counts before and after (PAPO_COPY_TEST_MESSAGES sets another size, to
// measure a larger copy).
TEST_F(PostgresCopyTest, TenThousandMessagesAnswerTheSameHistoryAndUnreadCounts) {
  int64_t total = 10'000;
  if (const char* size = std::getenv("PAPO_COPY_TEST_MESSAGES")) total = std::atoll(size);
  for (int i = 0; i < 6; ++i) AddUser("Usuário " + std::to_string(i), "u" + std::to_string(i) + "@exemplo.com");
  rooms_ = {1, 2, 3};
  AddRoom("Privada A", true, users_[0], {users_[1], users_[2]});
  AddRoom("Privada B", true, users_[3], {users_[4]});
  std::vector<NewMessage> batch;
  MessageRepository messages(*source_);
  for (int64_t i = 0; i < total; ++i) {
    int64_t user = users_[static_cast<size_t>(i % 6)];
    int64_t sala = rooms_[static_cast<size_t>(i % 5)];
    if (sala == rooms_[3] && user > users_[2]) sala = 1;
    if (sala == rooms_[4] && user != users_[3] && user != users_[4]) sala = 2;
    std::string text = "mensagem " + std::to_string(i) + (i % 7 == 0 ? "\tcom tab\\ e\nlinha 😀" : "");
    batch.push_back(NewMessage{sala, user, "n", text, i % 3 == 0 ? "c" + std::to_string(i) : "",
                               kNow + i});
    if (batch.size() == 1000 || i + 1 == total) {
      std::vector<const NewMessage*> pointers;
      for (const auto& message : batch) pointers.push_back(&message);
      for (const auto& result : messages.InsertBatch(pointers)) ASSERT_TRUE(result.ok()) << result.status().ToString();
      batch.clear();
    }
  }
  for (size_t u = 0; u < users_.size(); ++u) {
    for (int64_t sala : rooms_) ASSERT_TRUE(messages.MarkRead(sala, users_[u], 100 * static_cast<int64_t>(u)).ok());
  }

  std::string uri = testing::PgServer::Shared().FreshDatabase();
  auto started = std::chrono::steady_clock::now();
  auto report = Copy(uri);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_TRUE(report.ok()) << report.status().ToString() << "\n" << progress_;
  std::cout << "copied " << total << " messages in " << seconds << " s\n" << progress_;
  RecordProperty("copy_seconds", std::to_string(seconds));
  auto target = OpenTarget(uri);
  ASSERT_NE(target, nullptr);

  MessageRepository source_messages(*source_);
  MessageRepository target_messages(*target);
  for (int64_t user : users_) {
    EXPECT_EQ(Describe(*RoomRepository(*target).ListVisible(user)),
              Describe(*RoomRepository(*source_).ListVisible(user)));
  }
  for (int64_t sala : rooms_) {
    for (int64_t reader : {users_[0], users_[5]}) {
      HistoryQuery query{sala, 100, 0, 0, 0, reader};  // every page, oldest first
      while (true) {
        auto before = source_messages.History(query);
        auto after = target_messages.History(query);
        ASSERT_TRUE(before.ok() && after.ok());
        ASSERT_EQ(Describe(*after), Describe(*before)) << "sala " << sala << " após " << query.apos_seq;
        if (before->empty()) break;
        query.apos_seq = before->back().seq;
      }
      ExpectSameHistory(source_messages, target_messages, sala, reader);
    }
  }
  EXPECT_EQ(QueryInt(*target, "SELECT COUNT(*) FROM chat_mensagem"), total);
}

}  // namespace
}  // namespace papo
