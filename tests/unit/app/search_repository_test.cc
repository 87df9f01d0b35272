// SearchRepository (fcgi-app/db/search_repository.h) on both backends:
// whole words without case or accents, every word required, tombstones and
// rooms the reader may not see never found, edits re-indexed, keyset pages;
// and the same ids from SQLite and PostgreSQL for the same data.
#include "fcgi-app/db/search_repository.h"

#include <gtest/gtest.h>

#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/db/migrations.h"
#include "fcgi-app/db/open_database.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/db/user_repository.h"
#include "fcgi-app/services/search_text.h"
#include "tests/support/pg_server.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/app/test_database.h"

namespace papo {
namespace {

using Ids = std::vector<int64_t>;

// The rooms and people of one test database.
class SearchFixture {
 public:
  explicit SearchFixture(Database& db) : db_(db) {
    EXPECT_TRUE(ApplyMigrations(db_).ok());
    UserRepository users(db_);
    ana = *users.Create("Ana", "ana@exemplo.com", "hash", 1);
    bruno = *users.Create("Bruno", "bruno@exemplo.com", "hash", 1);
    carla = *users.Create("Carla", "carla@exemplo.com", "hash", 1);
  }
  int64_t NewRoom(bool privada, const Ids& members = {}) {
    Room room;
    room.nome = "Sala " + std::to_string(++rooms_);
    room.privada = privada;
    room.criado_por = ana;
    room.criado_em = 5;
    auto id = RoomRepository(db_).Create(room, members);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
  int64_t Send(int64_t sala, int64_t user, const std::string& text) {
    NewMessage message{sala, user, "n", text, "", 1000};
    auto inserted = MessageRepository(db_).Insert(message);
    EXPECT_TRUE(inserted.ok()) << inserted.status().ToString();
    return inserted.ok() ? inserted->message.id : 0;
  }
  Ids Find(int64_t user, const std::string& query, int64_t sala = 0, int64_t antes = 0, int limit = 20) {
    MessageSearch search;
    search.usuario_id = user;
    search.words = SearchWords(query);
    search.sala_id = sala;
    search.antes_id = antes;
    search.limit = limit;
    auto ids = SearchRepository(db_).Search(search);
    EXPECT_TRUE(ids.ok()) << ids.status().ToString();
    return ids.ok() ? *ids : Ids{};
  }
  void Exec(const std::string& sql) {
    Status status = db_.Exec(sql);
    EXPECT_TRUE(status.ok()) << sql << ": " << status.ToString();
  }

  int64_t ana = 0;
  int64_t bruno = 0;
  int64_t carla = 0;

 private:
  Database& db_;
  int rooms_ = 0;
};

class RepositorySearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = test_db_.Open();
    ASSERT_NE(db_, nullptr);
    f_ = std::make_unique<SearchFixture>(*db_);
  }
  testing::TestDatabase test_db_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SearchFixture> f_;
};

TEST_F(RepositorySearchTest, IgnoresAccentsAndCaseBothWays) {
  int64_t sala = f_->NewRoom(false);
  int64_t accented = f_->Send(sala, f_->ana, "A AÇÃO começou às três");
  int64_t plain = f_->Send(sala, f_->bruno, "nenhuma acao hoje");
  EXPECT_EQ(f_->Find(f_->carla, "acao"), (Ids{plain, accented}));
  EXPECT_EQ(f_->Find(f_->carla, "Ação"), (Ids{plain, accented}));
  EXPECT_EQ(f_->Find(f_->carla, "COMECOU"), Ids{accented});
  EXPECT_EQ(f_->Find(f_->carla, "tres"), Ids{accented});
}

TEST_F(RepositorySearchTest, MatchesWholeWordsOnly) {
  int64_t sala = f_->NewRoom(false);
  int64_t id = f_->Send(sala, f_->ana, "reunião amanhã");
  EXPECT_EQ(f_->Find(f_->carla, "reuni"), Ids{});
  EXPECT_EQ(f_->Find(f_->carla, "reuniao"), Ids{id});
}

TEST_F(RepositorySearchTest, EveryWordMustAppear) {
  int64_t sala = f_->NewRoom(false);
  int64_t both = f_->Send(sala, f_->ana, "o relatório de vendas está pronto");
  f_->Send(sala, f_->ana, "o relatório atrasou");
  f_->Send(sala, f_->ana, "vendas boas");
  EXPECT_EQ(f_->Find(f_->carla, "vendas relatorio"), Ids{both});
  EXPECT_EQ(f_->Find(f_->carla, "relatorio, vendas!"), Ids{both});
}

TEST_F(RepositorySearchTest, TombstonesAreNeverFound) {
  int64_t sala = f_->NewRoom(false);
  int64_t kept = f_->Send(sala, f_->ana, "segredo guardado");
  int64_t gone = f_->Send(sala, f_->ana, "segredo revelado");
  f_->Exec("UPDATE chat_mensagem SET mensagem = '', excluida = 1 WHERE id = " + std::to_string(gone));
  EXPECT_EQ(f_->Find(f_->carla, "segredo"), Ids{kept});
  EXPECT_EQ(f_->Find(f_->carla, "revelado"), Ids{});
}

TEST_F(RepositorySearchTest, AnEditIsReindexed) {
  int64_t sala = f_->NewRoom(false);
  int64_t id = f_->Send(sala, f_->ana, "encontro na padaria");
  f_->Exec("UPDATE chat_mensagem SET mensagem = 'encontro no café', editada_em = 2000 WHERE id = " +
           std::to_string(id));
  EXPECT_EQ(f_->Find(f_->carla, "padaria"), Ids{});
  EXPECT_EQ(f_->Find(f_->carla, "cafe"), Ids{id});
  EXPECT_EQ(f_->Find(f_->carla, "encontro"), Ids{id});
}

TEST_F(RepositorySearchTest, PrivateRoomsOnlyForTheirMembers) {
  int64_t publica = f_->NewRoom(false);
  int64_t privada = f_->NewRoom(true, {f_->bruno});
  int64_t open = f_->Send(publica, f_->ana, "planilha aberta");
  int64_t closed = f_->Send(privada, f_->bruno, "planilha fechada");
  EXPECT_EQ(f_->Find(f_->bruno, "planilha"), (Ids{closed, open}));
  EXPECT_EQ(f_->Find(f_->carla, "planilha"), Ids{open});
  EXPECT_EQ(f_->Find(f_->carla, "fechada"), Ids{});
  EXPECT_EQ(f_->Find(f_->carla, "planilha", privada), Ids{});
  // Removed from the room (or left it): its messages are gone from the results.
  f_->Exec("DELETE FROM sala_membro WHERE sala_id = " + std::to_string(privada) +
           " AND usuario_id = " + std::to_string(f_->bruno));
  EXPECT_EQ(f_->Find(f_->bruno, "planilha"), Ids{open});
}

// SQLite indexes who may read a message beside its words ('publica', 's<id>'):
// those tokens are never a message's words.
TEST_F(RepositorySearchTest, WordsNeverMatchTheAccessTokens) {
  int64_t publica = f_->NewRoom(false);
  int64_t privada = f_->NewRoom(true, {f_->bruno});
  f_->Send(publica, f_->ana, "oi");
  f_->Send(privada, f_->ana, "oi");
  int64_t said = f_->Send(publica, f_->ana, "a sala é publica");
  EXPECT_EQ(f_->Find(f_->bruno, "publica"), Ids{said});
  EXPECT_EQ(f_->Find(f_->bruno, "s" + std::to_string(privada)), Ids{});
}

TEST_F(RepositorySearchTest, AMemberOfManyPrivateRoomsFindsThemAll) {
  Ids expected;
  for (int i = 0; i < 205; ++i) {
    int64_t sala = f_->NewRoom(true, {f_->bruno});
    if (i % 50 == 0) expected.insert(expected.begin(), f_->Send(sala, f_->ana, "projeto secreto"));
  }
  int64_t other = f_->NewRoom(true);  // Ana's alone
  f_->Send(other, f_->ana, "projeto secreto");
  EXPECT_EQ(f_->Find(f_->bruno, "secreto"), expected);
}

// More messages than PostgreSQL's first window (kPostgresWindow, 5,000)
// since the oldest match: found through the index part of the query.
TEST_F(RepositorySearchTest, OldMatchesBeyondTheNewestMessagesAreFound) {
  int64_t sala = f_->NewRoom(false);
  int64_t privada = f_->NewRoom(true);  // Ana's alone: never Bruno's results
  int64_t old = f_->Send(sala, f_->ana, "tesouro antigo");
  f_->Send(privada, f_->ana, "tesouro escondido");
  f_->Exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) "
           "INSERT INTO chat_mensagem (sala_id, seq, usuario_id, mensagem, data_envio) "
           "SELECT " + std::to_string(sala) + ", i + 100000, " + std::to_string(f_->ana) + ", 'linha ' || i, 1 FROM n");
  int64_t recent = f_->Send(sala, f_->ana, "tesouro novo");
  EXPECT_EQ(f_->Find(f_->bruno, "tesouro"), (Ids{recent, old}));
  EXPECT_EQ(f_->Find(f_->bruno, "antigo"), Ids{old});
  EXPECT_EQ(f_->Find(f_->bruno, "escondido"), Ids{});
  EXPECT_EQ(f_->Find(f_->bruno, "tesouro", 0, recent), Ids{old});
  EXPECT_EQ(f_->Find(f_->bruno, "linha", 0, 0, 3).size(), 3u);
}

