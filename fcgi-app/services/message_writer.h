// MessageWriter: the one thread of a papo-app process that stores messages.
//
// Request threads hand it their message and wait; it takes every message
// waiting at that moment and stores them in one transaction (group commit):
// one write lock, one COMMIT, one fsync for the whole batch. Under load the
// batches grow by themselves, so a durable commit (synchronous=FULL) costs
// little per message; alone, a message is committed at once.
//
// Thread-safe. Owns its own database connection.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "fcgi-app/db/database.h"
#include "fcgi-app/db/message_repository.h"

namespace papo {

class MessageWriter final {
 public:
  // Starts the writer thread on `db`. `max_batch` bounds one transaction.
  explicit MessageWriter(std::unique_ptr<Database> db, size_t max_batch = 256);
  ~MessageWriter();  // stores what is queued, then stops the thread
  MessageWriter(const MessageWriter&) = delete;
  MessageWriter& operator=(const MessageWriter&) = delete;

  // Blocks until `message` is committed or has failed; the result of
  // MessageRepository::Insert (NotFound for an unknown room, ...).
  Result<InsertedMessage> Insert(const NewMessage& message);

  // Number of transactions committed so far (for tests and logs).
  uint64_t batches() const;

 private:
  struct Waiter;
  void Run();

  std::unique_ptr<Database> db_;
  MessageRepository repository_;
  size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable work_;
  std::vector<Waiter*> queue_;
  bool stopping_ = false;
  uint64_t batches_ = 0;
  std::thread thread_;
};

}  // namespace papo
