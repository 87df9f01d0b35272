#include "sse-pusher/room_hub.h"

#include <algorithm>
#include <memory>
#include <unordered_set>

#include "common/log.h"
#include "common/bus/names.h"
#include "common/sse_frame.h"

namespace papo::pusher {
namespace {

bool HasTopic(Connection& connection, const Topic* topic) {
  for (const TopicSlot& slot : connection.topic_slots()) {
    if (slot.topic == topic) return true;
  }
  return false;
}

}  // namespace

RoomHub::RoomHub(EventLoop& loop, PusherMetrics& metrics, const PusherOptions& options, MessageCache& cache,
                 PresenceWriter* presence, DeliveryReporter* delivery)
    : loop_(loop),
      metrics_(metrics),
      options_(options),
      room_context_{loop, cache, presence, delivery, metrics, options, dirty_topics_} {}

RoomHub::~RoomHub() { loop_.Cancel(coalesce_timer_); }

Topic* RoomHub::Find(std::string_view channel) const {
  auto it = topics_.find(channel);
  return it == topics_.end() ? nullptr : it->second.get();
}

Room* RoomHub::FindRoom(int64_t sala_id) const {
  Topic* topic = Find(RoomChannel(sala_id));
  return topic == nullptr ? nullptr : topic->room();
}

size_t RoomHub::RoomStreams(int64_t sala_id) const {
  Topic* topic = Find(RoomChannel(sala_id));
  return topic == nullptr ? 0 : topic->size();
}

size_t RoomHub::rooms_active() const {
  size_t count = 0;
  for (const auto& [channel, topic] : topics_) {
    if (topic->kind() == Topic::Kind::kRoom && topic->size() > 0) ++count;
  }
  return count;
}

Topic& RoomHub::Subscribe(Connection& connection, const std::string& channel, Topic::Kind kind, int64_t id) {
  Topic* topic = Find(channel);
  if (topic == nullptr) {
    auto created = std::make_unique<Topic>(channel, kind, id);
    topic = created.get();
    if (kind == Topic::Kind::kRoom) topic->set_room(std::make_unique<Room>(room_context_, *topic, id));
    topics_.emplace(channel, std::move(created));
    subscriptions_->Want(channel);
  } else if (topic->releasing) {
    topic->releasing = false;
    subscriptions_->Want(channel);
  }
  topic->Add(connection);
  return *topic;
}

void RoomHub::JoinRoom(Connection& connection, const StreamRequest& request) {
  Topic& topic = Subscribe(connection, RoomChannel(request.sala_id), Topic::Kind::kRoom, request.sala_id);
  topic.room()->Join(connection, request.after_seq, request.usuario_nome, request.sala_privada);
}

void RoomHub::JoinList(Connection& connection, const StreamRequest& request) {
  Subscribe(connection, PublicListChannel(), Topic::Kind::kList, 0);
  Topic& user = Subscribe(connection, UserChannel(request.usuario_id), Topic::Kind::kUser, request.usuario_id);
  // Otherwise OnSubscribed reads them, once the channel is live.
  if (confirmed_users_.count(&user)) FetchPrivateRooms(request.usuario_id);
}

void RoomHub::FetchPrivateRooms(int64_t usuario_id) {
  if (private_rooms_ == nullptr) return;
  std::weak_ptr<RoomHub*> hub = self_;
  private_rooms_->Fetch(usuario_id, [hub, usuario_id](Result<std::vector<int64_t>> rooms) {
    if (auto self = hub.lock()) (*self)->OnPrivateRooms(usuario_id, std::move(rooms));
  });
}

// Every list stream of the user on this process gets the rooms, not only
// the one that asked: it is idempotent, and no stream pointer has to
// survive the wait (a closed stream has already left the user's topic).
void RoomHub::OnPrivateRooms(int64_t usuario_id, Result<std::vector<int64_t>> rooms) {
  Topic* user = Find(UserChannel(usuario_id));
  if (user == nullptr || user->size() == 0) return;
  std::vector<Connection*> streams;
  for (size_t i = 0; i < user->size(); ++i) {
    Connection* connection = user->subscribers()[i].connection;
    if (!connection->closed()) streams.push_back(connection);
  }
  if (rooms.status().code() == Status::Code::kNotFound) {
    // Nothing stored: a stream that did not come through papo-app's
    // authorization (tests, load tools), or Redis lost the set in the
    // moment between papo-app's write and this read. Public rooms only.
    Log(LogLevel::kDebug, "pusher_private_rooms_not_stored").Kv("usuario_id", usuario_id);
    return;
  }
  if (!rooms.ok()) {
    // Without them the streams would silently miss every private room's
    // activity: end them, the browsers reconnect and papo-app stores the
    // rooms again.
    Log(LogLevel::kWarn, "pusher_private_rooms_unreadable").Kv("usuario_id", usuario_id)
        .Kv("error", rooms.status().message());
    for (Connection* connection : streams) connection->Close(CloseReason::kStreamExpired);
    return;
  }
  for (Connection* connection : streams) JoinPrivate(*connection, *rooms);
}

void RoomHub::JoinPrivate(Connection& connection, const std::vector<int64_t>& sala_ids) {
  std::unordered_set<const Topic*> joined;
  for (const TopicSlot& slot : connection.topic_slots()) joined.insert(slot.topic);
  for (int64_t sala_id : sala_ids) {
    std::string channel = PrivateListChannel(sala_id);
    Topic* existing = Find(channel);
    if (existing != nullptr && joined.count(existing)) continue;
    joined.insert(&Subscribe(connection, channel, Topic::Kind::kList, sala_id));
  }
}

void RoomHub::Leave(Connection& connection) {
  auto& slots = connection.topic_slots();
  for (size_t i = slots.size(); i-- > 0;) {
    Topic* topic = slots[i].topic;
    if (topic->room() != nullptr) topic->room()->Leave(connection);
    topic->Remove(connection, static_cast<uint32_t>(i));
    if (topic->size() == 0) topic->idle_since_ms = loop_.now_ms();
  }
  slots.clear();
}

void RoomHub::LeaveTopic(Connection& connection, Topic& topic) {
  auto& slots = connection.topic_slots();
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].topic != &topic) continue;
    if (topic.room() != nullptr) topic.room()->Leave(connection);
    topic.Remove(connection, static_cast<uint32_t>(i));
    if (topic.size() == 0) topic.idle_since_ms = loop_.now_ms();
    // The connection's last slot takes this one's place: its topic learns
    // the new position.
    size_t last = slots.size() - 1;
    if (i != last) {
      slots[i] = slots[last];
      slots[i].topic->MoveSlot(slots[i].index, static_cast<uint32_t>(i));
    }
    slots.pop_back();
    return;
  }
}

