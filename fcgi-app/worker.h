// Worker: everything one papo-app thread owns — its database connection, its
// Redis connection, repositories, services and templates — so request
// handling needs no locks. Built once per thread at start-up.
#pragma once

#include <memory>

#include "common/config.h"
#include "common/redis_client.h"
#include "common/redis_publisher.h"
#include "fcgi-app/app_services.h"
#include "fcgi-app/db/database.h"
#include "fcgi-app/db/direct_message_repository.h"
#include "fcgi-app/db/room_list_repository.h"
#include "fcgi-app/db/mention_repository.h"
#include "fcgi-app/db/message_change_repository.h"
#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/db/room_admin_repository.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/db/search_repository.h"
#include "fcgi-app/db/session_repository.h"
#include "fcgi-app/db/user_repository.h"
#include "fcgi-app/redis/redis_delivery_ledger.h"
#include "fcgi-app/redis/redis_presence_reader.h"
#include "fcgi-app/redis/redis_private_room_index.h"
#include "fcgi-app/redis/redis_rate_limiter.h"
#include "fcgi-app/services/local_rate_limiter.h"
#include "fcgi-app/services/password_hash_slots.h"
#include "fcgi-app/services/session_cache.h"
#include "fcgi-app/services/republish_queue.h"
#include "fcgi-app/services/republisher.h"

namespace papo {

// The storage and bus connections of one thread.
struct WorkerConnections {
  std::unique_ptr<Database> db;
  RedisClient redis;
  RedisPublisher publisher;
  UserRepository users;
  SessionRepository sessions;
  RoomRepository rooms;
  MessageRepository messages;
  MessageChangeRepository message_changes;
  MentionRepository mentions;

  WorkerConnections(std::unique_ptr<Database> database, const Config& config);
};

class Worker final {
 public:
  // `writer`, `republish`, `sessions`, `rate_fallback` and `hash_slots`
  // are the process's, shared by every Worker.
  static Result<std::unique_ptr<Worker>> Create(const Config& config, MessageWriter& writer,
                                                RepublishQueue& republish, SessionCache& sessions,
                                                LocalRateLimiter& rate_fallback, PasswordHashSlots& hash_slots);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  AppServices& services() { return services_; }

 private:
  Worker(std::unique_ptr<Database> db, std::unique_ptr<TemplateSet> templates, const Config& config,
         MessageWriter& writer, RepublishQueue& republish, SessionCache& sessions,
         LocalRateLimiter& rate_fallback, PasswordHashSlots& hash_slots);

  WorkerConnections connections_;
  RedisRateLimiter limiter_;
  RedisPresenceReader presence_;
  RedisDeliveryLedger deliveries_;
  RedisPrivateRoomIndex private_rooms_;
  AuthService auth_;
  MentionService mention_service_;
  MessageService message_service_;
  MessageChangeService message_change_service_;
  RoomService room_service_;
  SearchRepository search_repository_;
  SearchService search_service_;
  DirectMessageRepository direct_repository_;
  DirectMessageService direct_message_service_;
  RoomListRepository room_list_repository_;
  RoomListService room_list_service_;
  RoomAdminRepository room_admin_repository_;
  RoomAdminService room_admin_service_;
  PageViews views_;
  AppServices services_;
};

// The republisher's thread state (its own connections).
class RepublisherWorker final {
 public:
  static Result<std::unique_ptr<RepublisherWorker>> Create(const Config& config, RepublishQueue& queue);
  Republisher& republisher() { return republisher_; }
  // The thread body: the republisher's loop, which also sweeps the
  // database for a commit a killed process left behind, once a second
  // (Database::SweepInterruptedCommit).
  void Run();

 private:
  RepublisherWorker(std::unique_ptr<Database> db, const Config& config, RepublishQueue& queue);
  WorkerConnections connections_;
  Republisher republisher_;
};

}  // namespace papo
