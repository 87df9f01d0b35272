// The bus's round trip on a real redis-server (DESIGN §8): every operation
// papo-app and papo-pusher perform on the bus is run as they run it, and
// every publish it produced is caught by a subscriber and decoded with the
// bus's own decoders. A format changed on one side only (C++ builder, Lua
// prelude, envelope) fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "common/bus/names.h"
#include "common/bus/payloads.h"
#include "common/bus/scripts.h"
#include "common/redis_client.h"
#include "common/redis_publisher.h"
#include "common/time_format.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {
namespace {

struct Published {
  std::string channel;
  std::string payload;
};

class BusRoundTripTest : public ::testing::Test {
 protected:
  void SetUp() override {
    subscriber_ = redis_.Client();
    auto subscribed = subscriber_->Command({"PSUBSCRIBE", "papo:*"});
    ASSERT_TRUE(subscribed.ok()) << subscribed.status().message();
    client_ = redis_.Client();
  }

  // The next `count` publishes, in order.
  std::vector<Published> Next(size_t count) {
    std::vector<Published> out;
    while (out.size() < count) {
      auto push = subscriber_->NextPush();
      if (!push.ok()) break;
      const redisReply* r = push->get();
      if (r->type != REDIS_REPLY_ARRAY || r->elements != 4) continue;  // pmessage pattern channel payload
      out.push_back({std::string(r->element[2]->str, r->element[2]->len),
                     std::string(r->element[3]->str, r->element[3]->len)});
    }
    return out;
  }

  // Decodes `published` as an envelope of `kind` about `sala_id`; its JSON.
  static std::string Envelope(const Published& published, EventKind kind, int64_t sala_id, bool privada) {
    auto envelope = DecodeEnvelope(published.payload);
    EXPECT_TRUE(envelope.has_value()) << published.payload;
    if (!envelope) return {};
    EXPECT_EQ(envelope->kind, kind) << published.payload;
    EXPECT_EQ(envelope->sala_id, sala_id) << published.payload;
    EXPECT_EQ(envelope->privada, privada) << published.payload;
    return std::string(envelope->json);
  }

  TempDir dir_;
  RedisServer redis_{dir_.path()};
  std::unique_ptr<RedisClient> subscriber_;
  std::unique_ptr<RedisClient> client_;
};

ChatMessage Message(int64_t sala_id, int64_t seq, std::string text) {
  ChatMessage message;
  message.id = 100 + seq;
  message.sala_id = sala_id;
  message.seq = seq;
  message.usuario_id = 3;
  message.usuario_nome = "Ana \"Lua\" Souza";
  message.mensagem = std::move(text);
  message.data_envio_ms = 1'790'000'000'123;
  message.lida = true;  // published as lida=false: it is new to every subscriber
  return message;
}

TEST_F(BusRoundTripTest, AMessageIsCachedAndAnnouncedOnTheRoomAndTheList) {
  RedisPublisher publisher(*client_, 50);
  ChatMessage message = Message(7, 1, "Olá, ação! <b>\n\"aspas\"");
  ASSERT_TRUE(publisher.Publish(MessageEvent(message, false)).ok());
  auto published = Next(2);
  ASSERT_EQ(published.size(), 2u);

  EXPECT_EQ(published[0].channel, RoomChannel(7));
  auto decoded = DecodeMessage(Envelope(published[0], EventKind::kMessage, 7, false));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->id, message.id);
  EXPECT_EQ(decoded->seq, 1);
  EXPECT_EQ(decoded->mensagem, message.mensagem);
  EXPECT_EQ(decoded->usuario_nome, message.usuario_nome);
  EXPECT_FALSE(decoded->lida);
  EXPECT_EQ(DecodeEnvelope(published[0].payload)->seq, 1);

  EXPECT_EQ(published[1].channel, PublicListChannel());
  auto activity = DecodeActivity(Envelope(published[1], EventKind::kActivity, 7, false));
  ASSERT_TRUE(activity.has_value());
  EXPECT_EQ(activity->sala_id, 7);
  EXPECT_EQ(activity->seq, 1);
  EXPECT_EQ(activity->data_envio, FormatIso8601(message.data_envio_ms));
  EXPECT_EQ(activity->usuarios_online, 0);

