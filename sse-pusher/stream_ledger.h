// StreamLedger: this process's share of the per-user stream count
// (CHAT_MAX_STREAMS_PER_USER, DESIGN §11), kept so that the Redis side can
// always be rewritten from it.
//
// Every stream that asks for a slot gets a token; its member in the user's
// ZSET (papo:usuario:{id}:conexoes) is "{pusher}:{token}". A token is
// pending while Redis is being asked and held once the stream may open.
// Tokens of one user are interchangeable (a member only says "one stream
// of this user on this pusher"), so a closing stream releases any of its
// user's held tokens and no connection has to carry one.
//
// Tokens start at the construction time in µs: a pusher restarted under
// the same PAPO_PUSHER_ID never reuses a member its predecessor left in
// Redis (those are removed by the first refresh, or expire).
//
// Pure bookkeeping; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace papo::pusher {

// One user's members of this process, for the refresh script.
struct LedgerEntry {
  int64_t usuario_id = 0;
  std::vector<std::string> held;     // rewritten (ZADD): they are open
  std::vector<std::string> pending;  // refreshed only if present (ZADD XX): Redis may have refused them
};

class StreamLedger final {
 public:
  StreamLedger(std::string pusher_id, uint64_t first_token);

  // A new pending token for `usuario_id`.
  uint64_t Begin(int64_t usuario_id);
  // The pending token may open (Redis or the in-process fallback said yes).
  void Confirm(int64_t usuario_id, uint64_t token);
  // The pending token was refused: forgotten.
  void Drop(int64_t usuario_id, uint64_t token);
  // A stream of `usuario_id` closed: one held token, removed (nullopt when
  // the user holds none).
  std::optional<uint64_t> Release(int64_t usuario_id);
  // A release Redis may not have heard: the next refresh lists the user
  // (possibly with no member) so that stale members of ours go.
  void MarkStale(int64_t usuario_id) { stale_.insert(usuario_id); }

  size_t held(int64_t usuario_id) const;
  size_t pending(int64_t usuario_id) const;
  size_t users() const { return users_.size(); }

  // "{pusher}:{token}" and the prefix every member of this process has.
  std::string Member(uint64_t token) const;
  const std::string& prefix() const { return prefix_; }

  // Every user with tokens, and the stale ones (then forgotten as stale),
  // in batches of at most `max_members` members (a user with more stays
  // whole) and `max_users` users.
  std::vector<std::vector<LedgerEntry>> RefreshBatches(size_t max_users, size_t max_members);

 private:
  struct UserTokens {
    std::vector<uint64_t> held;
    std::vector<uint64_t> pending;
  };
  void EraseIfEmpty(std::unordered_map<int64_t, UserTokens>::iterator it);

  std::string prefix_;
  uint64_t next_token_;
  std::unordered_map<int64_t, UserTokens> users_;
  std::unordered_set<int64_t> stale_;
};

}  // namespace papo::pusher
