#include "sse-pusher/stream_ledger.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace papo::pusher {
namespace {

TEST(StreamLedgerTest, APendingTokenCountsOnlyOnceConfirmed) {
  StreamLedger ledger("p1", 100);
  uint64_t first = ledger.Begin(7);
  EXPECT_EQ(first, 100u);
  EXPECT_EQ(ledger.pending(7), 1u);
  EXPECT_EQ(ledger.held(7), 0u);
  ledger.Confirm(7, first);
  EXPECT_EQ(ledger.pending(7), 0u);
  EXPECT_EQ(ledger.held(7), 1u);
  uint64_t second = ledger.Begin(7);
  EXPECT_NE(second, first);
  ledger.Drop(7, second);  // refused: forgotten
  EXPECT_EQ(ledger.held(7), 1u);
  EXPECT_EQ(ledger.pending(7), 0u);
}

TEST(StreamLedgerTest, ReleaseGivesBackAHeldTokenAndForgetsAnEmptyUser) {
  StreamLedger ledger("p1", 1);
  uint64_t a = ledger.Begin(7);
  uint64_t b = ledger.Begin(7);
  ledger.Confirm(7, a);
  ledger.Confirm(7, b);
  auto released = ledger.Release(7);
  ASSERT_TRUE(released.has_value());
  EXPECT_TRUE(*released == a || *released == b);
  EXPECT_EQ(ledger.held(7), 1u);
  EXPECT_TRUE(ledger.Release(7).has_value());
  EXPECT_FALSE(ledger.Release(7).has_value());  // holds none: nothing to give back
  EXPECT_EQ(ledger.users(), 0u);
  EXPECT_FALSE(ledger.Release(8).has_value());
}

TEST(StreamLedgerTest, ReleaseNeverTakesAPendingToken) {
  StreamLedger ledger("p1", 1);
  ledger.Begin(7);
  EXPECT_FALSE(ledger.Release(7).has_value());
  EXPECT_EQ(ledger.pending(7), 1u);
}

TEST(StreamLedgerTest, ConfirmingAnUnknownTokenChangesNothing) {
  StreamLedger ledger("p1", 1);
  ledger.Confirm(7, 42);
  EXPECT_EQ(ledger.held(7), 0u);
  EXPECT_EQ(ledger.users(), 0u);
}

TEST(StreamLedgerTest, MembersCarryThePusherAndTheToken) {
  StreamLedger ledger("host-1", 5);
  EXPECT_EQ(ledger.Member(ledger.Begin(3)), "host-1:5");
  EXPECT_EQ(ledger.prefix(), "host-1:");
}

TEST(StreamLedgerTest, RefreshListsHeldAndPendingApartAndStaleUsersOnce) {
  StreamLedger ledger("p", 1);
  ledger.Confirm(1, ledger.Begin(1));
  ledger.Begin(1);  // in flight
  ledger.Confirm(2, ledger.Begin(2));
  ledger.MarkStale(2);  // has streams: listed once, with them
  ledger.MarkStale(9);  // none left: listed empty, so that our stale members go
  auto batches = ledger.RefreshBatches(100, 100);
  ASSERT_EQ(batches.size(), 1u);
  auto& entries = batches[0];
  ASSERT_EQ(entries.size(), 3u);
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.usuario_id < b.usuario_id; });
  EXPECT_EQ(entries[0].usuario_id, 1);
  EXPECT_EQ(entries[0].held, (std::vector<std::string>{"p:1"}));
  EXPECT_EQ(entries[0].pending, (std::vector<std::string>{"p:2"}));
  EXPECT_EQ(entries[1].usuario_id, 2);
  EXPECT_EQ(entries[1].held.size(), 1u);
  EXPECT_EQ(entries[2].usuario_id, 9);
  EXPECT_TRUE(entries[2].held.empty());
  EXPECT_TRUE(entries[2].pending.empty());
  // Stale users are listed once; the next refresh has only users with streams.
  auto again = ledger.RefreshBatches(100, 100);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].size(), 2u);
}

TEST(StreamLedgerTest, RefreshBatchesAreBoundedByUsersAndMembers) {
  StreamLedger ledger("p", 1);
  for (int64_t user = 1; user <= 10; ++user) {
    for (int i = 0; i < 3; ++i) ledger.Confirm(user, ledger.Begin(user));
  }
  auto by_users = ledger.RefreshBatches(4, 1000);
  ASSERT_EQ(by_users.size(), 3u);  // 4 + 4 + 2
  EXPECT_EQ(by_users[0].size(), 4u);
  EXPECT_EQ(by_users[2].size(), 2u);
  auto by_members = ledger.RefreshBatches(100, 7);  // 3 members per user: 2 users a batch
  ASSERT_EQ(by_members.size(), 5u);
  size_t users = 0;
  for (const auto& batch : by_members) {
    EXPECT_LE(batch.size(), 2u);
    users += batch.size();
  }
  EXPECT_EQ(users, 10u);
  auto oversized = ledger.RefreshBatches(100, 2);  // a user with more than the bound stays whole
  EXPECT_EQ(oversized.size(), 10u);
}

}  // namespace
}  // namespace papo::pusher
