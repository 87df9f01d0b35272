#include "sse-pusher/room_presence_sync.h"

#include <algorithm>

namespace papo::pusher {
namespace {

constexpr int64_t kRetryMs = 1000;         // Redis is away: not at the join pace
constexpr int64_t kMaxIntervalMs = 10'000;

}  // namespace

RoomPresenceSync::RoomPresenceSync(EventLoop& loop, PresenceWriter* writer, const PusherOptions& options,
                                   PusherMetrics& metrics, int64_t sala_id)
    : loop_(loop), writer_(writer), options_(options), metrics_(metrics), sala_id_(sala_id) {}

RoomPresenceSync::~RoomPresenceSync() {
  *alive_ = false;
  loop_.Cancel(timer_);
  for (auto& waiter : waiters_) waiter();
}

void RoomPresenceSync::Join(int64_t usuario_id, std::string_view nome) {
  if (users_.Add(usuario_id, nome)) Changed();
}

void RoomPresenceSync::Leave(int64_t usuario_id) {
  if (users_.Remove(usuario_id)) Changed();
}

void RoomPresenceSync::SetSubscribed(bool subscribed) {
  subscribed_ = subscribed;
  if (subscribed_ && dirty_) Schedule();
}

void RoomPresenceSync::OnRedisConnected() {
  if (!users_.empty()) Changed();
}

void RoomPresenceSync::Changed() {
  if (writer_ == nullptr) return;  // counted only: nothing will ever be written
  dirty_ = true;
  Schedule();
}

void RoomPresenceSync::Schedule() {
  if (writer_ == nullptr || !subscribed_ || in_flight_ || timer_ != 0) return;
  // Each write may publish a `presenca` to every stream of the room on
  // every process, so the pace falls as the room grows: 20 ms per user
  // online, i.e. about 50 presence frames per second per room from this
  // process however many join at once (a reconnect storm of thousands).
  int64_t users = std::max(static_cast<int64_t>(users_.user_count()), online_);
  int64_t interval = std::clamp<int64_t>(users * 20, options_.presence_min_interval_ms, kMaxIntervalMs);
  int64_t at = std::max(loop_.now_ms(), flushed_ms_ + interval);
  timer_ = loop_.RunAt(at, [this] {
    timer_ = 0;
    Flush();
  });
}

void RoomPresenceSync::Flush() {
  if (writer_ == nullptr) return;
  if (in_flight_) {
    dirty_ = true;
    return;
  }
  loop_.Cancel(timer_);
  timer_ = 0;
  in_flight_ = true;
  dirty_ = false;
  flushed_ms_ = loop_.now_ms();
  ++metrics_.presence_updates;
  writer_->Update(sala_id_, privada_, users_.Members(options_.pusher_id),
                  [this, alive = alive_](std::optional<int64_t> online) {
                    if (*alive) Written(online);
                  });
}

void RoomPresenceSync::Written(std::optional<int64_t> online) {
  in_flight_ = false;
  if (online) online_ = *online;
  if (!online) {
    dirty_ = true;
    flushed_ms_ = loop_.now_ms() + kRetryMs - options_.presence_min_interval_ms;
  }
  if (dirty_) return Schedule();
  auto waiters = std::move(waiters_);
  waiters_.clear();
  for (auto& waiter : waiters) waiter();
}

void RoomPresenceSync::Sweep(int64_t now_ms) {
  if (users_.empty() || in_flight_ || timer_ != 0) return;
  if (now_ms - flushed_ms_ >= options_.presence_refresh_ms) Flush();
}

void RoomPresenceSync::Clear(std::function<void()> done) {
  users_.Clear();
  if (writer_ == nullptr) return done();
  waiters_.push_back(std::move(done));
  flushed_ms_ = 0;  // no interval to wait for at shutdown
  if (in_flight_) {
    dirty_ = true;
  } else {
    Flush();
  }
}

}  // namespace papo::pusher