  // The cache holds the message under its seq, as published.
  auto cached = client_->Command({"ZRANGEBYSCORE", RecentCacheKey(7), "1", "1"});
  ASSERT_TRUE(cached.ok());
  ASSERT_EQ((*cached)->elements, 1u);
  EXPECT_EQ(std::string((*cached)->element[0]->str), MessageEvent(message, false).json);
}

TEST_F(BusRoundTripTest, APrivateRoomsActivityGoesToItsOwnListChannel) {
  RedisPublisher publisher(*client_, 50);
  ASSERT_TRUE(publisher.Publish(MessageEvent(Message(8, 4, "segredo"), true)).ok());
  auto published = Next(2);
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0].channel, RoomChannel(8));
  Envelope(published[0], EventKind::kMessage, 8, true);
  EXPECT_EQ(published[1].channel, PrivateListChannel(8));
  auto activity = DecodeActivity(Envelope(published[1], EventKind::kActivity, 8, true));
  ASSERT_TRUE(activity.has_value());
  EXPECT_EQ(activity->seq, 4);
}

TEST_F(BusRoundTripTest, TypingAndReadEventsDecode) {
  RedisPublisher publisher(*client_, 50);
  ASSERT_TRUE(publisher.Publish(TypingEvent(7, 3, "Ana", true)).ok());
  ASSERT_TRUE(publisher.Publish(ReadEvent(7, 4, "Bruno ç", 12)).ok());
  auto published = Next(2);
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0].channel, RoomChannel(7));
  auto typing = DecodeTyping(Envelope(published[0], EventKind::kTyping, 7, false));
  ASSERT_TRUE(typing.has_value());
  EXPECT_EQ(typing->usuario_id, 3);
  EXPECT_EQ(typing->usuario_nome, "Ana");
  EXPECT_TRUE(typing->digitando);
  auto read = DecodeRead(Envelope(published[1], EventKind::kRead, 7, false));
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->usuario_id, 4);
  EXPECT_EQ(read->usuario_nome, "Bruno ç");
  EXPECT_EQ(read->ultimo_seq_lido, 12);
}

TEST_F(BusRoundTripTest, RoomsAreAnnouncedToTheListOrToTheirMembers) {
  RedisPublisher publisher(*client_, 50);
  RoomFields open{11, "Café", "Sobre \"café\"", false, 0, 1'790'000'000'000};
  RoomFields closed{12, "Diretoria", "", true, 5, 1'790'000'000'000};
  ASSERT_TRUE(publisher.Publish(RoomAnnouncedEvent(open, {})).ok());
  ASSERT_TRUE(publisher.Publish(RoomAnnouncedEvent(closed, {3, 4})).ok());
  auto published = Next(3);
  ASSERT_EQ(published.size(), 3u);
  EXPECT_EQ(published[0].channel, PublicListChannel());
  auto room = DecodeRoom(Envelope(published[0], EventKind::kRoom, 11, false));
  ASSERT_TRUE(room.has_value());
  EXPECT_EQ(room->nome, "Café");
  EXPECT_EQ(room->descricao, "Sobre \"café\"");
  EXPECT_FALSE(room->privada);
  EXPECT_EQ(published[1].channel, UserChannel(3));
  EXPECT_EQ(published[2].channel, UserChannel(4));
  auto hidden = DecodeRoom(Envelope(published[2], EventKind::kRoom, 12, true));
  ASSERT_TRUE(hidden.has_value());
  EXPECT_TRUE(hidden->privada);
  EXPECT_EQ(hidden->ultimo_seq, 5);
}

