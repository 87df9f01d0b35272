// RoomHub: every topic (Redis channel) this process has streams for, and
// the routing of notifications from the subscriber to them.
//
//   room streams:  papo:sala:{id}          (a Room: order, resumes, presence)
//   list streams:  papo:lista              public rooms' `sala`/`atividade`
//                  papo:lista:{id}         each private room the user belongs to
//                  papo:usuario:{id}       `sala` when the user gains a private
//                                          room: their list streams then also
//                                          join papo:lista:{that id}
//
// A list stream's private rooms come from the PrivateRoomSource (papo-app
// stored them in Redis when it authorized the stream, and adds each room a
// user gains), read once Redis confirmed the user channel's SUBSCRIBE: a
// room gained before that read is in the set, one gained after it arrives
// on the channel. Read again after every re-subscribe (a Redis reconnect),
// which catches rooms gained while the channel was down. When Redis cannot
// answer, the user's list streams here end and the browsers reconnect
// (papo-app stores the rooms again); when nothing is stored the stream
// follows public rooms.
//
// A private room's list events travel only on its own channel, which only
// its members' streams join, so nothing about it reaches anyone else.
//
// A topic is subscribed when its first stream joins. When the last leaves
// the channel stays subscribed for channel_linger_ms (a reconnecting
// browser finds the room warm, and a room flapping between 0 and 1
// subscriber does not churn SUBSCRIBE/UNSUBSCRIBE), then is released and
// the topic freed once the UNSUBSCRIBE is confirmed.
//
// Thread-compatible (loop thread only).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/bus/names.h"
#include "sse-pusher/channel_subscriptions.h"
#include "sse-pusher/connection.h"
#include "sse-pusher/message_cache.h"
#include "sse-pusher/presence.h"
#include "sse-pusher/private_rooms.h"
#include "sse-pusher/redis_subscriber.h"
#include "sse-pusher/room.h"
#include "sse-pusher/stream_request.h"
#include "sse-pusher/topic.h"

namespace papo::pusher {

class RoomHub final : public RedisSubscriber::Listener {
 public:
  // Every reference must outlive the hub. `presence` and `delivery` may be
  // null (tests).
  RoomHub(EventLoop& loop, PusherMetrics& metrics, const PusherOptions& options, MessageCache& cache,
          PresenceWriter* presence, DeliveryReporter* delivery = nullptr);
  ~RoomHub();
  RoomHub(const RoomHub&) = delete;
  RoomHub& operator=(const RoomHub&) = delete;

  // REQUIRES: called once, before any stream joins.
  void SetSubscriptions(ChannelSubscriptions* subscriptions) { subscriptions_ = subscriptions; }
  // REQUIRES: called once, before any list stream joins.
  void SetPrivateRooms(std::unique_ptr<PrivateRoomSource> source) { private_rooms_ = std::move(source); }

  // Streams of the room on this process (joined, including catching up).
  size_t RoomStreams(int64_t sala_id) const;
  void JoinRoom(Connection& connection, const StreamRequest& request);
  void JoinList(Connection& connection, const StreamRequest& request);
  // Removes a closed connection from every topic.
  void Leave(Connection& connection);
  // Removes `connection` from `topic` alone (a private room's list channel
  // the user lost), keeping its other subscriptions.
  void LeaveTopic(Connection& connection, Topic& topic);

  // RedisSubscriber::Listener
  void OnSubscribed(const std::string& channel) override;
  void OnUnsubscribed(const std::string& channel) override;
  void OnMessage(std::string_view channel, std::string_view payload) override;
  void OnConnectionLost() override;
  // The command connection is (back) up.
  void OnCommandsConnected();

  // Fans out the queued batches (before-sleep hook): a topic that was
  // quiet goes out at once; a busy one (it flushed less than its window
  // ago) waits until coalesce_events are queued or its window has passed
  // since the first of them (Topic::FlushDueUs), so its subscribers get one
  // send per few events instead of one per event. The window is
  // min(coalesce_ms, streams × coalesce_us_per_stream): small rooms, whose
  // fan-out is cheap, are barely held. A timer wakes the loop when the
  // first held topic is due.
  void Flush();
  // Once a second: presence refresh, release of idle channels.
  void Sweep(int64_t now_ms);
  // Removes this process's presence from Redis; `done` runs when finished.
  void ClearPresence(std::function<void()> done);

  size_t rooms_active() const;
  size_t topic_count() const { return topics_.size(); }
  Room* FindRoom(int64_t sala_id) const;

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  Topic& Subscribe(Connection& connection, const std::string& channel, Topic::Kind kind, int64_t id);
  Topic* Find(std::string_view channel) const;
  void Forward(Topic& topic, EventKind kind, std::string_view json, int64_t received_us);
  void OnUserEvent(Topic& topic, const Envelope& envelope, int64_t received_us);
  // Joins every list stream of the user here to the private rooms' channels.
  void FetchPrivateRooms(int64_t usuario_id);
  void OnPrivateRooms(int64_t usuario_id, Result<std::vector<int64_t>> rooms);
  void JoinPrivate(Connection& connection, const std::vector<int64_t>& sala_ids);
  void Destroy(const std::string& channel);
  int64_t CoalesceWindowUs(const Topic& topic) const;
  void WakeAt(int64_t due_us);

  EventLoop& loop_;
  PusherMetrics& metrics_;
  const PusherOptions& options_;
  ChannelSubscriptions* subscriptions_ = nullptr;
  std::unique_ptr<PrivateRoomSource> private_rooms_;
  // User topics whose SUBSCRIBE Redis confirmed (since the last connection loss).
  std::unordered_set<const Topic*> confirmed_users_;
  // Callbacks of private_rooms_ hold a weak copy: run after the hub is gone,
  // they do nothing.
  std::shared_ptr<RoomHub*> self_ = std::make_shared<RoomHub*>(this);
  std::vector<Topic*> dirty_topics_;
  std::vector<Topic*> flushing_;  // Flush()'s working copy (kept for its capacity)
  EventLoop::TimerId coalesce_timer_ = 0;
  int64_t coalesce_timer_ms_ = 0;
  RoomContext room_context_;
  std::unordered_map<std::string, std::unique_ptr<Topic>, StringHash, std::equal_to<>> topics_;
};

}  // namespace papo::pusher
