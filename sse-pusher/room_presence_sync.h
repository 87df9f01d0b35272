// RoomPresenceSync: keeps one room's presence in Redis in step with this
// process's streams (RoomPresence), on the loop's clock.
//
// A change (a user's first stream joins, their last leaves) is written at
// most once per interval (presence_min_interval_ms, up to 10 s for big
// rooms: every `presenca` reaches every stream of the room, on every
// process), one script in flight
// at a time, and never before the room's channel is subscribed (the
// `presenca` the script publishes must reach this process's streams too).
// Members are refreshed every presence_refresh_ms so that they do not
// expire while present; a crashed process's members expire on their own.
// Thread-compatible (loop thread only).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "sse-pusher/event_loop.h"
#include "sse-pusher/metrics.h"
#include "sse-pusher/presence.h"
#include "sse-pusher/pusher_options.h"

namespace papo::pusher {

class RoomPresenceSync final {
 public:
  // `writer` may be null: presence is then only counted, never written.
  // Every reference must outlive the object.
  RoomPresenceSync(EventLoop& loop, PresenceWriter* writer, const PusherOptions& options, PusherMetrics& metrics,
                   int64_t sala_id);
  ~RoomPresenceSync();
  RoomPresenceSync(const RoomPresenceSync&) = delete;
  RoomPresenceSync& operator=(const RoomPresenceSync&) = delete;

  void Join(int64_t usuario_id, std::string_view nome);
  void Leave(int64_t usuario_id);
  // Where the room's list `atividade` goes (public or its own channel).
  void set_privada(bool privada) { privada_ = privada; }
  // The room's channel is (not) subscribed.
  void SetSubscribed(bool subscribed);
  // Redis may have restarted: write everything again.
  void OnRedisConnected();
  // Once a second: refresh before the members expire.
  void Sweep(int64_t now_ms);
  // Removes this process's members (shutdown); `done` runs once Redis
  // answered, or when this object is destroyed.
  void Clear(std::function<void()> done);
  // Whether a stream of this room here belongs to a user other than `usuario_id`.
  bool HasOtherThan(int64_t usuario_id) const { return users_.HasOtherThan(usuario_id); }
  // Whether something still has to be written.
  bool pending() const { return dirty_ || in_flight_ || timer_ != 0; }

 private:
  void Changed();
  void Schedule();
  void Flush();
  void Written(std::optional<int64_t> online);

  EventLoop& loop_;
  PresenceWriter* writer_;
  const PusherOptions& options_;
  PusherMetrics& metrics_;
  int64_t sala_id_;
  bool privada_ = false;
  bool subscribed_ = false;
  RoomPresence users_;
  bool dirty_ = false;
  bool in_flight_ = false;
  int64_t flushed_ms_ = 0;
  int64_t online_ = 0;  // the room's users on every process, as of the last write
  EventLoop::TimerId timer_ = 0;
  std::vector<std::function<void()>> waiters_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for Redis callbacks
};

}  // namespace papo::pusher
