// The repository layer on a real SQLite file (WAL, several connections).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/db/migrations.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/db/user_repository.h"
#include "fcgi-app/services/message_writer.h"
#include "tests/unit/app/test_database.h"

namespace papo {
namespace {

class RepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = Open();
    ASSERT_TRUE(ApplyMigrations(*db_).ok());
    UserRepository users(*db_);
    ana_ = *users.Create("Ana", "ana@exemplo.com", "hash", 1);
    bruno_ = *users.Create("Bruno", "bruno@exemplo.com", "hash", 1);
  }
  std::unique_ptr<Database> Open() { return test_db_.Open(); }
  InsertedMessage Send(Database& db, int64_t sala, int64_t user, const std::string& text,
                       const std::string& client_id = "") {
    MessageRepository messages(db);
    NewMessage message{sala, user, "n", text, client_id, 1000};
    auto inserted = messages.Insert(message);
    EXPECT_TRUE(inserted.ok()) << inserted.status().ToString();
    return inserted.ok() ? *inserted : InsertedMessage{};
  }

  // A private room `nome` created by Ana (a member), no one else in it.
  int64_t CreatePrivateRoom(const std::string& nome) {
    Room room;
    room.nome = nome;
    room.privada = true;
    room.criado_por = ana_;
    room.criado_em = 5;
    auto id = RoomRepository(*db_).Create(room, {});
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  testing::TestDatabase test_db_;
  std::unique_ptr<Database> db_;
  int64_t ana_ = 0;
  int64_t bruno_ = 0;
};

TEST_F(RepositoryTest, SeqIsContiguousUnderConcurrentInsertsFromSeveralConnections) {
  constexpr int kThreads = 6;
  constexpr int kPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto db = Open();
      MessageRepository messages(*db);
      for (int i = 0; i < kPerThread; ++i) {
        NewMessage message{1, t % 2 ? ana_ : bruno_, "n", "m", "", 1000};
        if (!messages.Insert(message).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  MessageRepository messages(*db_);
  HistoryQuery query;
  query.sala_id = 1;
  query.apos_seq = 0;
  query.limit = 200;
  std::vector<int64_t> seqs;
  while (true) {
    auto page = messages.History(query);
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    for (const auto& message : *page) seqs.push_back(message.seq);
    query.apos_seq = page->back().seq;
  }
  ASSERT_EQ(seqs.size(), static_cast<size_t>(kThreads * kPerThread));
  for (size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], static_cast<int64_t>(i + 1));
  RoomRepository rooms(*db_);
  EXPECT_EQ((*rooms.Find(1))->ultimo_seq, kThreads * kPerThread);
}

TEST_F(RepositoryTest, SeqIsPerRoom) {
  EXPECT_EQ(Send(*db_, 1, ana_, "a").message.seq, 1);
  EXPECT_EQ(Send(*db_, 2, ana_, "b").message.seq, 1);
  EXPECT_EQ(Send(*db_, 1, ana_, "c").message.seq, 2);
}

TEST_F(RepositoryTest, RepeatedClientIdReturnsTheFirstMessage) {
  auto first = Send(*db_, 1, ana_, "uma", "c-1");
  auto again = Send(*db_, 1, ana_, "outra", "c-1");
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.message.id, first.message.id);
  EXPECT_EQ(again.message.mensagem, "uma");
  // Another user may use the same client_id.
  EXPECT_TRUE(Send(*db_, 1, bruno_, "dele", "c-1").created);
  RoomRepository rooms(*db_);
  EXPECT_EQ((*rooms.Find(1))->ultimo_seq, 2);
}

TEST_F(RepositoryTest, InsertIntoUnknownRoomIsNotFoundAndChangesNothing) {
  MessageRepository messages(*db_);
  NewMessage message{999, ana_, "n", "x", "", 1};
  auto inserted = messages.Insert(message);
  ASSERT_FALSE(inserted.ok());
  EXPECT_EQ(inserted.status().code(), Status::Code::kNotFound);
}

TEST_F(RepositoryTest, UnreadCountsLeaveOutOwnMessagesAndFollowReadPosition) {
  for (int i = 0; i < 3; ++i) Send(*db_, 1, ana_, "de ana");
  for (int i = 0; i < 2; ++i) Send(*db_, 1, bruno_, "de bruno");
  MessageRepository messages(*db_);
  EXPECT_EQ(*messages.UnreadCount(1, bruno_), 3);
  EXPECT_EQ(*messages.UnreadCount(1, ana_), 2);
  EXPECT_EQ(*messages.MarkRead(1, bruno_, 2), 2);
  EXPECT_EQ(*messages.UnreadCount(1, bruno_), 1);
  EXPECT_EQ(*messages.MarkRead(1, bruno_, 1), 2) << "read positions never move back";
  EXPECT_EQ(*messages.MarkRead(1, bruno_, 5), 5);
  EXPECT_EQ(*messages.UnreadCount(1, bruno_), 0);
  RoomRepository rooms(*db_);
  auto list = rooms.ListVisible(bruno_);
  ASSERT_TRUE(list.ok());
  for (const auto& summary : *list) {
    if (summary.room.id == 1) {
      EXPECT_EQ(summary.nao_lidas, 0);
      EXPECT_EQ(summary.ultima_atividade, 1000);
    }
  }
  auto receipts = messages.ReadPositions(1, ana_);
  ASSERT_TRUE(receipts.ok());
  ASSERT_EQ(receipts->size(), 1u);
  EXPECT_EQ((*receipts)[0].nome, "Bruno");
}

TEST_F(RepositoryTest, HistoryPagesAreOldestFirst) {
  for (int i = 1; i <= 10; ++i) Send(*db_, 3, ana_, "m" + std::to_string(i));
  MessageRepository messages(*db_);
  HistoryQuery newest;
  newest.sala_id = 3;
  newest.limit = 4;
  auto page = messages.History(newest);
  ASSERT_EQ(page->size(), 4u);
  EXPECT_EQ(page->front().seq, 7);
  EXPECT_EQ(page->back().seq, 10);
  HistoryQuery before = newest;
  before.antes_seq = 7;
  page = messages.History(before);
  EXPECT_EQ(page->front().seq, 3);
  EXPECT_EQ(page->back().seq, 6);
  HistoryQuery offset = newest;
  offset.offset = 8;
  page = messages.History(offset);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ(page->front().seq, 1);
  HistoryQuery reader = newest;
  reader.reader_id = bruno_;
  ASSERT_TRUE(messages.MarkRead(3, bruno_, 8).ok());
  page = messages.History(reader);
  EXPECT_TRUE((*page)[1].lida);   // seq 8
  EXPECT_FALSE((*page)[2].lida);  // seq 9
}

TEST_F(RepositoryTest, PrivateRoomsAreVisibleToMembersOnly) {
  RoomRepository rooms(*db_);
  int64_t id = CreatePrivateRoom("Segredo");
  ASSERT_NE(id, 0);
  auto visible_to = [&](int64_t user) {
    auto visible = rooms.ListVisible(user);  // keep the Result alive through the loop
    for (const auto& summary : *visible) {
      if (summary.room.id == id) return true;
    }
    return false;
  };
  EXPECT_TRUE(visible_to(ana_));
  EXPECT_FALSE(visible_to(bruno_));
  EXPECT_EQ(*rooms.PrivateRoomIdsOf(ana_), std::vector<int64_t>{id});
  EXPECT_TRUE(*rooms.AddMember(id, bruno_));
  EXPECT_FALSE(*rooms.AddMember(id, bruno_));
  EXPECT_TRUE(visible_to(bruno_));
  Room duplicate;
  duplicate.nome = "SEGREDO";
  duplicate.criado_por = ana_;
  duplicate.criado_em = 5;
  auto conflict = rooms.Create(duplicate, {});
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.status().code(), Status::Code::kConflict);
}

