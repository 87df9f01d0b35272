#include "bench/loadgen/redis_direct_publisher.h"

#include <errno.h>
#include <hiredis/hiredis.h>
#include <sys/epoll.h>
#include <sys/un.h>
#include <unistd.h>

#include <vector>

#include "bench/loadgen/endpoint.h"
#include "common/bus/cluster_slots.h"
#include "common/redis_argv.h"
#include "common/redis_client.h"
#include "common/bus/names.h"
#include "common/bus/scripts.h"
#include "common/time_format.h"

namespace papo::bench {
namespace {

RedisAddress ToRedisAddress(const Endpoint& endpoint) {
  RedisAddress address;
  if (endpoint.is_unix) {
    address.unix_path = reinterpret_cast<const sockaddr_un*>(&endpoint.address)->sun_path;
  } else {
    auto colon = endpoint.text.rfind(':');
    address.host = endpoint.text.substr(0, colon);
    address.port = std::stoi(endpoint.text.substr(colon + 1));
  }
  return address;
}

}  // namespace

RedisDirectPublisher::RedisDirectPublisher(const LoadgenOptions& options)
    : Publisher(options), cluster_(options.publish == PublishMode::kRedisCluster) {}

RedisDirectPublisher::~RedisDirectPublisher() {
  for (Lane& lane : lanes_) {
    if (lane.fd >= 0) close(lane.fd);
  }
}

// The script is loaded on every lane's server and the newest seq of each
// room read from the server that holds the room's cache.
Status RedisDirectPublisher::LoadScriptAndSeqs() {
  RedisAddress seed = ToRedisAddress(options_.publish_target);
  std::vector<RedisAddress> servers;
  if (cluster_) {
    auto map = FetchSlotMap({{seed.host, seed.port}}, "", 5000);
    if (!map.ok()) return map.status();
    std::vector<ClusterNode> primaries = map->Primaries();
    for (const ClusterNode& node : primaries) {
      RedisAddress address;
      address.host = node.host;
      address.port = node.port;
      servers.push_back(address);
      auto endpoint = ParseEndpoint(node.Name());
      if (!endpoint.ok()) return endpoint.status();
      lanes_.emplace_back().endpoint = std::move(endpoint).value();
    }
    for (int64_t room : options_.rooms) {
      const ClusterNode* node = map->NodeFor(KeySlot(RecentCacheKey(room)));
      if (node == nullptr) return Status::Unavailable("no primary serves room " + std::to_string(room) + "'s slot");
      size_t lane = 0;
      while (lane < primaries.size() && !(primaries[lane] == *node)) ++lane;
      room_lane_.push_back(lane);
    }
  } else {
    servers.push_back(seed);
    lanes_.emplace_back().endpoint = options_.publish_target;
    room_lane_.assign(options_.rooms.size(), 0);
  }
  std::vector<std::unique_ptr<RedisClient>> clients;
  for (const RedisAddress& server : servers) {
    clients.push_back(std::make_unique<RedisClient>(server, 5000));
    auto sha = clients.back()->Command({"SCRIPT", "LOAD", PublishMessageScript()});
    if (!sha.ok()) return sha.status();
    sha_.assign((*sha)->str, (*sha)->len);
  }
  for (size_t i = 0; i < options_.rooms.size(); ++i) {
    auto reply = clients[room_lane_[i]]->Command({"ZREVRANGE", RecentCacheKey(options_.rooms[i]), "0", "0", "WITHSCORES"});
    if (!reply.ok()) return reply.status();
    int64_t seq = 0;
    if ((*reply)->type == REDIS_REPLY_ARRAY && (*reply)->elements == 2) seq = std::stoll((*reply)->element[1]->str);
    base_seq_.push_back(seq);
  }
  return Status::Ok();
}

Status RedisDirectPublisher::Start(int epoll_fd, uint64_t tag_base, uint64_t now_ns) {
  PAPO_RETURN_IF_ERROR(LoadScriptAndSeqs());
  epoll_fd_ = epoll_fd;
  tag_ = tag_base;
  for (size_t i = 0; i < lanes_.size(); ++i) {
    Lane& lane = lanes_[i];
    auto fd = StartConnect(lane.endpoint, 0);
    if (!fd.ok()) return fd.status();
    lane.fd = fd.value();
    epoll_event event{};
    event.events = EPOLLOUT | EPOLLIN;
    event.data.u64 = tag_ + i;
    epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, lane.fd, &event);
    lane.want_write = true;
  }
  start_ns_ = now_ns;
  return Status::Ok();
}

