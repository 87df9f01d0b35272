#include "common/bus/names.h"

#include <gtest/gtest.h>

namespace papo {
namespace {

TEST(BusNamesTest, ChannelsAndKeys) {
  EXPECT_EQ(RoomChannel(7), "papo:{sala:7}");
  EXPECT_EQ(RecentCacheKey(7), "papo:{sala:7}:recentes");
  EXPECT_EQ(PresenceKey(7), "papo:{sala:7}:presenca");
  EXPECT_EQ(PrivateRoomsKey(7), "papo:{usuario:7}:salas-privadas");
  EXPECT_EQ(ListChannelFor(7, false), "papo:lista");
  EXPECT_EQ(ListChannelFor(7, true), "papo:lista:{sala:7}");
  EXPECT_EQ(UserChannel(3), "papo:{usuario:3}");
}

TEST(BusNamesTest, EnvelopeRoundTrips) {
  std::string payload = EncodeEnvelope(EventKind::kMessage, 5, 42, true, "{\"a\":\"x\\ny\"}");
  EXPECT_EQ(payload, "mensagem 5 42 1\n{\"a\":\"x\\ny\"}");
  auto envelope = DecodeEnvelope(payload);
  ASSERT_TRUE(envelope.has_value());
  EXPECT_EQ(envelope->kind, EventKind::kMessage);
  EXPECT_EQ(envelope->sala_id, 5);
  EXPECT_EQ(envelope->seq, 42);
  EXPECT_TRUE(envelope->privada);
  EXPECT_EQ(envelope->json, "{\"a\":\"x\\ny\"}");
}

TEST(BusNamesTest, MalformedEnvelopesAreRefused) {
  EXPECT_FALSE(DecodeEnvelope("mensagem 5 42 1").has_value());         // no newline
  EXPECT_FALSE(DecodeEnvelope("grito 5 42 1\n{}").has_value());        // unknown kind
  EXPECT_FALSE(DecodeEnvelope("mensagem x 42 1\n{}").has_value());     // bad room
  EXPECT_FALSE(DecodeEnvelope("mensagem 5 42 2\n{}").has_value());     // bad flag
  EXPECT_FALSE(DecodeEnvelope("mensagem 5 42 1 9\n{}").has_value());  // extra field
}

TEST(BusNamesTest, PresenceMemberKeepsColonsInNames) {
  std::string member = PresenceMember(9, "host:123", "Ana: a primeira");
  EXPECT_EQ(member, "9:host_123:Ana: a primeira");
  auto entry = ParsePresenceMember(member);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->usuario_id, 9);
  EXPECT_EQ(entry->pusher_id, "host_123");
  EXPECT_EQ(entry->nome, "Ana: a primeira");
  EXPECT_FALSE(ParsePresenceMember("x:y:z").has_value());
}

}  // namespace
}  // namespace papo