void RoomHub::OnSubscribed(const std::string& channel) {
  Topic* topic = Find(channel);
  if (topic == nullptr) return;
  if (topic->room() != nullptr) topic->room()->OnSubscribed();
  if (topic->kind() == Topic::Kind::kUser && !topic->releasing) {
    confirmed_users_.insert(topic);
    if (topic->size() > 0) FetchPrivateRooms(topic->id());
  }
}

void RoomHub::OnUnsubscribed(const std::string& channel) {
  Topic* topic = Find(channel);
  if (topic != nullptr && topic->releasing && topic->size() == 0) Destroy(channel);
}

void RoomHub::Destroy(const std::string& channel) {
  auto it = topics_.find(channel);
  if (it == topics_.end()) return;
  std::erase(dirty_topics_, it->second.get());
  confirmed_users_.erase(it->second.get());
  topics_.erase(it);
}

void RoomHub::OnConnectionLost() {
  confirmed_users_.clear();
  for (auto& [channel, topic] : topics_) {
    if (topic->room() != nullptr) topic->room()->OnSubscriptionLost();
  }
}

void RoomHub::OnCommandsConnected() {
  for (auto& [channel, topic] : topics_) {
    if (topic->room() != nullptr) topic->room()->OnRedisConnected();
  }
}

void RoomHub::OnMessage(std::string_view channel, std::string_view payload) {
  Topic* topic = Find(channel);
  if (topic == nullptr) return;
  auto envelope = DecodeEnvelope(payload);
  if (!envelope) {
    Log(LogLevel::kWarn, "pusher_bad_envelope").Kv("channel", channel).Kv("bytes", static_cast<uint64_t>(payload.size()));
    return;
  }
  int64_t received_us = MonotonicMicros();
  switch (topic->kind()) {
    case Topic::Kind::kRoom:
      if (envelope->kind == EventKind::kMessage) {
        if (envelope->seq > 0) topic->room()->OnMessage(envelope->seq, envelope->json, received_us);
      } else if (envelope->kind == EventKind::kRoomRemoved) {
        if (auto removal = DecodeRoomRemoved(envelope->json)) {
          topic->room()->EndUserStreams(removal->usuario_id, envelope->json);
        }
      } else if (envelope->kind != EventKind::kResync) {
        topic->room()->OnEvent(envelope->kind, envelope->json, received_us);
      }
      return;
    case Topic::Kind::kList:
      if (envelope->kind == EventKind::kRoom || envelope->kind == EventKind::kActivity) {
        Forward(*topic, envelope->kind, envelope->json, received_us);
      }
      return;
    case Topic::Kind::kUser:
      OnUserEvent(*topic, *envelope, received_us);
      return;
  }
}

