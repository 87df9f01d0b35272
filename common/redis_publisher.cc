#include "common/redis_publisher.h"

#include <cstdlib>

#include "common/bus/names.h"
#include "common/bus/payloads.h"
#include "common/bus/scripts.h"

namespace papo {

Status RedisPublisher::Publish(const RoomEvent& event) {
  if (event.kind == EventKind::kMessage) return PublishMessage(event);
  if (IsMessageChange(event.kind)) return PublishChange(event);
  std::vector<std::vector<std::string>> commands;
  auto envelope = EncodeEnvelope(event.kind, event.sala_id, event.seq, event.privada, event.json);
  if (event.kind == EventKind::kRoom) {
    // A private room is announced to its members only; its later list
    // events travel on its own list channel, which members subscribe to.
    if (event.privada) {
      for (int64_t user : event.recipients) commands.push_back(PublishCommand(UserChannel(user), envelope));
    } else {
      commands.push_back(PublishCommand(PublicListChannel(), envelope));
    }
  } else if (event.kind == EventKind::kRoomRemoved) {
    // The user's list streams drop the room; the room's channel reaches
    // every pusher holding one of their streams of it.
    for (int64_t user : event.recipients) commands.push_back(PublishCommand(UserChannel(user), envelope));
    commands.push_back(PublishCommand(RoomChannel(event.sala_id), envelope));
  } else if (event.kind == EventKind::kMention) {
    // To the list streams of the mentioned, wherever they are.
    for (int64_t user : event.recipients) commands.push_back(PublishCommand(UserChannel(user), envelope));
  } else {
    commands.push_back(PublishCommand(RoomChannel(event.sala_id), envelope));
  }
  if (commands.empty()) return Status::Ok();
  auto replies = client_.Pipeline(commands);
  return replies.ok() ? Status::Ok() : replies.status();
}

std::vector<std::string> RedisPublisher::PublishCommand(std::string channel, std::string payload) const {
  return {std::string(PublishVerb(client_.mode(), channel)), std::move(channel), std::move(payload)};
}

// The change log is as long as the cache: a stream that can resume from
// the cache can also have its changes replayed.
Status RedisPublisher::PublishChange(const RoomEvent& event) {
  ScriptCall call = PublishChangeCall(client_.mode(), event, cache_size_);
  auto reply = client_.Eval(PublishChangeScript(), call.keys, call.args);
  return reply.ok() ? Status::Ok() : reply.status();
}

Status RedisPublisher::PublishMessage(const RoomEvent& event) {
  ScriptCall call = PublishMessageCall(client_.mode(), event, cache_size_);
  auto reply = client_.Eval(PublishMessageScript(), call.keys, call.args);
  return reply.ok() ? Status::Ok() : reply.status();
}

// One ZCOUNT answers the usual case (nothing missing) without moving the
// messages; only a room with a hole has its window read, scores and all.
Result<std::vector<int64_t>> RedisPublisher::MissingFromCache(int64_t sala_id, int64_t from_seq, int64_t to_seq) {
  std::vector<int64_t> missing;
  if (to_seq < from_seq) return missing;
  std::string key = RecentCacheKey(sala_id);
  std::string from = std::to_string(from_seq);
  std::string to = std::to_string(to_seq);
  auto count = client_.Command({"ZCOUNT", key, from, to});
  if (!count.ok()) return count.status();
  if ((*count)->type == REDIS_REPLY_INTEGER && (*count)->integer == to_seq - from_seq + 1) return missing;
  auto cached = client_.Command({"ZRANGEBYSCORE", key, from, to, "WITHSCORES"});
  if (!cached.ok()) return cached.status();
  const redisReply* r = cached->get();
  int64_t expected = from_seq;
  if (r->type == REDIS_REPLY_ARRAY) {
    for (size_t i = 1; i < r->elements; i += 2) {
      int64_t seq = std::strtoll(r->element[i]->str, nullptr, 10);
      for (; expected < seq; ++expected) missing.push_back(expected);
      if (seq >= expected) expected = seq + 1;
    }
  }
  for (; expected <= to_seq; ++expected) missing.push_back(expected);
  return missing;
}

// Every papo-app's session cache and every pusher trust this announcement,
// so a connection that went stale (Redis restarted since this thread last
// used it) must not lose it: one more try on a new connection, at once.
Status RedisPublisher::EndSession(std::string_view session_id) {
  std::vector<std::string> command = PublishCommand(SessionsChannel(), SessionEndedPayload(session_id));
  auto reply = client_.Command(command);
  if (!reply.ok()) {
    client_.RetryNow();
    reply = client_.Command(command);
  }
  return reply.ok() ? Status::Ok() : reply.status();
}

}  // namespace papo
