// The Lua scripts of the bus (common/bus/lua/*.lua, compiled into the
// binaries by cmake/PapoEmbed.cmake). Each script is lua/bus_prelude.lua
// (the bus formats in Lua: presence members, envelopes, atividade and
// presenca payloads) followed by the script's own file, so a format is
// spelled once in Lua. What each script takes and returns is written at
// the top of its file.
//
// Scripts run inside Redis, so that each multi-step update is one round
// trip and atomic (no reader sees the cache without the notification).
// Every script touches keys of one hash-tag slot only, so it runs as it is
// on a Redis Cluster (stream_refresh.lua: its caller groups keys by slot).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/bus/event.h"
#include "common/bus/payloads.h"
#include "common/config.h"

namespace papo {

// A script's KEYS and ARGV, in the layout its file documents; callers send
// them as EVAL/EVALSHA <script> <keys.size()> keys... args...
struct ScriptCall {
  std::vector<std::string> keys;
  std::vector<std::string> args;
};

// publish_message.lua: a committed message into the cache, then `mensagem`
// on the room channel and `atividade` on the list channel.
const std::string& PublishMessageScript();
// Its call for a kMessage event (json, seq, data_envio set) in this
// deployment (`mode` picks PUBLISH or SPUBLISH per channel).
ScriptCall PublishMessageCall(RedisMode mode, const RoomEvent& event, int cache_size);
// publish_change.lua: a change to a message (IsMessageChange: edit,
// deletion, reaction, lida status): the cached copy replaced by the
// current version, the change logged for resumes, then published.
const std::string& PublishChangeScript();
ScriptCall PublishChangeCall(RedisMode mode, const RoomEvent& event, int log_size);
// report_delivered.lua: a pusher delivered `delivered` (messages of one
// room) to someone other than their authors; the first report of each
// message publishes `status` entregue.
const std::string& ReportDeliveredScript();
ScriptCall ReportDeliveredCall(RedisMode mode, const std::vector<StatusChange>& delivered, bool privada,
                               int log_size);
// presence.lua: one pusher's presence members of a room; `presenca` and
// `atividade` when the room's users changed.
const std::string& PresenceScript();
struct PresenceUpdate {
  int64_t sala_id = 0;
  bool privada = false;
  std::string_view pusher_id;  // sanitized (no ':')
  int64_t ttl_ms = 0;
  int max_names = 0;
  std::vector<std::string> members;  // this pusher's PresenceMember()s now
};
ScriptCall PresenceCall(RedisMode mode, PresenceUpdate update);
// stream_acquire.lua / stream_refresh.lua: CHAT_MAX_STREAMS_PER_USER.
const std::string& StreamAcquireScript();
const std::string& StreamRefreshScript();

}  // namespace papo
