#include "sse-pusher/session_streams.h"

#include <algorithm>
#include <functional>

#include "common/log.h"

namespace papo::pusher {
namespace {

// Long enough for a stream authorized before the logout to reach us (one
// nginx → pusher hop), short enough to stay a handful of entries.
constexpr int64_t kEndedMemoryMs = 60'000;

}  // namespace

uint64_t SessionStreams::KeyOf(std::string_view session_id) {
  if (session_id.empty()) return 0;
  uint64_t key = std::hash<std::string_view>{}(session_id);
  return key == 0 ? 1 : key;
}

void SessionStreams::Add(Connection& connection) {
  if (connection.session_key() == 0) return;
  streams_[connection.session_key()].push_back(&connection);
}

void SessionStreams::Remove(Connection& connection) {
  auto it = streams_.find(connection.session_key());
  if (it == streams_.end()) return;
  std::erase(it->second, &connection);
  if (it->second.empty()) streams_.erase(it);
}

size_t SessionStreams::End(std::string_view session_id, int64_t now_ms) {
  uint64_t key = KeyOf(session_id);
  if (key == 0) return 0;
  ended_[key] = now_ms;
  auto it = streams_.find(key);
  if (it == streams_.end()) return 0;
  // Close() only marks; Remove() runs later from the owner's reaping, and
  // finds nothing left to remove.
  std::vector<Connection*> streams = std::move(it->second);
  streams_.erase(it);
  for (Connection* connection : streams) connection->Close(CloseReason::kSessionEnded);
  Log(LogLevel::kInfo, "pusher_session_ended").Kv("streams", static_cast<uint64_t>(streams.size()));
  return streams.size();
}

void SessionStreams::Sweep(int64_t now_ms) {
  std::erase_if(ended_, [now_ms](const auto& entry) { return now_ms - entry.second >= kEndedMemoryMs; });
}

}  // namespace papo::pusher
