#include "sse-pusher/stream_ledger.h"

#include <algorithm>

namespace papo::pusher {
namespace {

bool EraseToken(std::vector<uint64_t>& tokens, uint64_t token) {
  auto it = std::find(tokens.begin(), tokens.end(), token);
  if (it == tokens.end()) return false;
  *it = tokens.back();
  tokens.pop_back();
  return true;
}

}  // namespace

StreamLedger::StreamLedger(std::string pusher_id, uint64_t first_token)
    : prefix_(std::move(pusher_id) + ":"), next_token_(first_token) {}

uint64_t StreamLedger::Begin(int64_t usuario_id) {
  uint64_t token = next_token_++;
  users_[usuario_id].pending.push_back(token);
  return token;
}

void StreamLedger::Confirm(int64_t usuario_id, uint64_t token) {
  auto it = users_.find(usuario_id);
  if (it == users_.end() || !EraseToken(it->second.pending, token)) return;
  it->second.held.push_back(token);
}

void StreamLedger::Drop(int64_t usuario_id, uint64_t token) {
  auto it = users_.find(usuario_id);
  if (it == users_.end()) return;
  EraseToken(it->second.pending, token);
  EraseIfEmpty(it);
}

std::optional<uint64_t> StreamLedger::Release(int64_t usuario_id) {
  auto it = users_.find(usuario_id);
  if (it == users_.end() || it->second.held.empty()) return std::nullopt;
  uint64_t token = it->second.held.back();
  it->second.held.pop_back();
  EraseIfEmpty(it);
  return token;
}

void StreamLedger::EraseIfEmpty(std::unordered_map<int64_t, UserTokens>::iterator it) {
  if (it->second.held.empty() && it->second.pending.empty()) users_.erase(it);
}

size_t StreamLedger::held(int64_t usuario_id) const {
  auto it = users_.find(usuario_id);
  return it == users_.end() ? 0 : it->second.held.size();
}

size_t StreamLedger::pending(int64_t usuario_id) const {
  auto it = users_.find(usuario_id);
  return it == users_.end() ? 0 : it->second.pending.size();
}

std::string StreamLedger::Member(uint64_t token) const { return prefix_ + std::to_string(token); }

std::vector<std::vector<LedgerEntry>> StreamLedger::RefreshBatches(size_t max_users, size_t max_members) {
  std::vector<std::vector<LedgerEntry>> batches;
  size_t members_in_batch = 0;
  auto add = [&](LedgerEntry entry) {
    size_t members = entry.held.size() + entry.pending.size();
    if (batches.empty() || batches.back().size() >= max_users ||
        (members_in_batch > 0 && members_in_batch + members > max_members)) {
      batches.emplace_back();
      members_in_batch = 0;
    }
    members_in_batch += members;
    batches.back().push_back(std::move(entry));
  };
  for (const auto& [usuario_id, tokens] : users_) {
    LedgerEntry entry;
    entry.usuario_id = usuario_id;
    for (uint64_t token : tokens.held) entry.held.push_back(Member(token));
    for (uint64_t token : tokens.pending) entry.pending.push_back(Member(token));
    stale_.erase(usuario_id);
    add(std::move(entry));
  }
  for (int64_t usuario_id : stale_) add(LedgerEntry{usuario_id, {}, {}});
  stale_.clear();
  return batches;
}

}  // namespace papo::pusher
