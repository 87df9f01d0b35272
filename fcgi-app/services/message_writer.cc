#include "fcgi-app/services/message_writer.h"

#include <optional>

namespace papo {

// One request thread waiting for its message; lives on that thread's stack.
struct MessageWriter::Waiter {
  const NewMessage* message;
  std::optional<Result<InsertedMessage>> result;
  std::condition_variable done;
};

MessageWriter::MessageWriter(std::unique_ptr<Database> db, size_t max_batch)
    : db_(std::move(db)), repository_(*db_), max_batch_(max_batch), thread_([this] { Run(); }) {}

MessageWriter::~MessageWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_one();
  thread_.join();
}

uint64_t MessageWriter::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

Result<InsertedMessage> MessageWriter::Insert(const NewMessage& message) {
  Waiter waiter{&message, std::nullopt, {}};
  std::unique_lock lock(mutex_);
  if (stopping_) return Status::Unavailable("papo-app is stopping");
  queue_.push_back(&waiter);
  work_.notify_one();
  waiter.done.wait(lock, [&waiter] { return waiter.result.has_value(); });
  return std::move(*waiter.result);
}

void MessageWriter::Run() {
  std::vector<Waiter*> batch;
  std::vector<const NewMessage*> messages;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left to store
      size_t take = std::min(queue_.size(), max_batch_);
      batch.assign(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
    }
    messages.clear();
    for (Waiter* waiter : batch) messages.push_back(waiter->message);
    auto results = repository_.InsertBatch(messages);
    std::lock_guard lock(mutex_);
    ++batches_;
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->result.emplace(std::move(results[i]));
      batch[i]->done.notify_one();
    }
  }
}

}  // namespace papo
