// Group commit: many request threads, few transactions, every message
// stored once with contiguous seqs; one bad message does not sink its batch.
#include "fcgi-app/services/message_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "fcgi-app/db/migrations.h"
#include "fcgi-app/db/user_repository.h"
#include "tests/unit/app/test_database.h"

namespace papo {
namespace {

class MessageWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = Open();
    ASSERT_TRUE(ApplyMigrations(*db).ok());
    UserRepository users(*db);
    user_ = *users.Create("Ana", "ana@exemplo.com", "hash", 1);
    writer_ = std::make_unique<MessageWriter>(Open());
  }
  std::unique_ptr<Database> Open() { return test_db_.Open(); }
  NewMessage Message(int64_t sala, const std::string& text, const std::string& client_id = "") {
    return NewMessage{sala, user_, "Ana", text, client_id, 1000};
  }

  testing::TestDatabase test_db_;
  int64_t user_ = 0;
  std::unique_ptr<MessageWriter> writer_;
};

TEST_F(MessageWriterTest, ConcurrentSendersGetDistinctContiguousSeqsInFewerTransactions) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 25;
  std::mutex mutex;
  std::set<int64_t> seqs;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto inserted = writer_->Insert(Message(1, "t" + std::to_string(t) + "-" + std::to_string(i)));
        if (!inserted.ok() || !inserted->created) {
          ++failures;
          continue;
        }
        std::lock_guard lock(mutex);
        seqs.insert(inserted->message.seq);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(seqs.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(*seqs.begin(), 1);
  EXPECT_EQ(*seqs.rbegin(), kThreads * kPerThread);
  // Batching happened (not one transaction per message) — the point of it.
  EXPECT_LT(writer_->batches(), static_cast<uint64_t>(kThreads * kPerThread));
  auto db = Open();
  MessageRepository messages(*db);
  HistoryQuery query;
  query.sala_id = 1;
  query.limit = 200;
  query.apos_seq = 0;
  size_t stored = 0;
  while (true) {
    auto page = messages.History(query);
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    stored += page->size();
    query.apos_seq = page->back().seq;
  }
  EXPECT_EQ(stored, seqs.size());
}

TEST_F(MessageWriterTest, AFailingMessageLeavesTheOthersOfItsBatchStored) {
  std::atomic<int> stored{0};
  std::atomic<int> not_found{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&, t] {
      auto inserted = writer_->Insert(Message(t % 3 == 0 ? 424242 : 2, "m"));
      if (inserted.ok()) {
        ++stored;
      } else if (inserted.status().code() == Status::Code::kNotFound) {
        ++not_found;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(stored.load(), 8);
  EXPECT_EQ(not_found.load(), 4);
  auto db = Open();
  MessageRepository messages(*db);
  HistoryQuery query;
  query.sala_id = 2;
  query.limit = 100;
  EXPECT_EQ(messages.History(query)->size(), 8u);
}

TEST_F(MessageWriterTest, RepeatedClientIdIsStoredOnceEvenInTheSameBatch) {
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<int64_t> ids;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto inserted = writer_->Insert(Message(3, "uma vez", "mesmo-id"));
      ASSERT_TRUE(inserted.ok());
      std::lock_guard lock(mutex);
      ids.insert(inserted->message.id);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ids.size(), 1u);
}

}  // namespace
}  // namespace papo