void RoomHub::OnUserEvent(Topic& topic, const Envelope& envelope, int64_t received_us) {
  if (envelope.kind == EventKind::kMention) return Forward(topic, envelope.kind, envelope.json, received_us);
  if (envelope.kind == EventKind::kRoomRemoved) {
    // The user lost a private room: their list streams here stop following
    // its activity, then hear that it is gone.
    if (Topic* list = Find(PrivateListChannel(envelope.sala_id))) {
      for (size_t i = 0; i < topic.size(); ++i) LeaveTopic(*topic.subscribers()[i].connection, *list);
    }
    return Forward(topic, envelope.kind, envelope.json, received_us);
  }
  if (envelope.kind != EventKind::kRoom) return;
  if (envelope.privada && envelope.sala_id > 0) {
    // The user gained a private room: their list streams here follow its
    // activity from now on.
    std::string channel = PrivateListChannel(envelope.sala_id);
    for (size_t i = 0; i < topic.size(); ++i) {
      Connection& connection = *topic.subscribers()[i].connection;
      if (connection.closed()) continue;
      Topic* existing = Find(channel);
      if (existing != nullptr && HasTopic(connection, existing)) continue;
      Subscribe(connection, channel, Topic::Kind::kList, envelope.sala_id);
    }
  }
  Forward(topic, envelope.kind, envelope.json, received_us);
}

void RoomHub::Forward(Topic& topic, EventKind kind, std::string_view json, int64_t received_us) {
  FrameRef frame = Frame::Make(FrameSseEvent(EventKindName(kind), "", json), FrameKind::kControl);
  if (topic.Queue(std::move(frame), received_us)) dirty_topics_.push_back(&topic);
}

void RoomHub::Flush() {
  if (dirty_topics_.empty()) return;
  // Flushing never queues events, but work on a copy anyway: held topics
  // go back to dirty_topics_, after anything queued meanwhile.
  flushing_.swap(dirty_topics_);
  int64_t now_us = MonotonicMicros();
  int64_t next_due_us = 0;
  for (Topic* topic : flushing_) {
    if (!topic->dirty()) continue;  // flushed meanwhile (Room::NotifyBehind)
    int64_t due_us = topic->FlushDueUs(CoalesceWindowUs(*topic), static_cast<size_t>(options_.coalesce_events));
    if (due_us <= now_us) {
      topic->Flush(metrics_);
      continue;
    }
    dirty_topics_.push_back(topic);
    if (next_due_us == 0 || due_us < next_due_us) next_due_us = due_us;
  }
  flushing_.clear();
  if (next_due_us != 0) WakeAt(next_due_us);
}

int64_t RoomHub::CoalesceWindowUs(const Topic& topic) const {
  int64_t by_size = static_cast<int64_t>(topic.size()) * options_.coalesce_us_per_stream;
  return std::min<int64_t>(by_size, int64_t{options_.coalesce_ms} * 1000);
}

void RoomHub::WakeAt(int64_t due_us) {
  // The loop's clock is the same CLOCK_MONOTONIC in ms: round up, so the
  // topic is due when the timer has run. Flush() itself runs before sleep.
  int64_t due_ms = (due_us + 999) / 1000;
  if (coalesce_timer_ != 0 && coalesce_timer_ms_ <= due_ms) return;
  loop_.Cancel(coalesce_timer_);
  coalesce_timer_ms_ = due_ms;
  coalesce_timer_ = loop_.RunAt(due_ms, [this] { coalesce_timer_ = 0; });
}

void RoomHub::Sweep(int64_t now_ms) {
  std::vector<std::string> idle;
  for (auto& [channel, topic] : topics_) {
    Room* room = topic->room();
    if (room != nullptr) room->presence().Sweep(now_ms);
    if (topic->size() != 0 || topic->releasing) continue;
    if (now_ms - topic->idle_since_ms < options_.channel_linger_ms) continue;
    if (room != nullptr && (room->presence().pending() || room->waiting_count() != 0)) continue;
    idle.push_back(channel);
  }
  for (const std::string& channel : idle) {
    Topic* topic = Find(channel);
    if (topic == nullptr) continue;
    topic->releasing = true;
    confirmed_users_.erase(topic);
    if (topic->room() != nullptr) topic->room()->OnSubscriptionLost();
    subscriptions_->Release(channel);  // may destroy the topic at once
  }
}

void RoomHub::ClearPresence(std::function<void()> done) {
  auto remaining = std::make_shared<size_t>(1);
  auto finish = [remaining, done = std::move(done)] {
    if (--*remaining == 0) done();
  };
  for (auto& [channel, topic] : topics_) {
    if (topic->room() == nullptr) continue;
    ++*remaining;
    topic->room()->presence().Clear(finish);
  }
  finish();
}

}  // namespace papo::pusher
