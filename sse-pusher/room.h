// Room: one chat room's stream on this process: message order, resumes
// (backfill) and presence, on top of the room's Topic.
//
// Ordering: live `mensagem` frames go through a RoomSequencer. A missing
// seq is waited for reorder_window_ms (workers may publish out of order);
// then the cache is read once more; if it still lacks the seq, the room
// gives up on it and every stream behind gets `ressincronizar`
// {"apos_seq":S} (it reloads over /chat/mensagens) before the next ones.
//
// Resume beyond the room: a stream resuming after S > horizon may have
// seen S from another pusher that got it first, or may come from a tab
// left open across a database reset, whose S no longer exists. Only
// Redis can tell: the newest cached seq is read (one read shared by the
// streams waiting for it, started after they joined). S <= that seq: the
// stream attaches at S (the message is on its way here). Above it: the
// stream gets `ressincronizar` {"apos_seq": horizon} and live messages
// after the horizon, instead of silence until the room passes S.
//
// Changes (edits, deletions, reactions, status: DESIGN §9) travel live as
// control frames. A stream resuming after S also gets, once its messages
// are served, the room's change log from position S (one read shared by
// the streams attached meanwhile), then again every live change that
// arrived while that read was in flight: a change is a whole new state
// (text, tombstone, a count), so repeats are harmless and the last one a
// stream gets is the newest.
//
// Delivery status: a live message that a stream of someone other than its
// author will get here is reported once (DeliveryReporter); the first
// pusher's report publishes `status` entregue. A `status` goes to its
// author's streams only (live and replayed), never to the whole room.
//
// Presence: RoomPresenceSync, fed by Join/Leave.
//
// Backfill seam: a stream resuming after seq S is served from the room's
// timeline when it covers S, else it waits ("catching up", skipped by live
// fan-out) for one cache read (ZRANGEBYSCORE (S +inf), shared by every
// stream waiting in the room; the answer is merged into the sequencer and
// the timeline, so live messages that arrived meanwhile are neither lost
// nor sent twice: the stream gets (S, horizon] and is then attached with
// last_seq = horizon, from where live fan-out continues.
//
// Life cycle: created with its topic when the first stream joins; the room
// waits for its channel's SUBSCRIBE confirmation, then reads the newest
// cached messages (its starting point). Live messages that arrive before
// that answer are held, then sequenced after it. After a Redis reconnect it
// reads everything after its horizon, so nothing published meanwhile is
// lost.
//
// Thread-compatible (loop thread only).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/bus/event.h"
#include "common/bus/payloads.h"
#include "sse-pusher/delivery_reporter.h"
#include "sse-pusher/event_loop.h"
#include "sse-pusher/message_cache.h"
#include "sse-pusher/metrics.h"
#include "sse-pusher/presence.h"
#include "sse-pusher/room_presence_sync.h"
#include "sse-pusher/pusher_options.h"
#include "sse-pusher/room_sequencer.h"
#include "sse-pusher/topic.h"

namespace papo::pusher {

// What every room of a process shares. All references outlive the rooms.
struct RoomContext {
  EventLoop& loop;
  MessageCache& cache;
  PresenceWriter* presence;  // null: presence is not recorded (tests)
  DeliveryReporter* delivery;  // null: deliveries are not reported (tests)
  PusherMetrics& metrics;
  const PusherOptions& options;
  std::vector<Topic*>& dirty_topics;  // flushed by the before-sleep hook
};

class Room final {
 public:
  Room(RoomContext& context, Topic& topic, int64_t sala_id);
  ~Room();
  Room(const Room&) = delete;
  Room& operator=(const Room&) = delete;

  // `connection` was just added to the topic. With `after_seq` it resumes
  // after that seq; without, it gets live messages only.
  void Join(Connection& connection, std::optional<int64_t> after_seq, std::string_view nome, bool privada);
  // `connection` closed; call before removing it from the topic.
  void Leave(Connection& connection);

  // The room's channel is subscribed: (re)synchronise with the cache.
  void OnSubscribed();
  // The Redis subscription is gone; OnSubscribed follows when it is back.
  void OnSubscriptionLost();
  // The command connection (re)connected: Redis may have restarted, so
  // record presence again.
  void OnRedisConnected() { presence_.OnRedisConnected(); }