TEST_F(RepositorySearchTest, InactiveRoomsAreNotSearched) {
  int64_t sala = f_->NewRoom(false);
  f_->Send(sala, f_->ana, "sala desativada");
  f_->Exec("UPDATE sala SET ativa = 0 WHERE id = " + std::to_string(sala));
  EXPECT_EQ(f_->Find(f_->ana, "desativada"), Ids{});
}

TEST_F(RepositorySearchTest, OneRoomWhenAsked) {
  int64_t one = f_->NewRoom(false);
  int64_t other = f_->NewRoom(false);
  int64_t here = f_->Send(one, f_->ana, "bolo de cenoura");
  f_->Send(other, f_->ana, "bolo de milho");
  EXPECT_EQ(f_->Find(f_->carla, "bolo", one), Ids{here});
}

TEST_F(RepositorySearchTest, PagesByIdStayStableWhileMessagesArrive) {
  int64_t sala = f_->NewRoom(false);
  Ids sent;
  for (int i = 0; i < 7; ++i) sent.push_back(f_->Send(sala, f_->ana, "mensagem número " + std::to_string(i)));
  Ids first = f_->Find(f_->carla, "mensagem", 0, 0, 3);
  EXPECT_EQ(first, (Ids{sent[6], sent[5], sent[4]}));
  f_->Send(sala, f_->bruno, "mensagem nova no meio");  // arrives between two pages
  Ids second = f_->Find(f_->carla, "mensagem", 0, first.back(), 3);
  EXPECT_EQ(second, (Ids{sent[3], sent[2], sent[1]}));
  EXPECT_EQ(f_->Find(f_->carla, "mensagem", 0, second.back(), 3), Ids{sent[0]});
}