TEST_F(BusRoundTripTest, PresenceScriptPublishesWhoIsOnlineAndTheNewestMessage) {
  RedisPublisher publisher(*client_, 50);
  ChatMessage newest = Message(7, 2, "última");
  ASSERT_TRUE(publisher.Publish(MessageEvent(newest, false)).ok());
  ASSERT_EQ(Next(2).size(), 2u);

  PresenceUpdate update;
  update.sala_id = 7;
  update.pusher_id = "p1";
  update.ttl_ms = 60'000;
  update.max_names = 50;
  update.members = {PresenceMember(5, "p1", "Zé: o \"segundo\""), PresenceMember(4, "p1", "Ana"),
                    PresenceMember(5, "p1", "Zé: o \"segundo\"")};
  ScriptCall call = PresenceCall(client_->mode(), update);
  auto reply = client_->Eval(PresenceScript(), call.keys, call.args);
  ASSERT_TRUE(reply.ok()) << reply.status().message();
  ASSERT_EQ((*reply)->elements, 2u);
  EXPECT_EQ((*reply)->element[1]->integer, 2);

  auto published = Next(2);
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0].channel, RoomChannel(7));
  auto presence = DecodePresence(Envelope(published[0], EventKind::kPresence, 7, false));
  ASSERT_TRUE(presence.has_value());
  EXPECT_EQ(presence->usuarios_online, 2);
  ASSERT_EQ(presence->usuarios.size(), 2u);
  EXPECT_EQ(presence->usuarios[0].id, 4);  // by name
  EXPECT_EQ(presence->usuarios[0].nome, "Ana");
  EXPECT_EQ(presence->usuarios[1].nome, "Zé: o \"segundo\"");
  auto activity = DecodeActivity(Envelope(published[1], EventKind::kActivity, 7, false));
  ASSERT_TRUE(activity.has_value());
  EXPECT_EQ(activity->seq, 2);
  EXPECT_EQ(activity->data_envio, FormatIso8601(newest.data_envio_ms));
  EXPECT_EQ(activity->usuarios_online, 2);

  // Its members parse back, and a message now counts them.
  auto members = client_->Command({"ZRANGE", PresenceKey(7), "0", "-1"});
  ASSERT_TRUE(members.ok());
  ASSERT_EQ((*members)->elements, 2u);
  for (size_t i = 0; i < (*members)->elements; ++i) {
    auto entry = ParsePresenceMember((*members)->element[i]->str);
    ASSERT_TRUE(entry.has_value());
    EXPECT_EQ(entry->pusher_id, "p1");
  }
  ASSERT_TRUE(publisher.Publish(MessageEvent(Message(7, 3, "mais"), false)).ok());
  auto after = Next(2);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(DecodeActivity(Envelope(after[1], EventKind::kActivity, 7, false))->usuarios_online, 2);
}

// Members of a room's change log, oldest position first.
std::vector<std::string> ChangeLog(RedisClient& client, int64_t sala_id, const std::string& from) {
  std::vector<std::string> out;
  auto reply = client.Command({"ZRANGEBYSCORE", ChangeLogKey(sala_id), from, "+inf"});
  if (!reply.ok()) return out;
  for (size_t i = 0; i < (*reply)->elements; ++i) out.emplace_back((*reply)->element[i]->str, (*reply)->element[i]->len);
  return out;
}

