#include "bench/loadgen/redis_direct_publisher.h"

#include <errno.h>
#include <hiredis/hiredis.h>
#include <sys/epoll.h>
#include <sys/un.h>
#include <unistd.h>

#include <vector>

#include "bench/loadgen/endpoint.h"
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
    : Publisher(options), reader_(redisReaderCreate()) {}

RedisDirectPublisher::~RedisDirectPublisher() {
  if (fd_ >= 0) close(fd_);
  redisReaderFree(reader_);
}

Status RedisDirectPublisher::LoadScriptAndSeqs() {
  RedisClient client(ToRedisAddress(options_.publish_target), 5000);
  auto sha = client.Command({"SCRIPT", "LOAD", PublishMessageScript()});
  if (!sha.ok()) return sha.status();
  sha_.assign((*sha)->str, (*sha)->len);
  std::vector<std::vector<std::string>> queries;
  for (int64_t room : options_.rooms) {
    queries.push_back({"ZREVRANGE", RecentCacheKey(room), "0", "0", "WITHSCORES"});
  }
  auto replies = client.Pipeline(queries);
  if (!replies.ok()) return replies.status();
  for (const auto& reply : *replies) {
    int64_t seq = 0;
    if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 2) seq = std::stoll(reply->element[1]->str);
    base_seq_.push_back(seq);
  }
  return Status::Ok();
}

Status RedisDirectPublisher::Start(int epoll_fd, uint64_t tag_base, uint64_t now_ns) {
  PAPO_RETURN_IF_ERROR(LoadScriptAndSeqs());
  epoll_fd_ = epoll_fd;
  tag_ = tag_base;
  auto fd = StartConnect(options_.publish_target, 0);
  if (!fd.ok()) return fd.status();
  fd_ = fd.value();
  epoll_event event{};
  event.events = EPOLLOUT | EPOLLIN;
  event.data.u64 = tag_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd_, &event);
  want_write_ = true;
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
  ScriptCall call = PublishMessageCall(RedisMode::kSingle, event, options_.cache_size);
  std::vector<std::string> args = {"EVALSHA", sha_, std::to_string(call.keys.size())};
  for (std::string& key : call.keys) args.push_back(std::move(key));
  for (std::string& arg : call.args) args.push_back(std::move(arg));
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  char* command = nullptr;
  int length = redisFormatCommandArgv(&command, static_cast<int>(argv.size()), argv.data(), lengths.data());
  std::string out(command, static_cast<size_t>(length));
  free(command);
  return out;
}

void RedisDirectPublisher::Pump(uint64_t now_ns) {
  if (!connected_ || fd_ < 0) return;
  Planned planned{};
  bool any = false;
  while (TakeDue(now_ns, planned)) {
    uint64_t sent = MonotonicNs();
    out_ += BuildCommand(planned, sent);
    sent_ns_.push_back(sent);
    any = true;
  }
  if (any) Flush();
}

void RedisDirectPublisher::Flush() {
  while (out_offset_ < out_.size()) {
    ssize_t n = write(fd_, out_.data() + out_offset_, out_.size() - out_offset_);
    if (n < 0 && errno == EAGAIN) break;
    if (n <= 0) {
      Fail("write");
      return;
    }
    out_offset_ += static_cast<size_t>(n);
  }
  if (out_offset_ == out_.size()) {
    out_.clear();
    out_offset_ = 0;
  }
  bool want_write = !out_.empty();
  if (want_write == want_write_) return;
  want_write_ = want_write;
  epoll_event event{};
  event.events = EPOLLIN | (want_write ? EPOLLOUT : 0u);
  event.data.u64 = tag_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd_, &event);
}

void RedisDirectPublisher::OnEvent(uint32_t, uint32_t events) {
  if (fd_ < 0) return;
  if (!connected_) {
    if ((events & (EPOLLERR | EPOLLHUP)) || ConnectError(fd_) != 0) {
      Fail("connect");
      return;
    }
    connected_ = true;
  }
  if (events & EPOLLOUT) Flush();
  if (fd_ >= 0 && (events & (EPOLLIN | EPOLLERR | EPOLLHUP))) Read();
}

void RedisDirectPublisher::Read() {
  char buffer[65536];
  ssize_t n = read(fd_, buffer, sizeof(buffer));
  if (n < 0 && errno == EAGAIN) return;
  if (n <= 0) {
    Fail("read");
    return;
  }
  redisReaderFeed(reader_, buffer, static_cast<size_t>(n));
  void* reply = nullptr;
  while (redisReaderGetReply(reader_, &reply) == REDIS_OK && reply != nullptr) {
    auto* r = static_cast<redisReply*>(reply);
    bool ok = r->type != REDIS_REPLY_ERROR;
    std::string error = ok ? "" : std::string(r->str, r->len);
    freeReplyObject(r);
    if (sent_ns_.empty()) continue;
    uint64_t sent = sent_ns_.front();
    sent_ns_.pop_front();
    Answered(sent, ok ? 200 : 0, ok, error);
  }
}

void RedisDirectPublisher::Fail(const char* why) {
  close(fd_);
  fd_ = -1;
  while (!sent_ns_.empty()) {
    Answered(sent_ns_.front(), 0, false, why);
    sent_ns_.pop_front();
  }
  // The rest cannot be sent: count them as failed so the run ends.
  while (next_ < options_.messages) {
    ++next_;
    ++stats_.sent;
    ++in_flight_;
    Answered(MonotonicNs(), 0, false, why);
  }
}

}  // namespace papo::bench