TEST_F(RepositoryTest, RoomNameDifferingOnlyInAccentedCaseIsTaken) {
  RoomRepository rooms(*db_);
  Room room;
  room.criado_por = ana_;
  room.criado_em = 5;
  room.nome = "SUPORTE TÉCNICO";  // the seed has "Suporte Técnico"
  auto seed_variant = rooms.Create(room, {});
  ASSERT_FALSE(seed_variant.ok());
  EXPECT_EQ(seed_variant.status().code(), Status::Code::kConflict);
  room.nome = "ééé";
  ASSERT_TRUE(rooms.Create(room, {}).ok());
  room.nome = "ÉÉÉ";
  auto upper = rooms.Create(room, {});
  ASSERT_FALSE(upper.ok());
  EXPECT_EQ(upper.status().code(), Status::Code::kConflict);
  room.nome = "Çá e Ωμέγα";
  ASSERT_TRUE(rooms.Create(room, {}).ok());
  room.nome = "çÁ E ΩΜΈΓΑ";
  EXPECT_EQ(rooms.Create(room, {}).status().code(), Status::Code::kConflict);
}

}  // namespace
}  // namespace papo

namespace papo {
namespace {

// Texts that quoting, array literals or text protocols could mangle come
// back byte for byte, on both backends.
TEST_F(RepositoryTest, TextsComeBackByteForByte) {
  const std::vector<std::string> texts = {"aspas \" e 'simples'", "barra \\ invertida \\\\", "{chaves},vírgula",
                                          "tab\tnova\nlinha\r", "NULL", "emoji 🎉👩‍👩‍👧 e acentuação", "?1 $1 %s"};
  MessageWriter writer(Open());
  std::vector<std::thread> threads;
  for (const auto& text : texts) {
    threads.emplace_back([&writer, &text, this] {
      auto inserted = writer.Insert(NewMessage{1, ana_, "Ana", text, "c-" + text, 1000});
      EXPECT_TRUE(inserted.ok()) << inserted.status().ToString();
    });
  }
  for (auto& thread : threads) thread.join();
  MessageRepository messages(*db_);
  for (const auto& text : texts) {
    auto found = messages.FindByClientId(ana_, "c-" + text);
    ASSERT_TRUE(found.ok() && found->has_value()) << text;
    EXPECT_EQ((*found)->mensagem, text);
  }
  HistoryQuery query;
  query.sala_id = 1;
  query.limit = 50;
  auto history = messages.History(query);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), texts.size());
  for (size_t i = 0; i < history->size(); ++i) EXPECT_EQ((*history)[i].seq, static_cast<int64_t>(i + 1));
}

