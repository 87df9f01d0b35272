#include "common/redis_publisher.h"

#include <cstdlib>

#include "common/redis_names.h"
#include "common/redis_scripts.h"

namespace papo {

Status RedisPublisher::Publish(const RoomEvent& event) {
  if (event.kind == EventKind::kMessage) return PublishMessage(event);
  std::vector<std::vector<std::string>> commands;
  auto envelope = EncodeEnvelope(event.kind, event.sala_id, event.seq, event.privada, event.json);
  if (event.kind == EventKind::kRoom) {
    // A private room is announced to its members only; its later list
    // events travel on its own list channel, which members subscribe to.
    if (event.privada) {
      for (int64_t user : event.recipients) commands.push_back({"PUBLISH", UserChannel(user), envelope});
    } else {
      commands.push_back({"PUBLISH", PublicListChannel(), envelope});
    }
  } else {
    commands.push_back({"PUBLISH", RoomChannel(event.sala_id), envelope});
  }
  if (commands.empty()) return Status::Ok();
  auto replies = client_.Pipeline(commands);
  return replies.ok() ? Status::Ok() : replies.status();
}

Status RedisPublisher::PublishMessage(const RoomEvent& event) {
  std::string seq = std::to_string(event.seq);
  std::string sala = std::to_string(event.sala_id);
  auto reply = client_.Eval(
      kPublishMessageScript, {RecentCacheKey(event.sala_id), PresenceKey(event.sala_id)},
      {seq, event.json, std::to_string(cache_size_), RoomChannel(event.sala_id),
       EncodeEnvelope(EventKind::kMessage, event.sala_id, event.seq, event.privada, event.json),
       ListChannelFor(event.sala_id, event.privada), sala, event.data_envio, event.privada ? "1" : "0"});
  return reply.ok() ? Status::Ok() : reply.status();
}

Result<int64_t> RedisPublisher::CachedUpTo(int64_t sala_id) {
  auto reply = client_.Command({"ZREVRANGE", RecentCacheKey(sala_id), "0", "0", "WITHSCORES"});
  if (!reply.ok()) return reply.status();
  const redisReply* r = reply->get();
  if (r->type != REDIS_REPLY_ARRAY || r->elements < 2) return int64_t{0};
  return static_cast<int64_t>(std::strtoll(r->element[1]->str, nullptr, 10));
}

// Every papo-app's session cache and every pusher trust this announcement,
// so a connection that went stale (Redis restarted since this thread last
// used it) must not lose it: one more try on a new connection, at once.
Status RedisPublisher::EndSession(std::string_view session_id) {
  std::vector<std::string> command = {"PUBLISH", SessionsChannel(), std::string(session_id)};
  auto reply = client_.Command(command);
  if (!reply.ok()) {
    client_.RetryNow();
    reply = client_.Command(command);
  }
  return reply.ok() ? Status::Ok() : reply.status();
}

}  // namespace papo
