// DirectMessageRepository and the room list's queries (RoomListRepository,
// RoomRepository::SummariesOf) on both backends: one room per pair, what
// the room's rows hold, the list's order by activity and what each user
// sees of a direct message.
#include "fcgi-app/db/direct_message_repository.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/db/migrations.h"
#include "fcgi-app/db/room_list_repository.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/db/user_repository.h"
#include "tests/unit/app/people_database_test.h"

namespace papo {
namespace {

using Ids = std::vector<int64_t>;

class RepositoryDirectMessagesTest : public testing::PeopleDatabaseTest {
 protected:
  void SetUp() override {
    PeopleDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    auto seeded = RoomListRepository(*db_).Ordered(ana_);
    ASSERT_TRUE(seeded.ok());
    for (const auto& room : *seeded) seeds_.push_back(room.id);
  }
  bool IsSeed(int64_t id) const { return std::find(seeds_.begin(), seeds_.end(), id) != seeds_.end(); }
  void Send(int64_t sala, int64_t user, int64_t data_envio) {
    auto inserted = Store(sala, user, "oi", data_envio);
    EXPECT_TRUE(inserted.ok()) << inserted.status().ToString();
  }
  // The ids of Ordered(user) but the seed rooms.
  Ids OrderedIds(int64_t user) {
    auto rooms = RoomListRepository(*db_).Ordered(user);
    EXPECT_TRUE(rooms.ok()) << rooms.status().ToString();
    Ids ids;
    if (!rooms.ok()) return ids;
    for (const auto& room : *rooms) {
      if (!IsSeed(room.id)) ids.push_back(room.id);
    }
    return ids;
  }

  Ids seeds_;
};

TEST_F(RepositoryDirectMessagesTest, CreateMakesOnePrivateRoomOfThePairWithBothAsPlainMembers) {
  DirectMessageRepository direct(*db_);
  UserPair pair = MakeUserPair(bruno_, ana_);
  EXPECT_EQ(pair.menor, ana_);
  EXPECT_EQ(pair.maior, bruno_);
  auto none = direct.Find(pair);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto created = direct.Create(pair, bruno_, 5000);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_TRUE(created->created);
  int64_t sala = created->sala_id;
  auto found = direct.Find(pair);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ(**found, sala);
  std::string id = std::to_string(sala);
  EXPECT_EQ(testing::QueryInt(*db_, "SELECT direta * 10 + privada FROM sala WHERE id = " + id), 11);
  EXPECT_EQ(testing::QueryInt(*db_, "SELECT criado_por FROM sala WHERE id = " + id), bruno_);
  EXPECT_EQ(testing::QueryText(*db_, "SELECT nome FROM sala WHERE id = " + id), DirectRoomKey(pair));
  EXPECT_EQ(DirectRoomKey(pair), "\x01" "dm:" + std::to_string(ana_) + ":" + std::to_string(bruno_));
  EXPECT_EQ(testing::QueryInt(*db_, "SELECT COUNT(*) FROM sala_membro WHERE papel = 'membro' AND sala_id = " + id), 2);
  EXPECT_EQ(testing::QueryInt(*db_, "SELECT COUNT(*) FROM sala_membro WHERE papel = 'dono' AND sala_id = " + id), 0);
  EXPECT_EQ(RoomRepository(*db_).MemberIds(sala).value(), (Ids{ana_, bruno_}));
}

TEST_F(RepositoryDirectMessagesTest, ASecondCreateFromAnotherConnectionFindsTheFirstRoom) {
  auto other = test_db_.Open();
  ASSERT_NE(other, nullptr);
  auto first = DirectMessageRepository(*db_).Create(MakeUserPair(ana_, bruno_), ana_, 5000);
  auto second = DirectMessageRepository(*other).Create(MakeUserPair(bruno_, ana_), bruno_, 6000);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->sala_id, first->sala_id);
  EXPECT_EQ(testing::QueryInt(*db_, "SELECT COUNT(*) FROM conversa_direta"), 1);
  EXPECT_EQ(testing::QueryInt(*db_, "SELECT COUNT(*) FROM sala WHERE direta = 1"), 1);
}

TEST_F(RepositoryDirectMessagesTest, ARoomOfThePairMadeBehindTheLookUpIsAConflict) {
  // What the losing side of two concurrent PostgreSQL transactions sees:
  // the pair's key taken after its look-up. Here the key is taken by a
  // room row alone, which the look-up (conversa_direta) does not see.
  UserPair pair = MakeUserPair(ana_, carla_);
  auto insert = db_->Cached("INSERT INTO sala (nome, nome_chave, descricao, privada, ativa, criado_em, ultimo_seq) "
                            "VALUES (?1, ?1, '', 1, 1, 1, 0)");
  ASSERT_TRUE(insert.ok());
  {
    StatementScope scope(**insert);
    scope->Bind(1, DirectRoomKey(pair));
    ASSERT_TRUE(scope->Run().ok());
  }
  auto created = DirectMessageRepository(*db_).Create(pair, ana_, 5000);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), Status::Code::kConflict);
  EXPECT_EQ(testing::QueryInt(*db_, "SELECT COUNT(*) FROM conversa_direta"), 0) << "rolled back whole";
}

