// RoomAdminRepository (fcgi-app/db/room_admin_repository.h) on both
// backends: renaming (the folded name stays unique), archiving (the
// message insert refuses an archived room in the statement that takes the
// seq), ending a membership with its read position and mentions, and the
// member list.
#include "fcgi-app/db/room_admin_repository.h"

#include <gtest/gtest.h>

#include "fcgi-app/db/mention_repository.h"
#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/db/migrations.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/db/user_repository.h"
#include "tests/unit/app/people_database_test.h"

namespace papo {
namespace {

class RepositoryRoomAdminTest : public testing::PeopleDatabaseTest {
 protected:
  int64_t NewRoom(const std::string& nome, bool privada, const std::vector<int64_t>& members = {}) {
    return PeopleDatabaseTest::NewRoom(nome, privada, 5, members);
  }
  Result<InsertedMessage> Send(int64_t sala, int64_t user, const std::string& text = "oi") {
    return Store(sala, user, text);
  }
  int64_t Count(const std::string& sql) { return testing::QueryInt(*db_, sql); }

};

TEST_F(RepositoryRoomAdminTest, UpdateRenamesAndATakenFoldedNameIsAConflict) {
  int64_t sala = NewRoom("Projeto", true);
  NewRoom("Café", false);
  RoomAdminRepository admin(*db_);
  ASSERT_TRUE(admin.Update(sala, "Projeto Novo", "outra descrição").ok());
  auto room = RoomRepository(*db_).Find(sala);
  ASSERT_TRUE(room.ok() && room->has_value());
  EXPECT_EQ((*room)->nome, "Projeto Novo");
  EXPECT_EQ((*room)->descricao, "outra descrição");
  // Another room's name in another case is taken (nome_chave is folded).
  Status taken = admin.Update(sala, "CAFÉ", "");
  EXPECT_EQ(taken.code(), Status::Code::kConflict) << taken.ToString();
  EXPECT_EQ((*RoomRepository(*db_).Find(sala))->nome, "Projeto Novo");
  // Its own name in another case is not.
  EXPECT_TRUE(admin.Update(sala, "PROJETO NOVO", "").ok());
  EXPECT_EQ(admin.Update(9999, "X", "").code(), Status::Code::kNotFound);
}

TEST_F(RepositoryRoomAdminTest, AnArchivedRoomTakesNoMessageUntilUnarchived) {
  int64_t sala = NewRoom("Arquivo", true, {bruno_});
  ASSERT_TRUE(Send(sala, bruno_).ok());
  RoomAdminRepository admin(*db_);
  ASSERT_TRUE(admin.SetArchived(sala, true).ok());
  EXPECT_TRUE((*RoomRepository(*db_).Find(sala))->arquivada);
  auto refused = Send(sala, bruno_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(refused.status().message(), kArchivedRoomRefusal);
  // A non-member is refused as a non-member, archived or not.
  auto outsider = Send(sala, carla_);
  ASSERT_FALSE(outsider.ok());
  EXPECT_NE(outsider.status().message(), kArchivedRoomRefusal);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM chat_mensagem WHERE sala_id = " + std::to_string(sala)), 1);
  EXPECT_EQ(Count("SELECT ultimo_seq FROM sala WHERE id = " + std::to_string(sala)), 1);
  ASSERT_TRUE(admin.SetArchived(sala, false).ok());
  auto sent = Send(sala, bruno_);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(sent->message.seq, 2);
}

TEST_F(RepositoryRoomAdminTest, RemoveMemberForgetsTheirReadPositionAndMentionsThere) {
  int64_t sala = NewRoom("Equipe", true, {bruno_, carla_});
  int64_t outra = NewRoom("Outra", true, {bruno_});
  auto first = Send(sala, ana_, "@Bruno oi");
  auto elsewhere = Send(outra, ana_, "@Bruno oi");
  ASSERT_TRUE(first.ok() && elsewhere.ok());
  MentionRepository mentions(*db_);
  ASSERT_TRUE(mentions.Replace(first->message.id, sala, first->message.seq, {bruno_}).ok());
  ASSERT_TRUE(mentions.Replace(elsewhere->message.id, outra, elsewhere->message.seq, {bruno_}).ok());
  ASSERT_TRUE(MessageRepository(*db_).MarkRead(sala, bruno_, 1).ok());
  ASSERT_TRUE(MessageRepository(*db_).MarkRead(outra, bruno_, 1).ok());

  RoomAdminRepository admin(*db_);
  auto removed = admin.RemoveMember(sala, bruno_);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_TRUE(*removed);
  std::string bruno = std::to_string(bruno_);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sala_membro WHERE usuario_id = " + bruno), 1);  // still in Outra
  EXPECT_EQ(Count("SELECT COUNT(*) FROM leitura WHERE usuario_id = " + bruno + " AND sala_id = " +
                  std::to_string(sala)), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM leitura WHERE usuario_id = " + bruno), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM mencao WHERE usuario_id = " + bruno + " AND sala_id = " +
                  std::to_string(sala)), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM mencao WHERE usuario_id = " + bruno), 1);
  // Their messages stay; they can no longer write there.
  EXPECT_FALSE(Send(sala, bruno_).ok());
  // Twice, or someone who never was a member: false, nothing changed.
  EXPECT_FALSE(*admin.RemoveMember(sala, bruno_));
  // The owner's row is never removed here.
  EXPECT_FALSE(*admin.RemoveMember(sala, ana_));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sala_membro WHERE sala_id = " + std::to_string(sala)), 2);
}

TEST_F(RepositoryRoomAdminTest, MembersAreNamedWithTheOwnerMarked) {
  int64_t sala = NewRoom("Nomes", true, {carla_, bruno_});
  auto members = RoomAdminRepository(*db_).Members(sala);
  ASSERT_TRUE(members.ok()) << members.status().ToString();
  ASSERT_EQ(members->size(), 3u);
  EXPECT_EQ((*members)[0].nome, "Ana");
  EXPECT_TRUE((*members)[0].dono);
  EXPECT_EQ((*members)[1].usuario_id, bruno_);
  EXPECT_FALSE((*members)[1].dono);
  EXPECT_EQ((*members)[2].nome, "Carla");
}

}  // namespace
}  // namespace papo
