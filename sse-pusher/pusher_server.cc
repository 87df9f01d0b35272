#include "sse-pusher/pusher_server.h"

#include <algorithm>
#include <ctime>

#include "common/log.h"
#include "common/bus/names.h"
#include "common/sse_frame.h"
#include "sse-pusher/http_response.h"
#include "sse-pusher/pusher_secret.h"
#include "sse-pusher/stream_request.h"

namespace papo::pusher {
namespace {

constexpr int64_t kSweepIntervalMs = 1000;
constexpr int64_t kDrainStepMs = 100;
constexpr int64_t kDrainGraceMs = 2000;         // backlogs may flush this long after drain_ms
constexpr int64_t kPresenceClearTimeoutMs = 1000;
// CLUSTER SLOTS is read synchronously in the loop on a topology change:
// a node that does not answer may hold the loop this long.
constexpr int kClusterSlotsTimeoutMs = 200;

}  // namespace

PusherServer::PusherServer(EventLoop& loop, PusherOptions options)
    : loop_(loop),
      options_(std::move(options)),
      connection_context_{loop, metrics_, options_, *this, HttpLimits{}},
      cluster_topology_(options_.redis.mode == RedisMode::kCluster
                            ? std::make_unique<ClusterTopology>(loop, options_.redis, kClusterSlotsTimeoutMs)
                            : nullptr),
      commander_(cluster_topology_
                     ? std::make_unique<RedisCommander>(loop, metrics_, *cluster_topology_,
                                                        options_.redis_connect_timeout_ms,
                                                        [this] { OnCommandsConnected(); })
                     : std::make_unique<RedisCommander>(loop, metrics_, options_.redis,
                                                        options_.redis_connect_timeout_ms,
                                                        [this] { OnCommandsConnected(); })),
      cache_(*commander_),
      presence_(*commander_, options_),
      delivery_(*commander_, options_.redis.mode, options_.change_log_size),
      hub_(loop, metrics_, options_, cache_, &presence_, &delivery_),
      stream_limiter_(loop, *commander_, metrics_, options_),
      sessions_channel_(SessionsChannel()),
      heartbeat_(Frame::Make(FrameSseComment("ping"), FrameKind::kControl)),
      stream_head_(Frame::Make(MakeStreamHead(options_.retry_ms), FrameKind::kControl)) {
  // Channels subscribed for the connection's life: this pusher's control
  // channel and logouts.
  std::vector<std::string> permanent = {PusherControlChannel(options_.pusher_id), sessions_channel_};
  if (cluster_topology_) {
    sharded_subscriber_ = std::make_unique<ShardedSubscriber>(loop, metrics_, *cluster_topology_,
                                                              options_.redis_connect_timeout_ms, std::move(permanent), *this);
    hub_.SetSubscriptions(sharded_subscriber_.get());
  } else {
    subscriber_ = std::make_unique<RedisSubscriber>(loop, metrics_, options_.redis, options_.redis_connect_timeout_ms,
                                                    std::move(permanent), *this);
    hub_.SetSubscriptions(subscriber_.get());
  }
  if (options_.redis.mode == RedisMode::kSentinel) {
    sentinel_watcher_ = std::make_unique<SentinelWatcher>(
        loop, metrics_, options_.redis, options_.redis_connect_timeout_ms, [this](const RedisHostPort& master) {
          commander_->FollowMaster(master);
          subscriber_->FollowMaster(master);
        });
  }
  hub_.SetPrivateRooms(std::make_unique<RedisPrivateRooms>(*commander_));
  // Order matters: fan out first, then free what closed (possibly during
  // the fan-out itself).
  loop_.AddBeforeSleep([this] { hub_.Flush(); });
  loop_.AddBeforeSleep([this] { Reap(); });
}

PusherServer::~PusherServer() {
  loop_.Cancel(sweep_timer_);
  loop_.Cancel(drain_timer_);
  listener_.reset();
  metrics_listener_.reset();
  for (auto& connection : connections_) hub_.Leave(*connection);
  connections_.clear();
  closing_.clear();
  sentinel_watcher_.reset();
  sharded_subscriber_.reset();
  subscriber_.reset();
}

Status PusherServer::Start() {
  auto listener = ::papo::pusher::Listener::Open(loop_, options_.listen, options_.socket_mode,
                                 [this](UniqueFd socket) { Adopt(std::move(socket), false); });
  if (!listener.ok()) return Status(listener.status().code(), "PAPO_PUSHER_LISTEN: " + listener.status().message());
  listener_ = std::move(listener).value();
  listen_address_ = listener_->bound_address();
  if (!options_.metrics_listen.empty()) {
    auto metrics = ::papo::pusher::Listener::Open(loop_, options_.metrics_listen, options_.socket_mode,
                                  [this](UniqueFd socket) { Adopt(std::move(socket), true); });
    if (!metrics.ok()) {
      return Status(metrics.status().code(), "PAPO_PUSHER_METRICS_LISTEN: " + metrics.status().message());
    }
    metrics_listener_ = std::move(metrics).value();
  }
  commander_->Start();
  if (sharded_subscriber_) {
    sharded_subscriber_->Start();
  } else {
    subscriber_->Start();
  }
  if (sentinel_watcher_) sentinel_watcher_->Start();
  sweep_timer_ = loop_.RunAfter(kSweepIntervalMs, [this] { Sweep(); });
  return Status::Ok();
}

const std::string& PusherServer::listen_address() const { return listen_address_; }

void PusherServer::OnCommandsConnected() {
  hub_.OnCommandsConnected();
  stream_limiter_.OnRedisConnected();
}

bool PusherServer::redis_connected() const {
  bool subscribed = sharded_subscriber_ ? sharded_subscriber_->connected() : subscriber_->connected();
  return subscribed && commander_->connected();
}

void PusherServer::Adopt(UniqueFd socket, bool metrics_only) {
  ++metrics_.connections_accepted;
  auto connection = std::make_unique<Connection>(connection_context_, std::move(socket), metrics_only);
  Connection* raw = connection.get();
  raw->set_index(static_cast<uint32_t>(connections_.size()));
  if (!loop_.Watch(raw->fd(), EventLoop::kReadable, raw).ok()) return;  // freed here, never watched
  connections_.push_back(std::move(connection));
}

void PusherServer::OnClosing(Connection& connection) { closing_.push_back(&connection); }

void PusherServer::Reap() {
  while (!closing_.empty()) {
    std::vector<Connection*> batch;
    batch.swap(closing_);
    for (Connection* connection : batch) {
      hub_.Leave(*connection);
      sessions_.Remove(*connection);
      if (!waiting_.empty()) waiting_.erase(connection);
      if (connection->kind() != Connection::Kind::kUnknown) {
        --stream_count_;
        if (stream_limiter_.enabled()) stream_limiter_.Release(connection->user_id());
      }
      uint32_t index = connection->index();
      connections_.back()->set_index(index);
      std::swap(connections_[index], connections_.back());
      connections_.pop_back();  // ~Connection unwatches and closes the socket
    }
  }
}

void PusherServer::Reject(Connection& connection, int status, std::string_view extra_headers) {
  ++metrics_.http_rejected;
  connection.Respond(Frame::Make(MakeErrorResponse(status, extra_headers), FrameKind::kControl));
}

void PusherServer::OnRequest(Connection& connection, const HttpRequest& request) {
  std::string_view path = request.path;
  // Health and metrics are plain documents: HEAD too, as load balancers and
  // uptime checkers send it. A stream is GET only.
  bool document = path == "/chat/health" || path == "/metrics";
  bool head = request.method == "HEAD";
  if (request.method != "GET" && !(head && document)) {
    return Reject(connection, 405, document ? "Allow: GET, HEAD\r\n" : "Allow: GET\r\n");
  }
  if (path == "/chat/health") return HandleHealth(connection, head);
  if (path == "/metrics") return HandleMetrics(connection, head);
  if (path == "/chat/stream" && !connection.metrics_only()) return HandleStream(connection, request);
  Reject(connection, 404);
}

void PusherServer::HandleStream(Connection& connection, const HttpRequest& request) {
  // Before anything else is read: the user headers mean nothing unless
  // nginx sent them (DESIGN §11).
  if (!options_.secret.empty()) {
    auto presented = request.Header(kPusherSecretHeader);
    if (!PusherSecretMatches(options_.secret, presented)) {
      ++metrics_.secret_rejections;
      Log(LogLevel::kWarn, "pusher_secret_refused").Kv("reason", presented ? "wrong" : "missing").Kv("listen", listen_address_);
      return Reject(connection, 403);
    }
  }
  if (draining_) return Reject(connection, 503, "Retry-After: 2\r\n");
  auto parsed = ParseStreamRequest(request);
  if (!parsed.ok()) {
    Log(LogLevel::kDebug, "pusher_stream_refused").Kv("reason", parsed.status().message());
    return Reject(connection, parsed.status().code() == Status::Code::kUnauthenticated ? 401 : 400);
  }
  if (!stream_limiter_.enabled()) return StartStream(connection, *parsed, false);
  if (Refused(connection, *parsed, false)) return;  // no need to ask Redis
  // CHAT_MAX_STREAMS_PER_USER: Redis answers for every pusher at once; the
  // stream starts (and joins presence) only once it said yes, so a refused
  // stream never shows anyone as online nor takes a room slot.
  connection.AwaitDecision();
  uint64_t wait_id = ++next_wait_id_;
  waiting_[&connection] = wait_id;
  int64_t usuario_id = parsed->usuario_id;
  stream_limiter_.Acquire(usuario_id, [this, raw = &connection, wait_id, stream = std::move(parsed).value()](
                                          bool allowed) { Decided(raw, wait_id, stream, allowed); });
}

void PusherServer::Decided(Connection* connection, uint64_t wait_id, const StreamRequest& stream, bool allowed) {
  auto it = waiting_.find(connection);
  bool gone = it == waiting_.end() || it->second != wait_id;  // freed: never touch `connection`
  // Closed in this loop iteration (the browser left, a timeout), freed at its end.
  if (!gone) {
    waiting_.erase(it);
    gone = connection->closed();
  }
  if (gone) {
    if (allowed) stream_limiter_.Release(stream.usuario_id);
    return;
  }
  if (!allowed) {
    ++metrics_.stream_limit_rejections;
    ++metrics_.http_rejected;
    Log(LogLevel::kInfo, "pusher_user_streams_full")
        .Kv("user", stream.usuario_id)
        .Kv("limit", options_.max_streams_per_user);
    std::string erro = "Você já tem " + std::to_string(options_.max_streams_per_user) +
                       " conexões abertas (abas ou janelas); feche alguma e tente novamente.";
    connection->Respond(
        Frame::Make(MakeErrorResponseSaying(503, erro, "Retry-After: 10\r\n"), FrameKind::kControl));
    return;
  }
  StartStream(*connection, stream, true);
}

bool PusherServer::Refused(Connection& connection, const StreamRequest& stream, bool counted) {
  auto refuse = [&](int status, std::string_view extra_headers = {}) {
    if (counted) stream_limiter_.Release(stream.usuario_id);
    Reject(connection, status, extra_headers);
    return true;
  };
  if (draining_) return refuse(503, "Retry-After: 2\r\n");
  if (stream.session_expires_s && *stream.session_expires_s <= static_cast<int64_t>(std::time(nullptr))) {
    return refuse(401);
  }
  // Authorized just before its session's logout notice got here.
  if (sessions_.Ended(SessionStreams::KeyOf(stream.session_id))) return refuse(401);
  if (stream.kind == StreamRequest::Kind::kRoom &&
      hub_.RoomStreams(stream.sala_id) >= static_cast<size_t>(options_.max_connections_per_room)) {
    ++metrics_.room_limit_rejections;
    Log(LogLevel::kWarn, "pusher_room_full").Kv("sala", stream.sala_id).Kv("limit", options_.max_connections_per_room);
    return refuse(503, "Retry-After: 5\r\n");
  }
  return false;
}

void PusherServer::StartStream(Connection& connection, const StreamRequest& stream, bool counted) {
  // Again after a wait for Redis: the process may have begun draining, the
  // session may have ended, the room may have filled meanwhile.
  if (Refused(connection, stream, counted)) return;
  int64_t lifetime_s = options_.stream_timeout_seconds;
  if (stream.session_expires_s) {
    lifetime_s = std::min(lifetime_s, *stream.session_expires_s - static_cast<int64_t>(std::time(nullptr)));
  }
  uint64_t session_key = SessionStreams::KeyOf(stream.session_id);
  bool is_room = stream.kind == StreamRequest::Kind::kRoom;
  uint32_t deadline_s = static_cast<uint32_t>(loop_.now_ms() / 1000 + lifetime_s);
  connection.BeginStream(is_room ? Connection::Kind::kRoomStream : Connection::Kind::kListStream, stream_head_,
                         stream.usuario_id, deadline_s);
  ++stream_count_;  // counted even if the write failed: Reap() uncounts every stream (and releases its slot)
  ++metrics_.streams_opened;
  connection.set_session_key(session_key);
  sessions_.Add(connection);  // Reap() removes every stream, closed or not
  if (connection.closed()) return;
  if (is_room) {
    hub_.JoinRoom(connection, stream);
  } else {
    hub_.JoinList(connection, stream);
  }
}

void PusherServer::OnMessage(std::string_view channel, std::string_view payload) {
  if (channel == sessions_channel_) {
    sessions_.End(payload, loop_.now_ms());
    return;
  }
  hub_.OnMessage(channel, payload);
}

void PusherServer::HandleHealth(Connection& connection, bool head_only) {
  bool healthy = redis_connected() && !draining_;
  std::string body = "{\"status\":\"";
  body += draining_ ? "draining" : healthy ? "healthy" : "unhealthy";
  body += "\",\"total_connections\":" + std::to_string(stream_count_);
  body += ",\"rooms_active\":" + std::to_string(hub_.rooms_active()) + "}";
  int status = healthy ? 200 : 503;
  if (!healthy) ++metrics_.http_rejected;
  connection.Respond(Frame::Make(MakeHttpResponse(status, "application/json; charset=utf-8", body, {}, head_only),
                                 FrameKind::kControl));
}

PusherGauges PusherServer::Gauges() const {
  PusherGauges gauges;
  gauges.connections = static_cast<int64_t>(stream_count_);
  gauges.rooms_active = static_cast<int64_t>(hub_.rooms_active());
  gauges.topics = static_cast<int64_t>(hub_.topic_count());
  gauges.redis_connected = redis_connected();
  gauges.draining = draining_;
  gauges.stream_limit_fallback = stream_limiter_.in_fallback();
  return gauges;
}

void PusherServer::HandleMetrics(Connection& connection, bool head_only) {
  std::string body = metrics_.RenderPrometheus(Gauges());
  connection.Respond(Frame::Make(MakeHttpResponse(200, "text/plain; version=0.0.4; charset=utf-8", body, {}, head_only),
                                 FrameKind::kControl));
}

void PusherServer::Sweep() {
  sweep_timer_ = loop_.RunAfter(kSweepIntervalMs, [this] { Sweep(); });
  uint32_t now_s = static_cast<uint32_t>(loop_.now_ms() / 1000);
  // Close() only marks a connection; the vector is not touched until Reap().
  for (size_t i = 0; i < connections_.size(); ++i) connections_[i]->Sweep(now_s, heartbeat_);
  hub_.Sweep(loop_.now_ms());
  sessions_.Sweep(loop_.now_ms());
  if (stream_limiter_.enabled()) stream_limiter_.Sweep(loop_.now_ms());
}

void PusherServer::BeginDrain() {
  if (draining_) return;
  draining_ = true;
  drain_started_ms_ = loop_.now_ms();
  drain_initial_streams_ = stream_count_;
  Log(LogLevel::kInfo, "pusher_draining").Kv("streams", static_cast<uint64_t>(stream_count_)).Kv("drain_ms", options_.drain_ms);
  listener_.reset();  // nginx now gets "connection refused" here and tries the next pusher
  DrainStep();
}

void PusherServer::DrainStep() {
  drain_timer_ = 0;
  int64_t elapsed = loop_.now_ms() - drain_started_ms_;
  size_t target = drain_initial_streams_;
  if (options_.drain_ms > 0 && elapsed < options_.drain_ms) {
    target = static_cast<size_t>(static_cast<double>(drain_initial_streams_) * static_cast<double>(elapsed + kDrainStepMs) /
                                 options_.drain_ms);
  }
  bool final_pass = elapsed >= options_.drain_ms + kDrainGraceMs;
  // Streams without a backlog go first; those still flushing get the grace time.
  for (size_t i = connections_.size(); i-- > 0 && (drain_closed_ < target || final_pass);) {
    Connection& connection = *connections_[i];
    if (connection.closed() || connection.state() != Connection::State::kStreaming) continue;
    if (connection.backlog_bytes() > 0 && !final_pass) continue;
    connection.Close(CloseReason::kDraining);
    ++drain_closed_;
  }
  if (stream_count_ == 0 || final_pass) {
    bool streams_left = false;
    for (auto& connection : connections_) {
      if (!connection->closed() && connection->state() == Connection::State::kStreaming) streams_left = true;
    }
    if (!streams_left) return FinishDrain();
  }
  drain_timer_ = loop_.RunAfter(kDrainStepMs, [this] { DrainStep(); });
}

void PusherServer::FinishDrain() {
  if (drain_finishing_) return;
  drain_finishing_ = true;
  auto stop = [this] {
    if (loop_.stopping()) return;
    Log(LogLevel::kInfo, "pusher_drained");
    loop_.Stop();
  };
  hub_.ClearPresence(stop);
  drain_timer_ = loop_.RunAfter(kPresenceClearTimeoutMs, stop);
}

void PusherServer::StopNow() { loop_.Stop(); }

}  // namespace papo::pusher