TEST_F(RepositoryDirectMessagesTest, UsersComeByNameUntilTheVisitorStops) {
  std::vector<std::string> names;
  ASSERT_TRUE(DirectMessageRepository(*db_)
                  .ForEachUserByName([&](int64_t, std::string_view nome) {
                    names.emplace_back(nome);
                    return names.size() < 2;
                  })
                  .ok());
  EXPECT_EQ(names, (std::vector<std::string>{"Ana", "Bruno"}));
}

TEST_F(RepositoryDirectMessagesTest, TheListIsOrderedByNewestActivityThenRoomCreation) {
  int64_t quiet = NewRoom("Quieta", false, 2000);
  int64_t busy = NewRoom("Movimentada", false, 1000);
  int64_t secret = NewRoom("Secreta", true, 3000, {bruno_});
  Send(busy, ana_, 9000);
  int64_t dm = DirectMessageRepository(*db_).Create(MakeUserPair(ana_, bruno_), ana_, 4000)->sala_id;
  // Ana: the message (9000), then the DM (4000), the secret room (3000), the quiet one (2000).
  EXPECT_EQ(OrderedIds(ana_), (Ids{busy, dm, secret, quiet}));
  // Carla sees neither the private room nor the pair's DM.
  EXPECT_EQ(OrderedIds(carla_), (Ids{busy, quiet}));
  auto for_bruno = RoomListRepository(*db_).Ordered(bruno_);
  ASSERT_TRUE(for_bruno.ok());
  bool seen = false;
  for (const auto& room : *for_bruno) {
    if (room.id != dm) continue;
    seen = true;
    EXPECT_TRUE(room.direta);
    EXPECT_EQ(room.nome, "Ana") << "named after the other person";
  }
  EXPECT_TRUE(seen);
  ASSERT_TRUE(db_->Exec("UPDATE sala SET arquivada = 1 WHERE id = " + std::to_string(quiet)).ok());
  ASSERT_TRUE(db_->Exec("UPDATE sala SET ativa = 0 WHERE id = " + std::to_string(secret)).ok());
  auto after = RoomListRepository(*db_).Ordered(ana_);
  ASSERT_TRUE(after.ok());
  Ids ids;
  for (const auto& room : *after) {
    if (IsSeed(room.id)) continue;
    ids.push_back(room.id);
    EXPECT_EQ(room.arquivada, room.id == quiet);
  }
  EXPECT_EQ(ids, (Ids{busy, dm, quiet})) << "inactive rooms leave, archived ones stay (flagged)";
}

TEST_F(RepositoryDirectMessagesTest, SummariesComeInTheOrderAskedWithUnreadCountsAndTheViewersName) {
  int64_t first = NewRoom("Primeira", false, 1000);
  int64_t secret = NewRoom("Secreta", true, 1000, {bruno_});
  int64_t dm = DirectMessageRepository(*db_).Create(MakeUserPair(ana_, bruno_), ana_, 4000)->sala_id;
  Send(dm, ana_, 5000);
  Send(dm, ana_, 5001);
  RoomRepository rooms(*db_);
  auto summaries = rooms.SummariesOf(bruno_, {dm, first, secret});
  ASSERT_TRUE(summaries.ok()) << summaries.status().ToString();
  ASSERT_EQ(summaries->size(), 3u);
  EXPECT_EQ((*summaries)[0].room.id, dm);
  EXPECT_EQ((*summaries)[0].room.nome, "Ana");
  EXPECT_EQ((*summaries)[0].room.direta_com, ana_);
  EXPECT_EQ((*summaries)[0].nao_lidas, 2);
  EXPECT_EQ((*summaries)[0].ultima_atividade, 5001);
  EXPECT_EQ((*summaries)[1].room.id, first);
  EXPECT_EQ((*summaries)[2].room.id, secret);
  auto for_carla = rooms.SummariesOf(carla_, {dm, first, secret});
  ASSERT_TRUE(for_carla.ok());
  ASSERT_EQ(for_carla->size(), 1u) << "rooms Carla may not see are left out";
  EXPECT_EQ(for_carla->front().room.id, first);
}

TEST_F(RepositoryDirectMessagesTest, SummariesOfMoreThanOneStatementsWorthComeWhole) {
  Ids ids;
  for (int i = 0; i < 60; ++i) ids.push_back(NewRoom("Sala " + std::to_string(i), false, 1000 + i));
  Ids reversed(ids.rbegin(), ids.rend());
  auto summaries = RoomRepository(*db_).SummariesOf(ana_, reversed);
  ASSERT_TRUE(summaries.ok());
  Ids got;
  for (const auto& summary : *summaries) got.push_back(summary.room.id);
  EXPECT_EQ(got, reversed);
}

}  // namespace
}  // namespace papo