// A batch mixing good messages, an unknown room and a repeat: each gets its
// own answer and the good ones are stored with contiguous seqs.
TEST_F(RepositoryTest, OneBadMessageDoesNotSinkItsBatch) {
  Send(*db_, 2, ana_, "primeira", "repetida");
  MessageRepository messages(*db_);
  NewMessage good1{2, ana_, "Ana", "boa 1", "", 1};
  NewMessage unknown{999, ana_, "Ana", "sala inexistente", "", 1};
  NewMessage repeat{2, ana_, "Ana", "de novo", "repetida", 1};
  NewMessage good2{1, bruno_, "Bruno", "boa 2", "b-1", 1};
  auto results = messages.InsertBatch({&good1, &unknown, &repeat, &good2});
  ASSERT_EQ(results.size(), 4u);
  ASSERT_TRUE(results[0].ok());
  EXPECT_TRUE(results[0]->created);
  EXPECT_EQ(results[0]->message.seq, 2);
  EXPECT_EQ(results[0]->message.mensagem, "boa 1");
  EXPECT_EQ(results[1].status().code(), Status::Code::kNotFound);
  ASSERT_TRUE(results[2].ok());
  EXPECT_FALSE(results[2]->created);
  EXPECT_EQ(results[2]->message.seq, 1);
  EXPECT_EQ(results[2]->message.mensagem, "primeira");
  ASSERT_TRUE(results[3].ok());
  EXPECT_EQ(results[3]->message.seq, 1);
  EXPECT_EQ(results[3]->message.sala_id, 1);
  RoomRepository rooms(*db_);
  EXPECT_EQ((*rooms.Find(2))->ultimo_seq, 2);
  EXPECT_EQ((*rooms.Find(1))->ultimo_seq, 1);
}

