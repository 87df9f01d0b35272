#include "sse-pusher/presence.h"

#include "common/bus/names.h"
#include "common/bus/scripts.h"
#include "common/redis_argv.h"
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
  PresenceUpdate update;
  update.sala_id = sala_id;
  update.privada = privada;
  update.pusher_id = options_.pusher_id;
  update.ttl_ms = options_.presence_ttl_ms;
  update.max_names = options_.presence_max_names;
  update.members = std::move(members);
  ScriptCall call = PresenceCall(options_.redis.mode, std::move(update));
  // EVAL with the body rather than EVALSHA: at most a few calls per room
  // per second, and Redis keeps the compiled script keyed by its body.
  std::vector<std::string> argv = ScriptCommand("EVAL", PresenceScript(), call.keys, call.args);
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
