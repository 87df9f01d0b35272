// SessionCache: used only in sync with the logout feed, never past its age
// or the session's expiry, and never over a logout it heard during a lookup.
#include "fcgi-app/services/session_cache.h"

#include <gtest/gtest.h>

namespace papo {
namespace {

Session MakeSession(const std::string& token_hash, int64_t expira_em) {
  Session session;
  session.usuario_id = 7;
  session.nome = "Ana";
  session.token_hash = token_hash;
  session.expira_em = expira_em;
  return session;
}

TEST(SessionCacheTest, OutOfSyncItKeepsAndAnswersNothing) {
  SessionCache cache;
  cache.Put(MakeSession("h1", 100'000), "s1", 0, cache.Version());
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.Find("h1", 1).has_value());
}

TEST(SessionCacheTest, InSyncItAnswersWhatItKept) {
  SessionCache cache;
  cache.SetInSync(true);
  cache.Put(MakeSession("h1", 100'000), "s1", 0, cache.Version());
  auto found = cache.Find("h1", 1);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->usuario_id, 7);
  EXPECT_FALSE(cache.Find("h2", 1).has_value());
}

TEST(SessionCacheTest, LeavingSyncForgetsEverything) {
  SessionCache cache;
  cache.SetInSync(true);
  cache.Put(MakeSession("h1", 100'000), "s1", 0, cache.Version());
  cache.SetInSync(false);
  cache.SetInSync(true);
  EXPECT_FALSE(cache.Find("h1", 1).has_value());
}

TEST(SessionCacheTest, AnEntryLivesAtMostMaxAgeAndNeverPastExpiry) {
  SessionCache cache;
  cache.SetInSync(true);
  cache.Put(MakeSession("velha", 1'000'000), "s1", 0, cache.Version());
  EXPECT_TRUE(cache.Find("velha", SessionCache::kMaxAgeMs - 1).has_value());
  EXPECT_FALSE(cache.Find("velha", SessionCache::kMaxAgeMs).has_value());
  cache.Put(MakeSession("expira", 500), "s2", 0, cache.Version());
  EXPECT_TRUE(cache.Find("expira", 499).has_value());
  EXPECT_FALSE(cache.Find("expira", 500).has_value());
}

TEST(SessionCacheTest, AnnouncedAndLocalLogoutsForgetTheSession) {
  SessionCache cache;
  cache.SetInSync(true);
  cache.Put(MakeSession("h1", 100'000), "s1", 0, cache.Version());
  cache.Put(MakeSession("h2", 100'000), "s2", 0, cache.Version());
  cache.ForgetAnnounced("s1");
  EXPECT_FALSE(cache.Find("h1", 1).has_value());
  EXPECT_TRUE(cache.Find("h2", 1).has_value());
  cache.Forget("h2");
  EXPECT_FALSE(cache.Find("h2", 1).has_value());
  cache.ForgetAnnounced("nunca-visto");  // harmless
  EXPECT_EQ(cache.size(), 0u);
}

// A lookup read the session from the database; before it could keep it,
// the session's logout was announced: what it read is stale.
TEST(SessionCacheTest, ALogoutHeardDuringALookupIsNotCachedOver) {
  SessionCache cache;
  cache.SetInSync(true);
  uint64_t before_lookup = cache.Version();
  cache.ForgetAnnounced("s1");
  cache.Put(MakeSession("h1", 100'000), "s1", 0, before_lookup);
  EXPECT_FALSE(cache.Find("h1", 1).has_value());
  cache.Put(MakeSession("h1", 100'000), "s1", 0, cache.Version());
  EXPECT_TRUE(cache.Find("h1", 1).has_value());
}

}  // namespace
}  // namespace papo
