// Presence: who has a room stream open, across every pusher process.
//
// RoomPresence counts this process's streams per user for one room (a user
// with two tabs is one person). PresenceWriter records that set in Redis
// with an expiry score; the script publishes `presenca`/`atividade` when
// the room's users changed (common/bus/lua/presence.lua). When to write is
// RoomPresenceSync's business (room_presence_sync.h).
// Thread-compatible (loop thread only).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sse-pusher/pusher_options.h"

namespace papo::pusher {

class RedisCommander;

class RoomPresence final {
 public:
  // Both return true when the set of users changed.
  bool Add(int64_t usuario_id, std::string_view nome);
  bool Remove(int64_t usuario_id);
  void Clear() { users_.clear(); }
  bool empty() const { return users_.empty(); }
  size_t user_count() const { return users_.size(); }
  // Whether a stream here belongs to a user other than `usuario_id`.
  bool HasOtherThan(int64_t usuario_id) const {
    return users_.size() > 1 || (users_.size() == 1 && !users_.contains(usuario_id));
  }
  // The ZSET members for this process: "{user}:{pusher}:{name}".
  std::vector<std::string> Members(std::string_view pusher_id) const;

 private:
  struct LocalUser {
    uint32_t streams = 0;
    std::string nome;
  };
  std::unordered_map<int64_t, LocalUser> users_;
};

class PresenceWriter final {
 public:
  // `commander` and `options` must outlive the writer.
  PresenceWriter(RedisCommander& commander, const PusherOptions& options)
      : commander_(commander), options_(options) {}

  // Records `members` as this process's members of room `sala_id`. `done`
  // gets the room's online count (every process) once Redis ran the
  // script, nullopt if it could not.
  void Update(int64_t sala_id, bool privada, std::vector<std::string> members,
              std::function<void(std::optional<int64_t> online)> done);

 private:
  RedisCommander& commander_;
  const PusherOptions& options_;
};

}  // namespace papo::pusher