TEST_F(BusRoundTripTest, ChangesReplaceTheCachedCopyAndAreLoggedAtTheirPosition) {
  RedisPublisher publisher(*client_, 50);
  ChatMessage message = Message(7, 2, "primeira versão");
  ASSERT_TRUE(publisher.Publish(MessageEvent(message, false)).ok());
  Next(2);

  ChatMessage edited = message;
  edited.mensagem = "segunda versão, ação";
  edited.editada_em_ms = message.data_envio_ms + 60'000;
  edited.mencoes = {4};
  ASSERT_TRUE(publisher.Publish(MessageEditedEvent(edited, false, 5)).ok());
  ChatMessage reacted = edited;
  reacted.reacoes = {{"👍", 1, true}};
  ASSERT_TRUE(publisher.Publish(ReactionEvent(reacted, false, 6, {"👍", 1, 4, true})).ok());
  ChatMessage deleted = reacted;
  deleted.mensagem.clear();
  deleted.excluida = true;
  deleted.reacoes.clear();
  ASSERT_TRUE(publisher.Publish(MessageDeletedEvent(deleted, false, 6)).ok());
  ASSERT_TRUE(publisher.Publish(StatusEvent({7, message.id, 2, 3, MessageStatus::kRead}, false, 6)).ok());
  auto published = Next(4);
  ASSERT_EQ(published.size(), 4u);
  for (const auto& each : published) EXPECT_EQ(each.channel, RoomChannel(7));

  auto edit = DecodeEdited(Envelope(published[0], EventKind::kEdited, 7, false));
  ASSERT_TRUE(edit.has_value());
  EXPECT_EQ(edit->id, message.id);
  EXPECT_EQ(edit->seq, 2);
  EXPECT_EQ(edit->mensagem, "segunda versão, ação");
  EXPECT_EQ(edit->editada_em, FormatIso8601(edited.editada_em_ms));
  EXPECT_EQ(edit->mencoes, std::vector<int64_t>{4});
  auto reaction = DecodeReaction(Envelope(published[1], EventKind::kReaction, 7, false));
  ASSERT_TRUE(reaction.has_value());
  EXPECT_EQ(reaction->mensagem_id, message.id);
  EXPECT_EQ(reaction->change.emoji, "👍");
  EXPECT_EQ(reaction->change.total, 1);
  EXPECT_EQ(reaction->change.usuario_id, 4);
  EXPECT_TRUE(reaction->change.ativo);
  auto removal = DecodeDeleted(Envelope(published[2], EventKind::kDeleted, 7, false));
  ASSERT_TRUE(removal.has_value());
  EXPECT_EQ(removal->id, message.id);
  EXPECT_EQ(removal->seq, 2);
  auto status = DecodeStatus(Envelope(published[3], EventKind::kStatus, 7, false));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->mensagem_id, message.id);
  EXPECT_EQ(status->autor_id, 3);
  EXPECT_EQ(status->status, MessageStatus::kRead);

  // The cache holds the current version: the tombstone, nobody's minha.
  auto cached = client_->Command({"ZRANGEBYSCORE", RecentCacheKey(7), "2", "2"});
  ASSERT_TRUE(cached.ok());
  ASSERT_EQ((*cached)->elements, 1u);
  auto current = std::string((*cached)->element[0]->str);
  EXPECT_EQ(current, MessageDeletedEvent(deleted, false, 6).current_message);
  EXPECT_NE(current.find("\"excluida\":true"), std::string::npos) << current;

  // The log replays what a resume after seq 6 missed, in order; after 5, all four.
  auto after_six = ChangeLog(*client_, 7, "6");
  ASSERT_EQ(after_six.size(), 3u);
  EXPECT_EQ(after_six[0], published[1].payload);
  EXPECT_EQ(ChangeLog(*client_, 7, "5").size(), 4u);
  EXPECT_TRUE(ChangeLog(*client_, 7, "7").empty());
}

TEST_F(BusRoundTripTest, AnUncachedMessagesChangeLeavesTheCacheAlone) {
  RedisPublisher publisher(*client_, 50);
  ChatMessage old = Message(9, 1, "fora do cache");
  old.editada_em_ms = old.data_envio_ms + 1;
  ASSERT_TRUE(publisher.Publish(MessageEditedEvent(old, false, 40)).ok());
  Next(1);
  auto cached = client_->Command({"ZCARD", RecentCacheKey(9)});
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ((*cached)->integer, 0);
  EXPECT_EQ(ChangeLog(*client_, 9, "40").size(), 1u);
}

TEST_F(BusRoundTripTest, ChangesAtOnePositionReplayInTheOrderTheyWereMade) {
  RedisPublisher publisher(*client_, 50);
  ChatMessage message = Message(11, 1, "x");
  message.editada_em_ms = message.data_envio_ms + 1;
  for (std::string text : {"zzz", "mmm", "aaa"}) {  // reverse byte order on purpose
    message.mensagem = text;
    ASSERT_TRUE(publisher.Publish(MessageEditedEvent(message, false, 9)).ok());
  }
  Next(3);
  auto log = ChangeLog(*client_, 11, "9");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(DecodeEdited(DecodeEnvelope(log[0])->json)->mensagem, "zzz");
  EXPECT_EQ(DecodeEdited(DecodeEnvelope(log[2])->json)->mensagem, "aaa");
  EXPECT_TRUE(ChangeLog(*client_, 11, "10").empty());
}

TEST_F(BusRoundTripTest, TheChangeLogIsBoundedLikeTheCache) {
  RedisPublisher publisher(*client_, 3);
  ChatMessage message = Message(10, 1, "x");
  for (int i = 0; i < 5; ++i) {
    message.reacoes = {{"👍", i + 1, false}};
    ASSERT_TRUE(publisher.Publish(ReactionEvent(message, false, 1 + i, {"👍", i + 1, 20 + i, true})).ok());
  }
  Next(5);
  auto log = ChangeLog(*client_, 10, "0");
  ASSERT_EQ(log.size(), 3u);
  auto oldest = DecodeReaction(DecodeEnvelope(log[0])->json);
  ASSERT_TRUE(oldest.has_value());
  EXPECT_EQ(oldest->change.total, 3);
}

