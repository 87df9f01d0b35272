#include "sse-pusher/room.h"

#include <algorithm>
#include <cstddef>
#include <limits>

#include "common/bus/names.h"
#include "common/log.h"
#include "common/sse_frame.h"

namespace papo::pusher {
namespace {

constexpr int64_t kNothingChecked = std::numeric_limits<int64_t>::max();
constexpr int64_t kFetchRetryMs = 1000;
constexpr size_t kMaxEarlyMessages = 4096;

FrameRef MakeMessageFrame(int64_t seq, std::string_view json) {
  return Frame::Make(FrameSseEvent("", std::to_string(seq), json), FrameKind::kMessage, seq);
}

}  // namespace

Room::Room(RoomContext& context, Topic& topic, int64_t sala_id)
    : context_(context),
      topic_(topic),
      sala_id_(sala_id),
      sequencer_(context.options.timeline_capacity),
      cache_floor_(kNothingChecked),
      presence_(context.loop, context.presence, context.options, context.metrics, sala_id) {}

Room::~Room() {
  *alive_ = false;
  context_.loop.Cancel(gap_timer_);
  context_.loop.Cancel(fetch_retry_timer_);
}

// ---- streams ---------------------------------------------------------------

void Room::Join(Connection& connection, std::optional<int64_t> after_seq, std::string_view nome, bool privada) {
  presence_.set_privada(privada);
  privada_ = privada;
  streams_by_user_.emplace(connection.user_id(), &connection);
  if (after_seq) resume_points_[&connection] = *after_seq;
  presence_.Join(connection.user_id(), nome);
  int64_t after = after_seq.value_or(Connection::kNoSeq);
  if (after_seq) ++context_.metrics.backfills;
  if (synced_ && TryServe(connection, after)) return;
  connection.set_catching_up(true);
  waiting_.push_back({&connection, after});
  if (synced_) {
    RequestFetch(after);
  } else {
    StartFetchIfIdle();
  }
}

void Room::Leave(Connection& connection) {
  if (connection.catching_up()) {
    auto it = std::find_if(waiting_.begin(), waiting_.end(),
                           [&](const Waiting& waiting) { return waiting.connection == &connection; });
    if (it != waiting_.end()) waiting_.erase(it);
    it = std::find_if(ahead_.begin(), ahead_.end(),
                      [&](const Waiting& waiting) { return waiting.connection == &connection; });
    if (it != ahead_.end()) {
      if (static_cast<size_t>(it - ahead_.begin()) < ahead_checking_) --ahead_checking_;
      ahead_.erase(it);
    }
  }
  resume_points_.erase(&connection);
  auto [first, last] = streams_by_user_.equal_range(connection.user_id());
  for (auto it = first; it != last; ++it) {
    if (it->second == &connection) {
      streams_by_user_.erase(it);
      break;
    }
  }
  for (Waiting& replay : replays_) {
    if (replay.connection == &connection) replay.connection = nullptr;
  }
  presence_.Leave(connection.user_id());
}

// Serves `connection` from the timeline if possible. Returns false when the
// cache has to be read first. A resume beyond the horizon waits for the
// cache's newest seq (StartAheadCheck) and counts as served here.
bool Room::TryServe(Connection& connection, int64_t after_seq) {
  if (after_seq != Connection::kNoSeq && after_seq > sequencer_.horizon()) {
    connection.set_catching_up(true);
    ahead_.push_back({&connection, after_seq});
    StartAheadCheck();
    return true;
  }
  return ServeFrom(connection, after_seq);
}

bool Room::ServeFrom(Connection& connection, int64_t after_seq) {
  int64_t horizon = sequencer_.horizon();
  if (after_seq == Connection::kNoSeq || after_seq >= horizon) {
    // Live only, or resuming ahead of what this process released (the
    // client saw newer messages elsewhere): Topic::Flush filters by last_seq.
    connection.set_last_seq(after_seq == Connection::kNoSeq ? horizon : after_seq);
    Attach(connection);
    return true;
  }
  std::vector<FrameRef> frames;
  if (sequencer_.Covers(after_seq)) {
    sequencer_.CopyAfter(after_seq, frames);
  } else if (after_seq >= cache_floor_) {
    // The cache was read from after_seq and no longer holds after_seq + 1.
    frames.push_back(MakeResync(after_seq));
    ++context_.metrics.resyncs;
    sequencer_.CopyAfter(sequencer_.base(), frames);
  } else {
    return false;
  }
  context_.metrics.backfill_frames += frames.size();
  connection.SendMany(frames, /*backfill=*/true);
  connection.set_last_seq(horizon);
  Attach(connection);
  return true;
}

void Room::Attach(Connection& connection) {
  connection.set_catching_up(false);
  if (auto resume = resume_points_.find(&connection); resume != resume_points_.end()) {
    replays_.push_back({&connection, resume->second});
    resume_points_.erase(resume);
    StartReplay();
  }
  // The room's current presence, unless the flush is about to send it, or
  // it predates this user's arrival: a page reopened right after its
  // previous stream left would show "0 online" for a moment, and the
  // presence that counts this stream follows within the presence batch.
  if (last_presence_ && !topic_.Queued(last_presence_) && PresenceCounts(connection.user_id())) {
    connection.Send(last_presence_);
  }
}

// Whether the last presenca lists `user_id`, or cannot tell (its list
// holds only the first names of a crowded room, or it did not decode).
bool Room::PresenceCounts(int64_t user_id) const {
  if (!last_presence_users_) return true;
  const PresencePayload& presence = *last_presence_users_;
  for (const OnlineUser& user : presence.usuarios) {
    if (user.id == user_id) return true;
  }
  return static_cast<int64_t>(presence.usuarios.size()) < presence.usuarios_online;
}

void Room::ServeWaiting() {
  if (!synced_) return;
  std::optional<int64_t> needed;
  size_t kept = 0;
  for (size_t i = 0; i < waiting_.size(); ++i) {
    Waiting waiting = waiting_[i];
    if (waiting.connection->closed()) continue;
    if (TryServe(*waiting.connection, waiting.after_seq)) continue;
    waiting_[kept++] = waiting;
    needed = std::min(needed.value_or(waiting.after_seq), waiting.after_seq);
  }
  waiting_.resize(kept);
  if (needed) RequestFetch(*needed);
}

// One read of the newest cached seq for the streams in ahead_ so far; the
// ones that join meanwhile wait for the next read, so every answer was
// read after its streams joined (after they had seen their resume point).
void Room::StartAheadCheck() {
  if (ahead_check_in_flight_ || ahead_.empty()) return;
  ahead_check_in_flight_ = true;
  ahead_checking_ = ahead_.size();
  context_.cache.FetchNewest(sala_id_, 1, [this, alive = alive_, epoch = fetch_epoch_](auto newest) {
    if (!*alive || epoch != fetch_epoch_) return;
    OnAheadChecked(std::move(newest));
  });
}

void Room::OnAheadChecked(Result<std::vector<CachedMessage>> newest) {
  size_t checked = ahead_checking_;
  ahead_check_in_flight_ = false;
  ahead_checking_ = 0;
  std::optional<int64_t> cached_up_to;
  if (newest.ok()) {
    cached_up_to = newest->empty() ? 0 : newest->back().seq;
  } else {
    // Without an answer, trust the client as before: at worst it waits
    // for the room to pass its seq.
    Log(LogLevel::kWarn, "pusher_cache_read_failed").Kv("sala", sala_id_).Kv("error", newest.status().ToString());
  }
  std::vector<Waiting> served(ahead_.begin(), ahead_.begin() + static_cast<std::ptrdiff_t>(checked));
  ahead_.erase(ahead_.begin(), ahead_.begin() + static_cast<std::ptrdiff_t>(checked));
  int64_t horizon = sequencer_.horizon();
  for (const Waiting& waiting : served) {
    Connection& connection = *waiting.connection;
    if (connection.closed()) continue;
    if (!cached_up_to || waiting.after_seq <= std::max(*cached_up_to, horizon)) {
      // Seen elsewhere first, and the room may have released it meanwhile.
      if (ServeFrom(connection, waiting.after_seq)) continue;
      waiting_.push_back(waiting);
      RequestFetch(waiting.after_seq);
      continue;
    }
    // A seq this room never had (a tab from before a database reset): the
    // client reloads, and the stream continues after the horizon. Not the
    // cache's newest when that is higher: what lies between is still on
    // its way here, and the reload then covers it.
    Log(LogLevel::kInfo, "pusher_resume_beyond_room")
        .Kv("sala", sala_id_)
        .Kv("after_seq", waiting.after_seq)
        .Kv("newest", horizon);
    ++context_.metrics.resyncs;
    connection.Send(MakeResync(horizon));
    connection.set_last_seq(horizon);
    Attach(connection);
  }
  StartAheadCheck();
}

// ---- changes replayed to resuming streams ------------------------------------

// One read for the streams attached so far, from the lowest resume point;
// streams that attach meanwhile wait for the next read.
void Room::StartReplay() {
  if (replaying_ != 0 || replays_.empty()) return;
  replaying_ = replays_.size();
  int64_t from = replays_.front().after_seq;
  for (const Waiting& replay : replays_) from = std::min(from, replay.after_seq);
  live_changes_during_replay_.clear();
  context_.cache.FetchChanges(sala_id_, from, context_.options.change_log_size,
                              [this, alive = alive_](auto changes) {
                                if (*alive) OnChangesFetched(std::move(changes));
                              });
}

void Room::OnChangesFetched(Result<std::vector<LoggedChange>> changes) {
  std::vector<Waiting> batch(replays_.begin(), replays_.begin() + static_cast<std::ptrdiff_t>(replaying_));
  replays_.erase(replays_.begin(), replays_.begin() + static_cast<std::ptrdiff_t>(replaying_));
  replaying_ = 0;
  std::vector<LiveChange> live = std::move(live_changes_during_replay_);
  live_changes_during_replay_.clear();
  if (!changes.ok()) {
    // The stream keeps its messages; changes it missed show on its next reload.
    Log(LogLevel::kWarn, "pusher_change_log_read_failed").Kv("sala", sala_id_).Kv("error", changes.status().ToString());
  }
  struct Replayed {
    double position;
    int64_t only_for;  // a status: its author's; otherwise 0 (everyone)
    FrameRef frame;
  };
  std::vector<Replayed> logged;
  if (changes.ok()) {
    logged.reserve(changes->size());
    for (const LoggedChange& change : *changes) {
      auto envelope = DecodeEnvelope(change.envelope);
      if (!envelope || !IsMessageChange(envelope->kind)) continue;
      int64_t only_for = 0;
      if (envelope->kind == EventKind::kStatus) {
        auto status = DecodeStatus(envelope->json);
        if (!status) continue;
        only_for = status->autor_id;
      }
      logged.push_back({change.position, only_for,
                        Frame::Make(FrameSseEvent(EventKindName(envelope->kind), "", envelope->json),
                                    FrameKind::kControl)});
    }
  }
  std::vector<FrameRef> frames;
  for (const Waiting& replay : batch) {
    if (replay.connection == nullptr || replay.connection->closed()) continue;
    frames.clear();
    for (const Replayed& entry : logged) {
      if (entry.position < static_cast<double>(replay.after_seq)) continue;
      if (entry.only_for != 0 && entry.only_for != replay.connection->user_id()) continue;
      frames.push_back(entry.frame);
    }
    // What arrived live during the read may be newer than what it read.
    if (!frames.empty()) {
      for (const LiveChange& change : live) {
        if (change.only_for == 0 || change.only_for == replay.connection->user_id()) frames.push_back(change.frame);
      }
    }
    if (frames.empty()) continue;
    context_.metrics.backfill_frames += frames.size();
    replay.connection->SendMany(frames, /*backfill=*/true);
  }
  StartReplay();
}

// ---- delivery status ----------------------------------------------------------

// A status is its author's only: written to their streams here, not fanned
// out to the room (a room of N would otherwise carry a second frame per
// message to every stream), and found by user: its cost does not grow with
// the room.
void Room::SendStatus(const FrameRef& frame, std::string_view json) {
  auto status = DecodeStatus(json);
  if (!status) return;
  if (replaying_ != 0) live_changes_during_replay_.push_back({status->autor_id, frame});
  auto [first, last] = streams_by_user_.equal_range(status->autor_id);
  for (auto it = first; it != last; ++it) {
    Connection& connection = *it->second;
    if (!connection.closed() && !connection.catching_up()) connection.Send(frame);
  }
}

size_t Room::EndUserStreams(int64_t usuario_id, std::string_view json) {
  std::vector<Connection*> ending;
  auto [first, last] = streams_by_user_.equal_range(usuario_id);
  for (auto it = first; it != last; ++it) {
    if (!it->second->closed()) ending.push_back(it->second);
  }
  if (ending.empty()) return 0;
  // Written at once (Send writes when the socket takes it), ahead of the
  // close: the best effort a closing stream gets. A page that misses it
  // reconnects and is refused with 403, which says the same.
  FrameRef frame = Frame::Make(FrameSseEvent(EventKindName(EventKind::kRoomRemoved), "", json), FrameKind::kControl);
  for (Connection* connection : ending) {
    connection->Send(frame);
    connection->Close(CloseReason::kAccessRevoked);  // leaves this room (and streams_by_user_) now
  }
  return ending.size();
}

void Room::ReportDelivery(std::string_view json) {
  if (context_.delivery == nullptr) return;
  auto message = PeekMessageRef(json);
  if (!message || !presence_.HasOtherThan(message->usuario_id)) return;
  // A burst of messages in one loop pass makes one script call, not one each.
  if (reports_.empty()) {
    context_.loop.Defer([this, alive = alive_] {
      if (*alive) SendReports();
    });
  }
  reports_.push_back({sala_id_, message->id, message->seq, message->usuario_id, MessageStatus::kDelivered});
}

void Room::SendReports() {
  context_.delivery->Report(reports_, privada_);
  reports_.clear();
}

// ---- the cache -------------------------------------------------------------

void Room::OnSubscribed() {
  subscribed_ = true;
  presence_.SetSubscribed(true);
  StartAheadCheck();  // one lost with the connection
  if (synced_) {
    // Back after a reconnect: whatever was published meanwhile is in the cache.
    RequestFetch(sequencer_.horizon());
  } else {
    StartFetchIfIdle();
  }
}

void Room::OnSubscriptionLost() {
  subscribed_ = false;
  presence_.SetSubscribed(false);
  fetch_in_flight_ = false;
  ahead_check_in_flight_ = false;
  ahead_checking_ = 0;
  ++fetch_epoch_;
  context_.loop.Cancel(fetch_retry_timer_);
  fetch_retry_timer_ = 0;
}

void Room::RequestFetch(int64_t after_seq) {
  fetch_wanted_ = std::min(fetch_wanted_.value_or(after_seq), after_seq);
  StartFetchIfIdle();
}

void Room::StartFetchIfIdle() {
  if (fetch_in_flight_ || !subscribed_ || fetch_retry_timer_ != 0) return;
  std::optional<int64_t> after;
  if (synced_) {
    if (!fetch_wanted_) return;
    after = fetch_wanted_;
  }
  // Before the first snapshot the newest messages are read, whatever the
  // waiting streams want: that fixes the room's starting point. Deeper
  // resumes are served by a second read.
  fetch_wanted_.reset();
  fetch_in_flight_ = true;
  ++context_.metrics.cache_fetches;
  int64_t started_ms = context_.loop.now_ms();
  auto done = [this, alive = alive_, epoch = fetch_epoch_, after, started_ms](auto entries) {
    if (!*alive || epoch != fetch_epoch_) return;
    OnFetched(after, started_ms, std::move(entries));
  };
  if (after) {
    context_.cache.FetchAfter(sala_id_, *after, context_.options.cache_fetch_limit, std::move(done));
  } else {
    context_.cache.FetchNewest(sala_id_, static_cast<int>(context_.options.timeline_capacity), std::move(done));
  }
}

void Room::OnFetched(std::optional<int64_t> after_seq, int64_t started_ms,
                     Result<std::vector<CachedMessage>> entries) {
  fetch_in_flight_ = false;
  if (!entries.ok()) {
    Log(LogLevel::kWarn, "pusher_cache_read_failed").Kv("sala", sala_id_).Kv("error", entries.status().ToString());
    if (after_seq) fetch_wanted_ = std::min(fetch_wanted_.value_or(*after_seq), *after_seq);
    fetch_retry_timer_ = context_.loop.RunAfter(kFetchRetryMs, [this] {
      fetch_retry_timer_ = 0;
      StartFetchIfIdle();
    });
    return;
  }
  std::vector<FrameRef> frames;
  frames.reserve(entries->size());
  for (const CachedMessage& entry : *entries) frames.push_back(MakeMessageFrame(entry.seq, entry.json));
  if (!synced_) {
    std::vector<FrameRef> released;
    sequencer_.Initialize(frames, released);
    synced_ = true;
    // Fewer than asked for: the cache holds nothing older.
    if (frames.size() < context_.options.timeline_capacity) cache_floor_ = 0;
    Publish(released, 0);
    Sequence(early_, /*from_cache=*/false);
    early_.clear();
  } else {
    Sequence(frames, /*from_cache=*/true);
    if (after_seq) cache_floor_ = std::min(cache_floor_, *after_seq);
    // Only a read started after the reorder window may end the wait.
    if (sequencer_.has_gap() && gap_since_ms_ != 0 &&
        started_ms >= gap_since_ms_ + context_.options.reorder_window_ms) {
      SkipGap();
    }
  }
  CheckGap();
  ServeWaiting();
  StartFetchIfIdle();
  TrimTimeline();
}

// ---- ordering --------------------------------------------------------------

void Room::OnMessage(int64_t seq, std::string_view json, int64_t received_us) {
  FrameRef frame = MakeMessageFrame(seq, json);
  if (!synced_) {
    // Bounded: whatever is dropped here is in the cache (papo-app caches
    // before it publishes) and comes back with the snapshot or a resume.
    if (early_.size() >= kMaxEarlyMessages) early_.erase(early_.begin(), early_.begin() + kMaxEarlyMessages / 2);
    early_.push_back(std::move(frame));
    return;
  }
  std::vector<FrameRef> released;
  switch (sequencer_.Arrive(std::move(frame), released)) {
    case RoomSequencer::Arrival::kDuplicate: ++context_.metrics.messages_duplicate; break;
    case RoomSequencer::Arrival::kHeld:
      ++context_.metrics.messages_reordered;
      ReportDelivery(json);
      break;
    case RoomSequencer::Arrival::kReleased: ReportDelivery(json); break;
  }
  Publish(released, received_us);
  CheckGap();
  TrimTimeline();
}

void Room::Sequence(std::vector<FrameRef>& frames, bool from_cache) {
  std::vector<FrameRef> older;
  std::vector<FrameRef> released;
  for (FrameRef& frame : frames) {
    if (frame->seq() <= sequencer_.base()) {
      older.push_back(std::move(frame));
      continue;
    }
    auto arrival = sequencer_.Arrive(std::move(frame), released);
    if (!from_cache && arrival == RoomSequencer::Arrival::kDuplicate) ++context_.metrics.messages_duplicate;
  }
  sequencer_.ExtendBack(older);
  Publish(released, 0);
}

void Room::Publish(std::vector<FrameRef>& released, int64_t received_us) {
  for (FrameRef& frame : released) {
    if (topic_.Queue(std::move(frame), received_us)) context_.dirty_topics.push_back(&topic_);
  }
  released.clear();
}

void Room::OnEvent(EventKind kind, std::string_view json, int64_t received_us) {
  FrameKind frame_kind = kind == EventKind::kTyping ? FrameKind::kEphemeral : FrameKind::kControl;
  FrameRef frame = Frame::Make(FrameSseEvent(EventKindName(kind), "", json), frame_kind);
  if (kind == EventKind::kStatus) return SendStatus(frame, json);
  if (kind == EventKind::kPresence) {
    last_presence_ = frame;
    last_presence_users_ = DecodePresence(json);  // once per event, not per stream
  }
  if (replaying_ != 0 && IsMessageChange(kind)) live_changes_during_replay_.push_back({0, frame});
  if (topic_.Queue(std::move(frame), received_us)) context_.dirty_topics.push_back(&topic_);
}

void Room::CheckGap() {
  if (!sequencer_.has_gap()) {
    gap_since_ms_ = 0;
    context_.loop.Cancel(gap_timer_);
    gap_timer_ = 0;
    return;
  }
  if (gap_since_ms_ == 0) gap_since_ms_ = context_.loop.now_ms();
  if (gap_timer_ != 0) return;
  gap_timer_ = context_.loop.RunAt(gap_since_ms_ + context_.options.reorder_window_ms, [this] {
    gap_timer_ = 0;
    // The window is over: one last look in the cache, then give up.
    if (sequencer_.has_gap()) RequestFetch(sequencer_.horizon());
  });
}

void Room::SkipGap() {
  int64_t old_horizon = sequencer_.horizon();
  std::vector<FrameRef> released;
  int64_t new_base = sequencer_.SkipGap(released);
  ++context_.metrics.gaps_skipped;
  Log(LogLevel::kWarn, "pusher_gap_skipped")
      .Kv("sala", sala_id_)
      .Kv("after_seq", old_horizon)
      .Kv("resumes_at", new_base + 1);
  cache_floor_ = kNothingChecked;
  gap_since_ms_ = 0;
  context_.loop.Cancel(gap_timer_);
  gap_timer_ = 0;
  NotifyBehind(new_base);
  Publish(released, 0);
}

// Every attached stream that has not seen everything up to `new_base` is
// told to reload after its last seq, then continues after new_base.
void Room::NotifyBehind(int64_t new_base) {
  topic_.Flush(context_.metrics);  // what was released before the jump goes first
  FrameRef resync;
  int64_t resync_after = Connection::kNoSeq;
  for (const Topic::Subscriber& subscriber : topic_.subscribers()) {
    Connection& connection = *subscriber.connection;
    if (!connection.receiving()) continue;
    int64_t last = connection.last_seq();
    if (last != Connection::kNoSeq && last >= new_base) continue;
    if (last != Connection::kNoSeq) {
      if (!resync || resync_after != last) {
        resync = MakeResync(last);
        resync_after = last;
      }
      connection.Send(resync);
      ++context_.metrics.resyncs;
    }
    connection.set_last_seq(new_base);
  }
}

void Room::TrimTimeline() {
  // Streams still waiting may need the older frames.
  if (!waiting_.empty() || !ahead_.empty() || sequencer_.timeline_size() <= context_.options.timeline_capacity) return;
  sequencer_.Trim();
  cache_floor_ = kNothingChecked;  // the cache may hold what was dropped here
}

FrameRef Room::MakeResync(int64_t after_seq) const {
  return Frame::Make(FrameSseEvent(EventKindName(EventKind::kResync), "", ResyncJson(after_seq)), FrameKind::kControl);
}

}  // namespace papo::pusher
