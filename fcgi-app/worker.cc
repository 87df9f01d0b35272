#include "fcgi-app/worker.h"

#include "common/log.h"
#include "fcgi-app/db/open_database.h"

namespace papo {

WorkerConnections::WorkerConnections(std::unique_ptr<Database> database, const Config& config)
    : db(std::move(database)),
      redis(config.redis),
      publisher(redis, config.cache_size),
      users(*db),
      sessions(*db),
      rooms(*db),
      messages(*db),
      message_changes(*db, messages),
      mentions(*db) {}

Worker::Worker(std::unique_ptr<Database> db, std::unique_ptr<TemplateSet> templates, const Config& config,
               MessageWriter& writer, RepublishQueue& republish, SessionCache& sessions,
               LocalRateLimiter& rate_fallback, PasswordHashSlots& hash_slots)
    : connections_(std::move(db), config),
      limiter_(connections_.redis, rate_fallback),
      presence_(connections_.redis),
      deliveries_(connections_.redis),
      private_rooms_(connections_.redis),
      auth_(connections_.users, connections_.sessions, connections_.publisher, sessions, limiter_, hash_slots, config),
      mention_service_(connections_.mentions, connections_.rooms, connections_.publisher),
      message_service_(connections_.messages, writer, connections_.rooms, connections_.publisher, limiter_, republish, config,
                       mention_service_, deliveries_),
      message_change_service_(connections_.message_changes, connections_.publisher, republish, mention_service_,
                              limiter_, config),
      room_service_(connections_.rooms, connections_.messages, connections_.users,
                    connections_.publisher, presence_, limiter_, private_rooms_, config, mention_service_, deliveries_),
      search_repository_(*connections_.db),
      search_service_(search_repository_, connections_.messages, connections_.rooms),
      direct_repository_(*connections_.db),
      direct_message_service_(direct_repository_, connections_.users, connections_.publisher, limiter_, private_rooms_,
                              config),
      room_list_repository_(*connections_.db),
      room_list_service_(room_list_repository_, connections_.rooms, presence_, mention_service_),
      room_admin_repository_(*connections_.db),
      room_admin_service_(room_admin_repository_, connections_.rooms, connections_.publisher, private_rooms_, limiter_,
                          config),
      views_(std::move(templates), config),
      services_{config, auth_, room_service_, message_service_, views_, message_change_service_, mention_service_,
                search_service_, direct_message_service_, room_list_service_, room_admin_service_} {}

Result<std::unique_ptr<Worker>> Worker::Create(const Config& config, MessageWriter& writer,
                                               RepublishQueue& republish, SessionCache& sessions,
                                               LocalRateLimiter& rate_fallback, PasswordHashSlots& hash_slots) {
  auto db = OpenDatabase(config);
  if (!db.ok()) return db.status();
  auto templates = TemplateSet::Load();
  if (!templates.ok()) return templates.status();
  return std::unique_ptr<Worker>(new Worker(std::move(db).value(), std::move(templates).value(), config, writer, republish,
                                                  sessions, rate_fallback, hash_slots));
}

RepublisherWorker::RepublisherWorker(std::unique_ptr<Database> db, const Config& config, RepublishQueue& queue)
    : connections_(std::move(db), config),
      republisher_(connections_.rooms, connections_.messages, connections_.publisher, queue, config.cache_size) {}

void RepublisherWorker::Run() {
  republisher_.Run(60'000, [this] {
    auto swept = connections_.db->SweepInterruptedCommit();
    if (!swept.ok()) Log(LogLevel::kWarn, "interrupted_commit_sweep_failed").Kv("error", swept.status().message());
  });
}

Result<std::unique_ptr<RepublisherWorker>> RepublisherWorker::Create(const Config& config, RepublishQueue& queue) {
  auto db = OpenDatabase(config);
  if (!db.ok()) return db.status();
  return std::unique_ptr<RepublisherWorker>(new RepublisherWorker(std::move(db).value(), config, queue));
}

}  // namespace papo
