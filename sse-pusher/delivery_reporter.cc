#include "sse-pusher/delivery_reporter.h"

#include <string_view>
#include <utility>

#include "common/redis_argv.h"
#include "sse-pusher/redis_commander.h"

namespace papo::pusher {
namespace {

bool IsNoScript(const redisReply* reply) {
  return reply->type == REDIS_REPLY_ERROR && std::string_view(reply->str, reply->len).starts_with("NOSCRIPT");
}

}  // namespace

// Callbacks check `alive`: the commander may answer (nullptr) after this
// reporter is gone.
void RedisDeliveryReporter::Report(const std::vector<StatusChange>& delivered, bool privada) {
  if (delivered.empty()) return;
  ScriptCall call = ReportDeliveredCall(mode_, delivered, privada, log_size_);
  if (sha_.empty()) {
    SendEval(call);
    if (loading_) return;
    loading_ = true;
    commander_.Command({"SCRIPT", "LOAD", ReportDeliveredScript()},
                       [this, alive = alive_](const redisReply* reply) {
                         if (!*alive) return;
                         loading_ = false;  // not loaded: the next report asks again
                         if (reply != nullptr && reply->type == REDIS_REPLY_STRING) sha_.assign(reply->str, reply->len);
                       });
    return;
  }
  // Built before `call` moves into the callback (argument order is unspecified).
  std::vector<std::string> command = ScriptCommand("EVALSHA", sha_, call.keys, call.args);
  commander_.Command(command, [this, alive = alive_, call = std::move(call)](const redisReply* reply) {
    if (*alive && reply != nullptr && IsNoScript(reply)) SendEval(call);
  });
}

void RedisDeliveryReporter::SendEval(const ScriptCall& call) {
  commander_.Command(ScriptCommand("EVAL", ReportDeliveredScript(), call.keys, call.args), [](const redisReply*) {});
}

}  // namespace papo::pusher