std::string RedisDirectPublisher::BuildCommand(const Planned& planned, uint64_t now_ns) const {
  int64_t seq = base_seq_[planned.room_index] + planned.k + 1;
  std::string json = BenchMessageJson(planned.room, seq, MarkedText(planned, now_ns));
  RoomEvent event;
  event.kind = EventKind::kMessage;
  event.sala_id = planned.room;
  event.seq = seq;
  event.json = std::move(json);
  event.data_envio = FormatIso8601(NowMillis());
  ScriptCall call = PublishMessageCall(cluster_ ? RedisMode::kCluster : RedisMode::kSingle, event, options_.cache_size);
  std::vector<std::string> args = ScriptCommand("EVALSHA", sha_, call.keys, call.args);
  std::string out = FormatRedisCommand(args);
  return out;
}

void RedisDirectPublisher::Pump(uint64_t now_ns) {
  Planned planned{};
  std::vector<bool> touched(lanes_.size(), false);
  while (TakeDue(now_ns, planned)) {
    size_t index = room_lane_[planned.room_index];
    Lane& lane = lanes_[index];
    uint64_t sent = MonotonicNs();
    if (lane.fd < 0) {
      Answered(sent, 0, false, "connection lost");
      continue;
    }
    lane.out += BuildCommand(planned, sent);
    lane.sent_ns.push_back(sent);
    touched[index] = true;
  }
  for (size_t i = 0; i < lanes_.size(); ++i) {
    if (touched[i] && lanes_[i].connected) Flush(i);
  }
}

void RedisDirectPublisher::Flush(size_t index) {
  Lane& lane = lanes_[index];
  while (lane.out_offset < lane.out.size()) {
    ssize_t n = write(lane.fd, lane.out.data() + lane.out_offset, lane.out.size() - lane.out_offset);
    if (n < 0 && errno == EAGAIN) break;
    if (n <= 0) {
      Fail(index, "write");
      return;
    }
    lane.out_offset += static_cast<size_t>(n);
  }
  if (lane.out_offset == lane.out.size()) {
    lane.out.clear();
    lane.out_offset = 0;
  }
  bool want_write = !lane.out.empty();
  if (want_write == lane.want_write) return;
  lane.want_write = want_write;
  epoll_event event{};
  event.events = EPOLLIN | (want_write ? EPOLLOUT : 0u);
  event.data.u64 = tag_ + index;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, lane.fd, &event);
}

void RedisDirectPublisher::OnEvent(uint32_t connection, uint32_t events) {
  if (connection >= lanes_.size() || lanes_[connection].fd < 0) return;
  Lane& lane = lanes_[connection];
  if (!lane.connected) {
    if ((events & (EPOLLERR | EPOLLHUP)) || ConnectError(lane.fd) != 0) {
      Fail(connection, "connect");
      return;
    }
    lane.connected = true;
  }
  if (events & EPOLLOUT) Flush(connection);
  if (lane.fd >= 0 && (events & (EPOLLIN | EPOLLERR | EPOLLHUP))) Read(connection);
}

void RedisDirectPublisher::Read(size_t index) {
  Lane& lane = lanes_[index];
  char buffer[65536];
  ssize_t n = read(lane.fd, buffer, sizeof(buffer));
  if (n < 0 && errno == EAGAIN) return;
  if (n <= 0) {
    Fail(index, "read");
    return;
  }
  redisReaderFeed(lane.reader.get(), buffer, static_cast<size_t>(n));
  void* reply = nullptr;
  while (redisReaderGetReply(lane.reader.get(), &reply) == REDIS_OK && reply != nullptr) {
    auto* r = static_cast<redisReply*>(reply);
    bool ok = r->type != REDIS_REPLY_ERROR;
    std::string error = ok ? "" : std::string(r->str, r->len);
    freeReplyObject(r);
    if (lane.sent_ns.empty()) continue;
    uint64_t sent = lane.sent_ns.front();
    lane.sent_ns.pop_front();
    Answered(sent, ok ? 200 : 0, ok, error);
  }
}

// A lane lost: its in-flight messages fail, and so do later ones for its
// rooms (Pump), so the run still ends.
void RedisDirectPublisher::Fail(size_t index, const char* why) {
  Lane& lane = lanes_[index];
  close(lane.fd);
  lane.fd = -1;
  while (!lane.sent_ns.empty()) {
    Answered(lane.sent_ns.front(), 0, false, why);
    lane.sent_ns.pop_front();
  }
}

}  // namespace papo::bench
