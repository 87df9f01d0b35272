// SessionStreams: the streams of each login session on this process, so
// that a logout ends them at once (DESIGN §4: a logged-out user stops
// receiving) instead of at the session's original expiry.
//
// papo-app's auth_request answer names the session in X-Papo-Session-Id
// (a non-secret hash, never the cookie token), nginx forwards it, and on
// logout papo-app publishes that id on papo:sessoes, which every pusher
// subscribes to. End() closes the session's streams: the browser's
// EventSource reconnects, auth_request answers 401 and the page sends the
// user to /login.
//
// A stream authorized just before the logout may reach this process just
// after the notice: ended sessions are remembered for a minute, and such a
// stream is refused (401) instead of living until the session's expiry.
//
// Keys are a 64-bit hash of the id: 8 bytes per connection instead of a
// string. Two live sessions with the same hash would only cost one of them
// a reconnect (≈ n²/2⁶⁴). Thread-compatible (loop thread only).
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sse-pusher/connection.h"

namespace papo::pusher {

class SessionStreams final {
 public:
  // The key of a session id; never 0 (0 = the stream names no session).
  static uint64_t KeyOf(std::string_view session_id);

  // Records `connection` (a stream that just began) under its
  // session_key(); streams without one are not recorded.
  void Add(Connection& connection);
  // Forgets `connection` (closing). No-op when it was not recorded.
  void Remove(Connection& connection);
  // The session ended: closes its streams (they are freed at the end of
  // the loop iteration, like any Close()). Returns how many.
  size_t End(std::string_view session_id, int64_t now_ms);
  // Whether the session ended within the last minute.
  bool Ended(uint64_t key) const { return key != 0 && ended_.contains(key); }
  // Forgets sessions that ended more than a minute ago.
  void Sweep(int64_t now_ms);

  size_t session_count() const { return streams_.size(); }

 private:
  std::unordered_map<uint64_t, std::vector<Connection*>> streams_;
  std::unordered_map<uint64_t, int64_t> ended_;  // key -> when (loop ms)
};

}  // namespace papo::pusher
