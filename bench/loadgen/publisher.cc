#include "bench/loadgen/publisher.h"

#include <algorithm>

#include "bench/loadgen/http_publisher.h"
#include "bench/loadgen/redis_direct_publisher.h"
#include "common/chat_message.h"
#include "common/time_format.h"

namespace papo::bench {

Publisher::Publisher(const LoadgenOptions& options) : options_(options) {}

std::unique_ptr<Publisher> Publisher::Create(const LoadgenOptions& options) {
  switch (options.publish) {
    case PublishMode::kPapo:
    case PublishMode::kNchan:
      return std::make_unique<HttpPublisher>(options);
    case PublishMode::kRedis:
    case PublishMode::kRedisCluster:
      return std::make_unique<RedisDirectPublisher>(options);
    case PublishMode::kNone:
      break;
  }
  return nullptr;
}

uint64_t Publisher::NextDueNs() const {
  if (next_ >= options_.messages || in_flight_ >= options_.publish_concurrency) return 0;
  if (options_.rate <= 0) return start_ns_;
  return start_ns_ + static_cast<uint64_t>(static_cast<double>(next_) * 1e9 / options_.rate);
}

bool Publisher::TakeDue(uint64_t now_ns, Planned& planned) {
  uint64_t due = NextDueNs();
  if (due == 0 || due > now_ns) return false;
  stats_.max_lag_ns = std::max(stats_.max_lag_ns, now_ns - due);
  auto rooms = static_cast<uint32_t>(options_.rooms.size());
  planned.index = next_++;
  planned.room_index = planned.index % rooms;
  planned.k = planned.index / rooms;
  planned.room = options_.rooms[planned.room_index];
  planned.due_ns = due;
  ++in_flight_;
  ++stats_.sent;
  if (stats_.first_sent_ns == 0) stats_.first_sent_ns = now_ns;
  return true;
}

std::string Publisher::MarkedText(const Planned& planned, uint64_t now_ns) const {
  Marker marker{planned.room_index, planned.k, options_.rate > 0 ? planned.due_ns : now_ns};
  return FormatMarkedText(marker, static_cast<size_t>(options_.message_bytes));
}

void Publisher::Answered(uint64_t sent_ns, int status, bool success, std::string_view error_body) {
  uint64_t now = MonotonicNs();
  --in_flight_;
  ++stats_.statuses[status];
  if (success) {
    ++stats_.accepted;
  } else {
    ++stats_.failed;
    if (stats_.first_error.empty()) {
      stats_.first_error = std::to_string(status) + " " + std::string(error_body.substr(0, 200));
    }
  }
  stats_.latency.Record(now - sent_ns);
  stats_.last_answer_ns = now;
}

std::string BenchMessageJson(int64_t room, int64_t seq, const std::string& text) {
  ChatMessage message;
  message.id = seq;
  message.sala_id = room;
  message.seq = seq;
  message.usuario_id = 1;
  message.mensagem = text;
  message.data_envio_ms = NowMillis();
  message.usuario_nome = "Bench";
  return ChatMessageToJson(message);
}

}  // namespace papo::bench
