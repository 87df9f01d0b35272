// MentionRepository (fcgi-app/db/mention_repository.h) on both backends:
// who may be mentioned in a room, replacing a message's mentions, and the
// unread mention counts of the room list.
#include "fcgi-app/db/mention_repository.h"

#include <gtest/gtest.h>

#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/db/migrations.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/db/user_repository.h"
#include "tests/unit/app/people_database_test.h"

namespace papo {
namespace {

using Ids = std::vector<int64_t>;

class RepositoryMentionsTest : public testing::PeopleDatabaseTest {
 protected:
  int64_t NewRoom(bool privada, const Ids& members = {}) {
    return PeopleDatabaseTest::NewRoom("Sala " + std::to_string(++rooms_), privada, 5, members);
  }
  ChatMessage Send(int64_t sala, int64_t user, const std::string& text = "oi") {
    auto inserted = Store(sala, user, text);
    EXPECT_TRUE(inserted.ok()) << inserted.status().ToString();
    return inserted.ok() ? inserted->message : ChatMessage{};
  }
  static Ids IdsOf(const std::vector<MentionCandidate>& members) {
    Ids ids;
    for (const auto& member : members) ids.push_back(member.id);
    return ids;
  }

  int rooms_ = 0;
};

TEST_F(RepositoryMentionsTest, PrivateRoomMembersAreItsMembersByName) {
  int64_t sala = NewRoom(true, {carla_});
  Send(1, bruno_);  // Bruno uses another room, not this one
  auto members = MentionRepository(*db_).Members(sala, true);
  ASSERT_TRUE(members.ok()) << members.status().ToString();
  EXPECT_EQ(IdsOf(*members), (Ids{ana_, carla_}));
  EXPECT_EQ(members->front().nome, "Ana");
}

TEST_F(RepositoryMentionsTest, PublicRoomMembersAreWhoReadOrWroteThere) {
  int64_t sala = NewRoom(false);
  MentionRepository mentions(*db_);
  EXPECT_EQ(IdsOf(*mentions.Members(sala, false)), Ids{});
  ChatMessage first = Send(sala, bruno_);
  EXPECT_EQ(IdsOf(*mentions.Members(sala, false)), Ids{bruno_});
  ASSERT_TRUE(MessageRepository(*db_).MarkRead(sala, carla_, first.seq).ok());
  Send(sala, bruno_);  // twice, still once
  EXPECT_EQ(IdsOf(*mentions.Members(sala, false)), (Ids{bruno_, carla_}));
}

TEST_F(RepositoryMentionsTest, ReplaceReturnsOnlyTheNewlyMentioned) {
  int64_t sala = NewRoom(false);
  ChatMessage message = Send(sala, ana_);
  MentionRepository mentions(*db_);
  auto first = mentions.Replace(message.id, sala, message.seq, {bruno_});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, Ids{bruno_});
  EXPECT_EQ(*mentions.Replace(message.id, sala, message.seq, {carla_, bruno_, carla_}), Ids{carla_});
  EXPECT_EQ(*mentions.Replace(message.id, sala, message.seq, {carla_}), Ids{});
  EXPECT_EQ(testing::QueryInt(*db_, "SELECT COUNT(*) FROM mencao WHERE mensagem_id = " + std::to_string(message.id)),
            1);
  EXPECT_EQ(*mentions.Replace(message.id, sala, message.seq, {}), Ids{});
  EXPECT_EQ(testing::QueryInt(*db_, "SELECT COUNT(*) FROM mencao"), 0);
}

TEST_F(RepositoryMentionsTest, UnreadCountsArePerRoomBeyondTheReadPosition) {
  int64_t first_room = NewRoom(false);
  int64_t second_room = NewRoom(true, {bruno_});
  MentionRepository mentions(*db_);
  std::vector<ChatMessage> sent;
  for (int64_t sala : {first_room, first_room, second_room}) {
    sent.push_back(Send(sala, ana_, "@Bruno"));
    ASSERT_TRUE(mentions.Replace(sent.back().id, sala, sent.back().seq, {bruno_}).ok());
  }
  auto counts = mentions.UnreadCounts(bruno_);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(*counts, (std::map<int64_t, int64_t>{{first_room, 2}, {second_room, 1}}));
  EXPECT_TRUE(mentions.UnreadCounts(carla_)->empty());

  ASSERT_TRUE(MessageRepository(*db_).MarkRead(first_room, bruno_, sent[0].seq).ok());
  EXPECT_EQ(*mentions.UnreadCounts(bruno_), (std::map<int64_t, int64_t>{{first_room, 1}, {second_room, 1}}));
}

TEST_F(RepositoryMentionsTest, UnreadCountsLeaveDeletedMessagesOut) {
  int64_t sala = NewRoom(false);
  MentionRepository mentions(*db_);
  ChatMessage message = Send(sala, ana_, "@Bruno");
  ASSERT_TRUE(mentions.Replace(message.id, sala, message.seq, {bruno_}).ok());
  EXPECT_EQ(*mentions.UnreadCounts(bruno_), (std::map<int64_t, int64_t>{{sala, 1}}));
  ASSERT_TRUE(db_->Exec("UPDATE chat_mensagem SET excluida = 1, mensagem = '' WHERE id = " + std::to_string(message.id))
                  .ok());
  EXPECT_TRUE(mentions.UnreadCounts(bruno_)->empty());
}

}  // namespace
}  // namespace papo