TEST_F(BusRoundTripTest, ADirectMessageIsAnnouncedToEachSideWithTheOtherPersonsName) {
  RedisPublisher publisher(*client_, 50);
  RoomFields for_ana{21, "Bruno", "", true, 0, 1'790'000'000'000};
  for_ana.direta = true;
  for_ana.direta_com = 4;
  ASSERT_TRUE(publisher.Publish(RoomAnnouncedEvent(for_ana, {3})).ok());
  auto published = Next(1);
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].channel, UserChannel(3));
  auto room = DecodeRoom(Envelope(published[0], EventKind::kRoom, 21, true));
  ASSERT_TRUE(room.has_value());
  EXPECT_EQ(room->nome, "Bruno");
  EXPECT_TRUE(room->direta);
  EXPECT_EQ(room->direta_com, 4);
  EXPECT_FALSE(room->arquivada);
}

TEST_F(BusRoundTripTest, ARoomUpdateGoesToTheRoomStream) {
  RedisPublisher publisher(*client_, 50);
  RoomFields renamed{13, "Café & Chá", "<b>novo</b>", false, 9, 1'790'000'000'000};
  renamed.arquivada = true;
  ASSERT_TRUE(publisher.Publish(RoomUpdatedEvent(renamed)).ok());
  auto published = Next(1);
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].channel, RoomChannel(13));
  auto room = DecodeRoomUpdated(Envelope(published[0], EventKind::kRoomUpdated, 13, false));
  ASSERT_TRUE(room.has_value());
  EXPECT_EQ(room->id, 13);
  EXPECT_EQ(room->nome, "Café & Chá");
  EXPECT_EQ(room->descricao, "<b>novo</b>");
  EXPECT_TRUE(room->arquivada);
}

TEST_F(BusRoundTripTest, ARemovalReachesTheUsersListAndEveryPusherOfTheRoom) {
  RedisPublisher publisher(*client_, 50);
  ASSERT_TRUE(publisher.Publish(RoomRemovedEvent(14, 5, true)).ok());
  auto published = Next(2);
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0].channel, UserChannel(5));
  EXPECT_EQ(published[1].channel, RoomChannel(14));
  for (const Published& one : published) {
    auto removal = DecodeRoomRemoved(Envelope(one, EventKind::kRoomRemoved, 14, true));
    ASSERT_TRUE(removal.has_value());
    EXPECT_EQ(removal->sala_id, 14);
    EXPECT_EQ(removal->usuario_id, 5);
  }
}

TEST_F(BusRoundTripTest, AMentionGoesToEachMentionedUsersChannel) {
  RedisPublisher publisher(*client_, 50);
  ChatMessage message = Message(8, 3, "@Bruno e @Carla, vejam");
  ASSERT_TRUE(publisher.Publish(MentionEvent(message, true, {4, 5})).ok());
  auto published = Next(2);
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0].channel, UserChannel(4));
  EXPECT_EQ(published[1].channel, UserChannel(5));
  auto mention = DecodeMention(Envelope(published[1], EventKind::kMention, 8, true));
  ASSERT_TRUE(mention.has_value());
  EXPECT_EQ(mention->sala_id, 8);
  EXPECT_EQ(mention->mensagem_id, message.id);
  EXPECT_EQ(mention->seq, 3);
  EXPECT_EQ(mention->autor, message.usuario_nome);
  EXPECT_EQ(mention->autor_id, 3);
  EXPECT_EQ(mention->mensagem, message.mensagem);
}