// Two hosts store the same user's client_id at once: the second waits on
// the first's uncommitted row, then answers the first message, and the
// room's seq has no hole. Only PostgreSQL has writers that can overlap.
class PostgresRepositoryTest : public RepositoryTest {};

TEST_F(PostgresRepositoryTest, AClientIdRacingAnotherHostAnswersTheFirstMessage) {
  ASSERT_EQ(db_->backend(), Backend::kPostgres);
  auto host_a = Open();
  ASSERT_TRUE(host_a->BeginWrite().ok());
  {
    auto statement = host_a->Cached("SELECT o_resultado FROM papo_gravar_mensagem(1, ?1, 'de A', 1, 'corrida')");
    ASSERT_TRUE(statement.ok());
    StatementScope scope(**statement);
    scope->Bind(1, ana_);
    auto row = scope->Step();
    ASSERT_TRUE(row.ok() && *row) << row.status().ToString();
    EXPECT_EQ(scope->ColumnText(0), "gravada");
  }
  std::optional<Result<InsertedMessage>> from_b;
  std::thread host_b([&] {
    auto db = Open();
    MessageRepository messages(*db);
    NewMessage message{1, ana_, "Ana", "de B", "corrida", 2};
    from_b.emplace(messages.Insert(message));
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // B is now waiting on A's row
  ASSERT_TRUE(host_a->Commit().ok());
  host_b.join();
  ASSERT_TRUE(from_b.has_value() && from_b->ok()) << from_b->status().ToString();
  EXPECT_FALSE((*from_b)->created);
  EXPECT_EQ((*from_b)->message.mensagem, "de A");
  EXPECT_EQ((*from_b)->message.seq, 1);
  EXPECT_EQ(Send(*db_, 1, bruno_, "depois").message.seq, 2);
}

}  // namespace
}  // namespace papo

namespace papo {
namespace {

TEST_F(RepositoryTest, FindForUserTellsMembershipInOneAnswer) {
  RoomRepository rooms(*db_);
  int64_t sala = CreatePrivateRoom("Segredo");
  Send(*db_, sala, ana_, "oi");

  auto for_ana = rooms.FindForUser(sala, ana_);
  ASSERT_TRUE(for_ana.ok() && for_ana->has_value()) << for_ana.status().ToString();
  EXPECT_TRUE((*for_ana)->member);
  EXPECT_TRUE((*for_ana)->room.privada);
  EXPECT_EQ((*for_ana)->room.ultimo_seq, 1);

  auto for_bruno = rooms.FindForUser(sala, bruno_);
  ASSERT_TRUE(for_bruno.ok() && for_bruno->has_value());
  EXPECT_FALSE((*for_bruno)->member);

  auto unknown = rooms.FindForUser(999, ana_);
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
}

// The write checks the access rule itself: a private room takes messages
// from members only, and says so apart from an unknown room.
TEST_F(RepositoryTest, APrivateRoomTakesMessagesFromMembersOnly) {
  RoomRepository rooms(*db_);
  int64_t sala = CreatePrivateRoom("Só membros");
  MessageRepository messages(*db_);
  NewMessage from_bruno{sala, bruno_, "Bruno", "posso?", "", 1};
  auto refused = messages.Insert(from_bruno);
  EXPECT_EQ(refused.status().code(), Status::Code::kPermissionDenied) << refused.status().ToString();
  NewMessage from_ana{sala, ana_, "Ana", "minha sala", "", 1};
  auto stored = messages.Insert(from_ana);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_TRUE(stored->privada);
  EXPECT_EQ(stored->message.seq, 1) << "the refused message took no seq";
  ASSERT_TRUE(rooms.AddMember(sala, bruno_).ok());
  auto now_member = messages.Insert(from_bruno);
  ASSERT_TRUE(now_member.ok()) << now_member.status().ToString();
  EXPECT_EQ(now_member->message.seq, 2);
  auto public_room = messages.Insert(NewMessage{1, bruno_, "Bruno", "pública", "", 1});
  ASSERT_TRUE(public_room.ok());
  EXPECT_FALSE(public_room->privada);
}

}  // namespace
}  // namespace papo
