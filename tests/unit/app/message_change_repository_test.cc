// MessageChangeRepository and the conversation fields of the read path
// (DESIGN §9), on both backends (the suite's name starts with Repository).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "fcgi-app/db/message_change_repository.h"
#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/db/migrations.h"
#include "fcgi-app/db/user_repository.h"
#include "tests/unit/app/people_database_test.h"

namespace papo {
namespace {

class RepositoryChangesTest : public testing::PeopleDatabaseTest {
 protected:
  void SetUp() override {
    PeopleDatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    messages_store_ = std::make_unique<MessageRepository>(*db_);
    changes_store_ = std::make_unique<MessageChangeRepository>(*db_, *messages_store_);
  }
  MessageRepository& messages() { return *messages_store_; }
  MessageChangeRepository& changes() { return *changes_store_; }
  ChatMessage Send(int64_t user, const std::string& text, int64_t sala = 1) {
    NewMessage message{sala, user, "n", text, "", 1000};
    auto inserted = messages().Insert(message);
    EXPECT_TRUE(inserted.ok()) << inserted.status().ToString();
    return inserted.ok() ? inserted->message : ChatMessage{};
  }
  std::vector<ChatMessage> Page(int64_t reader, int64_t sala = 1) {
    HistoryQuery query;
    query.sala_id = sala;
    query.limit = 200;
    query.reader_id = reader;
    auto page = messages().History(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? *page : std::vector<ChatMessage>{};
  }
  void React(int64_t id, int64_t user, const std::string& emoji, bool ativo, int64_t now) {
    auto changed = changes().React(id, user, emoji, ativo, now);
    ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  }

  // Built once db_ is open (SetUp).
  std::unique_ptr<MessageRepository> messages_store_;
  std::unique_ptr<MessageChangeRepository> changes_store_;
};

TEST_F(RepositoryChangesTest, APageReadsReactionsByFirstUseWithMinhaPerReader) {
  ChatMessage first = Send(ana_, "um");
  ChatMessage second = Send(bruno_, "dois");
  React(first.id, bruno_, "🎉", true, 10);
  React(first.id, ana_, "👍", true, 20);
  React(first.id, carla_, "🎉", true, 30);
  React(second.id, ana_, "👀", true, 5);
  auto for_ana = Page(ana_);
  ASSERT_EQ(for_ana.size(), 2u);
  ASSERT_EQ(for_ana[0].reacoes.size(), 2u);
  EXPECT_EQ(for_ana[0].reacoes[0].emoji, "🎉");  // first used at 10
  EXPECT_EQ(for_ana[0].reacoes[0].total, 2);
  EXPECT_FALSE(for_ana[0].reacoes[0].minha);
  EXPECT_EQ(for_ana[0].reacoes[1].emoji, "👍");
  EXPECT_TRUE(for_ana[0].reacoes[1].minha);
  ASSERT_EQ(for_ana[1].reacoes.size(), 1u);
  EXPECT_TRUE(for_ana[1].reacoes[0].minha);
  auto for_carla = Page(carla_);
  EXPECT_TRUE(for_carla[0].reacoes[0].minha);
  EXPECT_FALSE(for_carla[0].reacoes[1].minha);
  EXPECT_FALSE(for_carla[1].reacoes[0].minha);
}

TEST_F(RepositoryChangesTest, ReactingTwiceIsOneReactionAndTakingBackAnAbsentOneChangesNothing) {
  ChatMessage message = Send(ana_, "oi");
  auto added = changes().React(message.id, bruno_, "👍", true, 10);
  ASSERT_TRUE(added.ok());
  EXPECT_TRUE(added->changed);
  EXPECT_EQ(added->total, 1);
  auto again = changes().React(message.id, bruno_, "👍", true, 11);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->total, 1);
  auto absent = changes().React(message.id, carla_, "👍", false, 12);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->changed);
  auto removed = changes().React(message.id, bruno_, "👍", false, 13);
  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(removed->changed);
  EXPECT_EQ(removed->total, 0);
  EXPECT_TRUE(removed->message.reacoes.empty());
}

TEST_F(RepositoryChangesTest, AChangeIsPositionedAtTheRoomsNewestSeqAndKeepsItsOwn) {
  ChatMessage message = Send(ana_, "original");
  Send(bruno_, "outra");
  Send(bruno_, "mais uma");
  auto edited = changes().Edit(message.id, "novo", 5000, ana_);
  ASSERT_TRUE(edited.ok()) << edited.status().ToString();
  EXPECT_EQ(edited->position, 3);
  EXPECT_EQ(edited->message.seq, message.seq);
  EXPECT_EQ(edited->message.mensagem, "novo");
  EXPECT_EQ(edited->message.editada_em_ms, 5000);
  EXPECT_EQ(changes().Edit(999'999, "x", 1, ana_).status().code(), Status::Code::kNotFound);
}

TEST_F(RepositoryChangesTest, DeletionLeavesATombstoneWithoutReactionsOrMentions) {
  ChatMessage message = Send(ana_, "com @Bruno");
  React(message.id, bruno_, "👍", true, 10);
  ASSERT_TRUE(db_->Exec("INSERT INTO mencao (mensagem_id, usuario_id, sala_id, seq) VALUES (" +
                        std::to_string(message.id) + ", " + std::to_string(bruno_) + ", 1, " +
                        std::to_string(message.seq) + ")").ok());
  EXPECT_EQ(Page(ana_)[0].mencoes, std::vector<int64_t>{bruno_});
  auto deleted = changes().Delete(message.id, ana_);
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(deleted->changed);
  EXPECT_TRUE(deleted->message.excluida);
  EXPECT_EQ(deleted->message.mensagem, "");
  EXPECT_EQ(testing::QueryInt(*db_, "SELECT COUNT(*) FROM reacao"), 0);
  EXPECT_EQ(testing::QueryInt(*db_, "SELECT COUNT(*) FROM mencao"), 0);
  auto again = changes().Delete(message.id, ana_);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(changes().Edit(message.id, "de volta", 1, ana_).status().code(), Status::Code::kConflict);
  EXPECT_EQ(changes().React(message.id, bruno_, "👍", true, 1).status().code(), Status::Code::kConflict);
  auto page = Page(bruno_);
  ASSERT_EQ(page.size(), 1u);
  EXPECT_TRUE(page[0].excluida);
  EXPECT_EQ(page[0].seq, message.seq);
  EXPECT_TRUE(page[0].mencoes.empty());
}

// Reactions from other connections racing a deletion never outlive it:
// the deletion and each reaction lock the message's row in turn.
TEST_F(RepositoryChangesTest, ReactionsRacingADeletionNeverSurviveTheTombstone) {
  ChatMessage message = Send(ana_, "disputada");
  std::atomic<bool> deleting{false};
  std::atomic<int> errors{0};
  std::atomic<int> reacted{0};
  std::vector<std::thread> reactors;
  for (int64_t user : {bruno_, carla_}) {
    reactors.emplace_back([&, user] {
      auto db = test_db_.Open();
      MessageRepository messages(*db);
      MessageChangeRepository changes(*db, messages);
      for (int i = 0; i < 60; ++i) {
        auto result = changes.React(message.id, user, i % 2 ? "👍" : "🎉", true, i);
        if (!result.ok() && result.status().code() != Status::Code::kConflict) ++errors;
        if (!result.ok() && !deleting.load()) ++errors;  // refused before the deletion began
        ++reacted;
      }
    });
  }
  while (reacted.load() < 10) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // mid-stream
  deleting = true;
  auto result = changes().Delete(message.id, ana_);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  for (auto& thread : reactors) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(testing::QueryInt(*db_, "SELECT COUNT(*) FROM reacao WHERE mensagem_id = " + std::to_string(message.id)), 0);
}

TEST_F(RepositoryChangesTest, OwnMessagesReadByAnotherUserAreLida) {
  ChatMessage first = Send(ana_, "um");
  ChatMessage second = Send(ana_, "dois");
  ChatMessage theirs = Send(bruno_, "três");
  ASSERT_TRUE(messages().MarkRead(1, ana_, theirs.seq).ok());  // her own reading changes nothing for her
  auto page = Page(ana_);
  EXPECT_EQ(page[0].status, MessageStatus::kSent);
  ASSERT_TRUE(messages().MarkRead(1, bruno_, first.seq).ok());
  page = Page(ana_);
  EXPECT_EQ(page[0].status, MessageStatus::kRead);
  EXPECT_EQ(page[1].status, MessageStatus::kSent);
  EXPECT_EQ(page[2].status, MessageStatus::kSent);  // Bruno's: status is for the author only
  EXPECT_EQ(second.seq, page[1].seq);
}

TEST_F(RepositoryChangesTest, NewlyReadAuthorsNamesEachAuthorsNewestMessageOnce) {
  ChatMessage a1 = Send(ana_, "a1");
  ChatMessage b1 = Send(bruno_, "b1");
  ChatMessage a2 = Send(ana_, "a2");
  ChatMessage c1 = Send(carla_, "c1");
  // Carla reads up to a2: Ana's a2 and Bruno's b1 are newly read; her own c1 is not reported.
  auto read = messages().NewlyReadAuthors(1, carla_, 0, c1.seq);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 2u);
  std::vector<std::pair<int64_t, int64_t>> got;
  for (const auto& entry : *read) got.emplace_back(entry.autor_id, entry.mensagem_id);
  EXPECT_NE(std::find(got.begin(), got.end(), std::make_pair(ana_, a2.id)), got.end());
  EXPECT_NE(std::find(got.begin(), got.end(), std::make_pair(bruno_, b1.id)), got.end());
  ASSERT_TRUE(messages().MarkRead(1, carla_, c1.seq).ok());
  // Bruno then reads everything: Ana's a2 was already read by Carla, Carla's c1 is new.
  read = messages().NewlyReadAuthors(1, bruno_, 0, c1.seq);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ(read->front().autor_id, carla_);
  EXPECT_EQ(read->front().seq, c1.seq);
  EXPECT_EQ(a1.seq, 1);
}

}  // namespace
}  // namespace papo
