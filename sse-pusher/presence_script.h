// The Lua script that records this pusher's members of one room's presence
// ZSET and publishes the room's presence when the set of users changed.
//
// KEYS[1]  papo:sala:{id}:presenca (score = expiry epoch ms, member =
//          "{user}:{pusher}:{name}", see common/bus/names.h)
// KEYS[2]  papo:sala:{id}:recentes (the room's message cache, read only)
// ARGV[1]  pusher id (sanitized: no ':')     ARGV[2] ttl ms
// ARGV[3]  room channel                       ARGV[4] list channel of the room
// ARGV[5]  sala_id                            ARGV[6] privada (0/1)
// ARGV[7]  max names in `usuarios`            ARGV[8..] this pusher's members now
//
// Removes this pusher's members that are gone, drops every expired member
// (a crashed pusher's users vanish once their score passes), adds/refreshes
// ours with expiry now + ttl. If the distinct users differ from before, it
// publishes `presenca` {"usuarios_online":N,"usuarios":[{"id":..,"nome":..}]}
// on the room channel and `atividade` {"sala_id","seq","data_envio",
// "usuarios_online"} on the list channel, in the envelope format of
// common/bus/names.h. Counting is the same as papo-app's (distinct user ids with
// score >= now).
//
// atividade carries the same four fields as papo-app's (DESIGN §4): seq and
// data_envio of the room's newest cached message, read here in the same
// script. The cache, not this pusher's memory, because papo-app writes it
// atomically with its own atividade, so every pusher tells the list the
// same newest message (this one may have none of the room's messages in
// memory yet, or have held one back for ordering). A room without cached
// messages (none yet, or Redis restarted) says seq 0 and data_envio null:
// the list page ignores a seq it already has.
// Returns {changed (0/1), online}.
#pragma once

namespace papo::pusher {

extern const char kPresenceScript[];

}  // namespace papo::pusher