TEST_F(RepositorySearchTest, QueryTextCannotInjectSyntax) {
  int64_t sala = f_->NewRoom(false);
  int64_t id = f_->Send(sala, f_->ana, "NEAR OR NOT AND \"aspas\" e 'apóstrofo' *");
  EXPECT_EQ(f_->Find(f_->carla, "\"aspas\" OR"), Ids{id});
  EXPECT_EQ(f_->Find(f_->carla, "'apostrofo' & !x"), Ids{});
  EXPECT_EQ(f_->Find(f_->carla, "apostrofo NOT"), Ids{id});
}

// The same messages through both engines give the same ids (DESIGN §7: the
// backends answer alike). Runs in the PostgreSQL pass, with an SQLite file
// beside it.
TEST(PostgresSearchEquivalenceTest, SameIdsFromBothBackends) {
  testing::TempDir dir;
  auto sqlite = OpenDatabase(dir.File("papo.db"), "normal");
  auto postgres = OpenDatabase(testing::PgServer::Shared().FreshDatabase(), "normal");
  ASSERT_TRUE(sqlite.ok() && postgres.ok());
  SearchFixture a(**sqlite);
  SearchFixture b(**postgres);
  const std::vector<std::string> texts = {
      "Ação rápida na reunião de amanhã", "acao lenta", "Reunião às 15h com o João",
      "joão trouxe pão de queijo", "PÃO QUENTE", "o relatório de vendas", "vendas e relatório 2026",
      "café com leite", "CAFÉ? sim, café!", "Ελληνικά και ελληνικα", "Привет мир", "número 42 e nº 7",
      "e-mail enviado", "ninguém viu", "NINGUEM sabe", "pôr do sol"};
  for (SearchFixture* f : {&a, &b}) {
    int64_t publica = f->NewRoom(false);
    int64_t privada = f->NewRoom(true, {f->bruno});
    for (size_t i = 0; i < texts.size(); ++i) f->Send(i % 3 == 0 ? privada : publica, f->ana, texts[i]);
  }
  for (const char* query : {"acao", "REUNIAO", "joao pao", "pao", "relatorio vendas", "cafe", "ελληνικα",
                            "привет", "42", "mail", "ninguem", "por sol", "amanha acao"}) {
    for (int64_t user : {a.ana, a.bruno, a.carla}) {
      Ids from_sqlite = a.Find(user, query);
      EXPECT_EQ(from_sqlite, b.Find(user, query)) << query << " for user " << user;
      if (std::string(query) == "cafe") {
        EXPECT_EQ(from_sqlite.size(), 2u);
      }
    }
  }
}

}  // namespace
}  // namespace papo
