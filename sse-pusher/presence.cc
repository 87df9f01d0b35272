#include "sse-pusher/presence.h"

#include "common/bus/names.h"
#include "sse-pusher/presence_script.h"
#include "sse-pusher/redis_commander.h"

namespace papo::pusher {

bool RoomPresence::Add(int64_t usuario_id, std::string_view nome) {
  LocalUser& user = users_[usuario_id];
  if (user.streams++ == 0) {
    user.nome = std::string(nome);
    return true;
  }
  return false;
}

bool RoomPresence::Remove(int64_t usuario_id) {
  auto it = users_.find(usuario_id);
  if (it == users_.end()) return false;
  if (--it->second.streams > 0) return false;
  users_.erase(it);
  return true;
}

std::vector<std::string> RoomPresence::Members(std::string_view pusher_id) const {
  std::vector<std::string> members;
  members.reserve(users_.size());
  for (const auto& [id, user] : users_) members.push_back(PresenceMember(id, pusher_id, user.nome));
  return members;
}

void PresenceWriter::Update(int64_t sala_id, bool privada, std::vector<std::string> members,
                            std::function<void(std::optional<int64_t>)> done) {
  std::vector<std::string> argv;
  argv.reserve(members.size() + 12);
  // EVAL with the body rather than EVALSHA: at most a few calls per room
  // per second, and Redis keeps the compiled script keyed by its body.
  argv.insert(argv.end(), {"EVAL", kPresenceScript, "2", PresenceKey(sala_id), RecentCacheKey(sala_id), options_.pusher_id,
                           std::to_string(options_.presence_ttl_ms), RoomChannel(sala_id),
                           ListChannelFor(sala_id, privada), std::to_string(sala_id), privada ? "1" : "0",
                           std::to_string(options_.presence_max_names)});
  for (std::string& member : members) argv.push_back(std::move(member));
  commander_.Command(argv, [done = std::move(done)](const redisReply* reply) {
    // The script returns {changed, online}.
    if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
        reply->element[1]->type != REDIS_REPLY_INTEGER) {
      return done(std::nullopt);
    }
    done(reply->element[1]->integer);
  });
}

}  // namespace papo::pusher