  void OnMessage(int64_t seq, std::string_view json, int64_t received_us);
  // Any other room event: forwarded as the SSE event of its name.
  void OnEvent(EventKind kind, std::string_view json, int64_t received_us);

  // Presence of this room's streams in Redis (room_presence_sync.h).
  RoomPresenceSync& presence() { return presence_; }

  int64_t sala_id() const { return sala_id_; }
  bool synced() const { return synced_; }
  size_t waiting_count() const { return waiting_.size() + ahead_.size(); }
  const RoomSequencer& sequencer() const { return sequencer_; }

 private:
  struct Waiting {
    Connection* connection;
    int64_t after_seq;  // Connection::kNoSeq: live only
  };

  bool TryServe(Connection& connection, int64_t after_seq);
  void StartReplay();
  void OnChangesFetched(Result<std::vector<LoggedChange>> changes);
  void ReportDelivery(std::string_view json);
  void SendReports();
  void SendStatus(const FrameRef& frame, std::string_view json);
 public:
  // `usuario_id` left or was removed from the room (DESIGN §9): their
  // streams of it here get `json` as a `sala_removida` event (the page
  // says so instead of retrying) and end at once; nobody else is told.
  // Returns how many ended.
  size_t EndUserStreams(int64_t usuario_id, std::string_view json);
 private:
  bool ServeFrom(Connection& connection, int64_t after_seq);
  void StartAheadCheck();
  void OnAheadChecked(Result<std::vector<CachedMessage>> newest);
  void Attach(Connection& connection);
  bool PresenceCounts(int64_t user_id) const;
  void ServeWaiting();
  void RequestFetch(int64_t after_seq);
  void StartFetchIfIdle();
  void OnFetched(std::optional<int64_t> after_seq, int64_t started_ms, Result<std::vector<CachedMessage>> entries);
  void Sequence(std::vector<FrameRef>& frames, bool from_cache);
  void Publish(std::vector<FrameRef>& released, int64_t received_us);
  void CheckGap();
  void SkipGap();
  void NotifyBehind(int64_t new_base);
  void TrimTimeline();
  FrameRef MakeResync(int64_t after_seq) const;

  RoomContext& context_;
  Topic& topic_;
  int64_t sala_id_;
  bool subscribed_ = false;
  bool synced_ = false;           // the first cache snapshot was applied
  RoomSequencer sequencer_;
  std::vector<FrameRef> early_;   // live messages that came before the snapshot
  std::vector<Waiting> waiting_;  // streams catching up
  std::vector<Waiting> ahead_;    // resuming after S > horizon: waiting for the cache's newest seq
  bool ahead_check_in_flight_ = false;
  size_t ahead_checking_ = 0;     // the first N of ahead_ joined before the read in flight
  // For resumes after S < base: S >= cache_floor_ means the cache was read
  // from S already and did not have S + 1 (ressincronizar); otherwise read it.
  int64_t cache_floor_;
  bool fetch_in_flight_ = false;
  std::optional<int64_t> fetch_wanted_;
  uint64_t fetch_epoch_ = 0;      // answers from before a reconnect are ignored
  EventLoop::TimerId fetch_retry_timer_ = 0;
  int64_t gap_since_ms_ = 0;
  EventLoop::TimerId gap_timer_ = 0;
  bool privada_ = false;
  std::vector<StatusChange> reports_;  // this loop pass's deliveries, sent together
  // Each user's streams here: a `status` goes to its author's only, found
  // without a pass over every stream of the room.
  std::unordered_multimap<int64_t, Connection*> streams_by_user_;
  // Streams that resume after a seq: their change replay starts when they attach.
  std::unordered_map<Connection*, int64_t> resume_points_;
  std::vector<Waiting> replays_;  // attached, waiting for the change log (connection null: left)
  size_t replaying_ = 0;          // the first N of replays_ are in the read in flight
  struct LiveChange {
    int64_t only_for;  // a status: its author's; otherwise 0 (everyone)
    FrameRef frame;
  };
  std::vector<LiveChange> live_changes_during_replay_;
  FrameRef last_presence_;        // sent to streams when they attach
  std::optional<PresencePayload> last_presence_users_;  // last_presence_, decoded
  RoomPresenceSync presence_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for Redis callbacks
};

}  // namespace papo::pusher
