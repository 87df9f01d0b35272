// MemoryCache: the recent-message cache at the I/O edge, in memory. Like
// Redis, an answer reflects the cache when the command is received and
// arrives later (at the end of the loop iteration, or when released).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sse-pusher/event_loop.h"
#include "sse-pusher/message_cache.h"

namespace papo::pusher::test {

class MemoryCache final : public MessageCache {
 public:
  explicit MemoryCache(EventLoop& loop) : loop_(loop) {}

  void FetchAfter(int64_t /*sala_id*/, int64_t after_seq, int limit, Callback done) override {
    std::vector<CachedMessage> entries;
    for (auto it = messages.upper_bound(after_seq); it != messages.end() && static_cast<int>(entries.size()) < limit; ++it) {
      entries.push_back({it->first, it->second});
    }
    Answer(std::move(entries), std::move(done));
  }
  void FetchNewest(int64_t /*sala_id*/, int count, Callback done) override {
    std::vector<CachedMessage> entries;
    for (auto it = messages.rbegin(); it != messages.rend() && static_cast<int>(entries.size()) < count; ++it) {
      entries.insert(entries.begin(), {it->first, it->second});
    }
    Answer(std::move(entries), std::move(done));
  }
  void FetchChanges(int64_t /*sala_id*/, int64_t from, int limit, ChangesCallback done) override {
    std::vector<LoggedChange> entries;
    for (const LoggedChange& change : changes) {
      if (change.position >= static_cast<double>(from) && static_cast<int>(entries.size()) < limit) {
        entries.push_back(change);
      }
    }
    ++change_fetches;
    auto answer = [entries = std::move(entries), done = std::move(done)]() mutable { done(std::move(entries)); };
    if (hold_answers) {
      held_.push_back(std::move(answer));
    } else {
      loop_.Defer(std::move(answer));
    }
  }
  // Answers held back by hold_answers, in order.
  void ReleaseAnswers() {
    auto held = std::move(held_);
    held_.clear();
    for (auto& answer : held) answer();
  }

  std::map<int64_t, std::string> messages;  // seq -> JSON
  std::vector<LoggedChange> changes;        // the change log, in position order
  int change_fetches = 0;
  bool hold_answers = false;
  int fetches = 0;

 private:
  void Answer(std::vector<CachedMessage> entries, Callback done) {
    ++fetches;
    auto answer = [entries = std::move(entries), done = std::move(done)]() mutable { done(std::move(entries)); };
    if (hold_answers) {
      held_.push_back(std::move(answer));
    } else {
      loop_.Defer(std::move(answer));  // never re-entrant, like the commander
    }
  }
  EventLoop& loop_;
  std::vector<std::function<void()>> held_;
};

}  // namespace papo::pusher::test
