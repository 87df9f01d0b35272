#include "sse-pusher/delivery_reporter.h"

#include "common/bus/scripts.h"
#include "common/redis_argv.h"
#include "sse-pusher/redis_commander.h"

namespace papo::pusher {

void RedisDeliveryReporter::Report(const StatusChange& delivered, bool privada) {
  ScriptCall call = ReportDeliveredCall(mode_, delivered, privada, log_size_);
  // EVAL, not EVALSHA: Redis keeps the compiled script by its body's hash,
  // and on a Redis Cluster each node would need its own SCRIPT LOAD.
  commander_.Command(ScriptCommand("EVAL", ReportDeliveredScript(), call.keys, call.args),
                     [](const redisReply*) {});
}

}  // namespace papo::pusher