TEST_F(BusRoundTripTest, OnlyTheFirstDeliveryReportPublishesEntregue) {
  StatusChange change{7, 107, 7, 3, MessageStatus::kDelivered};
  ScriptCall call = ReportDeliveredCall(RedisMode::kSingle, {change}, false, 50);
  for (int pusher = 0; pusher < 3; ++pusher) {
    auto reply = client_->Eval(ReportDeliveredScript(), call.keys, call.args);
    ASSERT_TRUE(reply.ok()) << reply.status().message();
    EXPECT_EQ((*reply)->integer, pusher == 0 ? 1 : 0);
  }
  // Reports of one loop pass go together: the new messages publish, the
  // one seen before does not.
  StatusChange next{7, 108, 8, 4, MessageStatus::kDelivered};
  StatusChange third{7, 109, 9, 5, MessageStatus::kDelivered};
  ScriptCall next_call = ReportDeliveredCall(RedisMode::kSingle, {next, change, third}, false, 50);
  auto reply = client_->Eval(ReportDeliveredScript(), next_call.keys, next_call.args);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ((*reply)->integer, 2);
  auto published = Next(3);
  ASSERT_EQ(published.size(), 3u);
  EXPECT_EQ(DecodeStatus(Envelope(published[2], EventKind::kStatus, 7, false))->mensagem_id, 109);
  auto status = DecodeStatus(Envelope(published[0], EventKind::kStatus, 7, false));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->mensagem_id, 107);
  EXPECT_EQ(status->autor_id, 3);
  EXPECT_EQ(status->status, MessageStatus::kDelivered);
  EXPECT_EQ(DecodeStatus(Envelope(published[1], EventKind::kStatus, 7, false))->seq, 8);
  EXPECT_EQ(ChangeLog(*client_, 7, "7").size(), 3u);
  auto bit = client_->Command({"GETBIT", DeliveredKey(7), "7"});
  ASSERT_TRUE(bit.ok());
  EXPECT_EQ((*bit)->integer, 1);
}

TEST_F(BusRoundTripTest, AnEndedSessionIsAnnouncedByItsStreamId) {
  RedisPublisher publisher(*client_, 50);
  ASSERT_TRUE(publisher.EndSession("abc123").ok());
  auto published = Next(1);
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].channel, SessionsChannel());
  EXPECT_EQ(published[0].payload, SessionEndedPayload("abc123"));
}

TEST_F(BusRoundTripTest, StreamScriptsCountAUsersStreamsUpToTheCap) {
  auto acquire = [&](const std::string& member) {
    auto reply = client_->Eval(StreamAcquireScript(), {UserStreamsKey(3)}, {member, "60000", "2"});
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? (*reply)->element[0]->integer : -1;
  };
  EXPECT_EQ(acquire("p1:1"), 1);
  EXPECT_EQ(acquire("p1:2"), 1);
  EXPECT_EQ(acquire("p2:1"), 0);
  // p1 now holds only stream 1: its refresh drops stream 2.
  auto refreshed = client_->Eval(StreamRefreshScript(), {UserStreamsKey(3)}, {"p1:", "60000", "1", "0", "p1:1"});
  ASSERT_TRUE(refreshed.ok()) << refreshed.status().message();
  EXPECT_EQ(acquire("p2:1"), 1);
}

TEST(BusPayloadsTest, ResyncAndPageObjectsMatchTheEvents) {
  EXPECT_EQ(DecodeResync(ResyncJson(41)), 41);
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  WriteReadPosition(writer, 4, "Bruno", 9);
  EXPECT_EQ(std::string(buffer.GetString()), ReadEvent(1, 4, "Bruno", 9).json);
  EXPECT_FALSE(DecodePresence("{\"usuarios_online\":1}").has_value());
  EXPECT_FALSE(DecodeActivity("[]").has_value());
  EXPECT_FALSE(DecodeMessage("{\"id\":\"1\"}").has_value());
}

TEST(BusNamesVerbTest, ShardedChannelsUseSpublishOnlyOnACluster) {
  EXPECT_TRUE(IsShardedChannel(RoomChannel(1)));
  EXPECT_TRUE(IsShardedChannel(PrivateListChannel(1)));
  EXPECT_TRUE(IsShardedChannel(UserChannel(1)));
  EXPECT_FALSE(IsShardedChannel(PublicListChannel()));
  EXPECT_FALSE(IsShardedChannel(SessionsChannel()));
  EXPECT_EQ(PublishVerb(RedisMode::kCluster, RoomChannel(1)), "SPUBLISH");
  EXPECT_EQ(PublishVerb(RedisMode::kCluster, PublicListChannel()), "PUBLISH");
  EXPECT_EQ(PublishVerb(RedisMode::kSingle, RoomChannel(1)), "PUBLISH");
  EXPECT_EQ(PublishVerb(RedisMode::kSentinel, UserChannel(1)), "PUBLISH");
}

}  // namespace
}  // namespace papo::testing
