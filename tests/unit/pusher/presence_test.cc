#include "sse-pusher/presence.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace papo::pusher {
namespace {

TEST(RoomPresenceTest, AUserWithSeveralStreamsIsOnePerson) {
  RoomPresence presence;
  EXPECT_TRUE(presence.Add(1, "Ana"));
  EXPECT_FALSE(presence.Add(1, "Ana"));  // a second tab: no change
  EXPECT_TRUE(presence.Add(2, "Bia"));
  EXPECT_EQ(presence.user_count(), 2u);
  EXPECT_FALSE(presence.Remove(1));      // one tab left
  EXPECT_TRUE(presence.Remove(1));
  EXPECT_FALSE(presence.Remove(1));      // unknown: nothing to do
  EXPECT_EQ(presence.user_count(), 1u);
}

TEST(RoomPresenceTest, MembersCarryUserPusherAndName) {
  RoomPresence presence;
  presence.Add(7, "Zé: o próprio");
  presence.Add(3, "Ana");
  auto members = presence.Members("host-1");
  std::sort(members.begin(), members.end());
  EXPECT_EQ(members, (std::vector<std::string>{"3:host-1:Ana", "7:host-1:Zé: o próprio"}));
}

}  // namespace
}  // namespace papo::pusher
