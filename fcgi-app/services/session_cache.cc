#include "fcgi-app/services/session_cache.h"

namespace papo {

std::optional<Session> SessionCache::Find(std::string_view token_hash, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (!in_sync_) return std::nullopt;
  auto it = by_token_hash_.find(std::string(token_hash));
  if (it == by_token_hash_.end()) return std::nullopt;
  if (now_ms - it->second.cached_at_ms >= kMaxAgeMs || it->second.session.expira_em <= now_ms) {
    EraseLocked(it);
    return std::nullopt;
  }
  return it->second.session;
}

uint64_t SessionCache::Version() const {
  std::lock_guard lock(mutex_);
  return version_;
}

void SessionCache::Put(const Session& session, std::string_view stream_id, int64_t now_ms, uint64_t version) {
  std::lock_guard lock(mutex_);
  if (!in_sync_ || version != version_) return;
  // Sessions that stopped asking are not evicted one by one: past the
  // bound the cache starts over (a burst of lookups, nothing wrong).
  if (by_token_hash_.size() >= kMaxEntries) {
    by_token_hash_.clear();
    token_hash_by_stream_id_.clear();
  }
  auto [it, inserted] = by_token_hash_.insert_or_assign(session.token_hash, Entry{session, std::string(stream_id), now_ms});
  (void)inserted;
  token_hash_by_stream_id_[it->second.stream_id] = session.token_hash;
}

void SessionCache::Forget(std::string_view token_hash) {
  std::lock_guard lock(mutex_);
  ++version_;
  auto it = by_token_hash_.find(std::string(token_hash));
  if (it != by_token_hash_.end()) EraseLocked(it);
}

void SessionCache::ForgetAnnounced(std::string_view stream_id) {
  std::lock_guard lock(mutex_);
  ++version_;
  auto found = token_hash_by_stream_id_.find(std::string(stream_id));
  if (found == token_hash_by_stream_id_.end()) return;
  auto it = by_token_hash_.find(found->second);
  if (it != by_token_hash_.end()) {
    EraseLocked(it);
  } else {
    token_hash_by_stream_id_.erase(found);
  }
}

void SessionCache::SetInSync(bool in_sync) {
  std::lock_guard lock(mutex_);
  in_sync_ = in_sync;
  ++version_;
  by_token_hash_.clear();
  token_hash_by_stream_id_.clear();
}

bool SessionCache::in_sync() const {
  std::lock_guard lock(mutex_);
  return in_sync_;
}

size_t SessionCache::size() const {
  std::lock_guard lock(mutex_);
  return by_token_hash_.size();
}

void SessionCache::EraseLocked(std::unordered_map<std::string, Entry>::iterator it) {
  token_hash_by_stream_id_.erase(it->second.stream_id);
  by_token_hash_.erase(it);
}

}  // namespace papo
