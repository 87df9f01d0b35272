#include "common/bus/scripts.h"

#include <vector>

#include "common/bus/names.h"
#include "common/embedded_file.h"

namespace papo {

const std::vector<EmbeddedFile>& BusScriptFiles();  // generated (common/CMakeLists.txt)

namespace {

// The prelude and the script; a missing file is a build mistake, caught by
// every test that runs a script (Redis refuses an empty body's EVAL answer).
std::string Assemble(std::string_view name) {
  const EmbeddedFile* prelude = FindEmbedded(BusScriptFiles(), "bus_prelude.lua");
  const EmbeddedFile* script = FindEmbedded(BusScriptFiles(), name);
  std::string text;
  if (prelude != nullptr) text += prelude->contents;
  if (script != nullptr) text += script->contents;
  return text;
}

}  // namespace

const std::string& PublishMessageScript() {
  static const std::string kScript = Assemble("publish_message.lua");
  return kScript;
}

ScriptCall PublishMessageCall(RedisMode mode, const RoomEvent& event, int cache_size) {
  std::string room_channel = RoomChannel(event.sala_id);
  std::string list_channel = ListChannelFor(event.sala_id, event.privada);
  std::string room_verb(PublishVerb(mode, room_channel));
  std::string list_verb(PublishVerb(mode, list_channel));
  ScriptCall call;
  call.keys = {RecentCacheKey(event.sala_id), PresenceKey(event.sala_id)};
  call.args = {std::to_string(event.seq),
               event.json,
               std::to_string(cache_size),
               std::move(room_channel),
               EncodeEnvelope(EventKind::kMessage, event.sala_id, event.seq, event.privada, event.json),
               std::move(list_channel),
               std::to_string(event.sala_id),
               event.data_envio,
               event.privada ? "1" : "0",
               std::move(room_verb),
               std::move(list_verb)};
  return call;
}

const std::string& PublishChangeScript() {
  static const std::string kScript = Assemble("publish_change.lua");
  return kScript;
}

ScriptCall PublishChangeCall(RedisMode mode, const RoomEvent& event, int log_size) {
  std::string room_channel = RoomChannel(event.sala_id);
  std::string room_verb(PublishVerb(mode, room_channel));
  ScriptCall call;
  call.keys = {RecentCacheKey(event.sala_id), ChangeLogKey(event.sala_id)};
  call.args = {std::to_string(event.seq),
               event.current_message,
               std::to_string(event.position),
               EncodeEnvelope(event.kind, event.sala_id, event.seq, event.privada, event.json),
               std::move(room_channel),
               std::move(room_verb),
               std::to_string(log_size)};
  return call;
}

const std::string& ReportDeliveredScript() {
  static const std::string kScript = Assemble("report_delivered.lua");
  return kScript;
}

ScriptCall ReportDeliveredCall(RedisMode mode, const std::vector<StatusChange>& delivered, bool privada,
                               int log_size) {
  int64_t sala_id = delivered.empty() ? 0 : delivered.front().sala_id;
  std::string room_channel = RoomChannel(sala_id);
  std::string room_verb(PublishVerb(mode, room_channel));
  ScriptCall call;
  call.keys = {DeliveredKey(sala_id), ChangeLogKey(sala_id)};
  call.args = {std::to_string(kDeliveredRing), std::move(room_channel), std::move(room_verb),
               std::to_string(log_size)};
  call.args.reserve(4 + 2 * delivered.size());
  for (const StatusChange& change : delivered) {
    RoomEvent event = StatusEvent(change, privada, change.seq);
    call.args.push_back(std::to_string(change.seq));
    call.args.push_back(EncodeEnvelope(event.kind, event.sala_id, event.seq, event.privada, event.json));
  }
  return call;
}

ScriptCall PresenceCall(RedisMode mode, PresenceUpdate update) {
  std::string room_channel = RoomChannel(update.sala_id);
  std::string list_channel = ListChannelFor(update.sala_id, update.privada);
  std::string room_verb(PublishVerb(mode, room_channel));
  std::string list_verb(PublishVerb(mode, list_channel));
  ScriptCall call;
  call.keys = {PresenceKey(update.sala_id), RecentCacheKey(update.sala_id)};
  call.args.reserve(update.members.size() + 9);
  call.args = {std::string(update.pusher_id),
               std::to_string(update.ttl_ms),
               std::move(room_channel),
               std::move(list_channel),
               std::to_string(update.sala_id),
               update.privada ? "1" : "0",
               std::to_string(update.max_names),
               std::move(room_verb),
               std::move(list_verb)};
  for (std::string& member : update.members) call.args.push_back(std::move(member));
  return call;
}

const std::string& PresenceScript() {
  static const std::string kScript = Assemble("presence.lua");
  return kScript;
}

const std::string& StreamAcquireScript() {
  static const std::string kScript = Assemble("stream_acquire.lua");
  return kScript;
}

const std::string& StreamRefreshScript() {
  static const std::string kScript = Assemble("stream_refresh.lua");
  return kScript;
}

}  // namespace papo
