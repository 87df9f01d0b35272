// The Lua scripts behind CHAT_MAX_STREAMS_PER_USER (stream_limiter.h).
// Each user's open streams, on every pusher, are the members of one ZSET,
// papo:usuario:{id}:conexoes: member "{pusher}:{token}", score = expiry
// (Redis TIME, epoch ms). A live pusher refreshes its members every
// presence_refresh_ms; a killed one's expire after presence_ttl_ms, as its
// presence does.
//
// kStreamAcquireScript — the check and the add in one step, so two pushers
// opening the same user's streams at once cannot both take the last slot.
//   KEYS[1] the user's ZSET
//   ARGV[1] member   ARGV[2] ttl ms   ARGV[3] the cap
//   Drops expired members, then adds ARGV[1] unless the ZSET already holds
//   the cap. Returns {1 (added) or 0 (over the cap), members now}.
//
// kStreamRefreshScript — rewrites this pusher's members of several users.
//   KEYS    the users' ZSETs
//   ARGV[1] this pusher's member prefix "{pusher}:"   ARGV[2] ttl ms
//   then for each key in order: held count H, pending count P, H held
//   members, P pending members.
//   Removes this pusher's members not listed (streams whose release was
//   lost, a predecessor's under the same id), drops expired members, adds
//   or refreshes the held ones (they are open: after a Redis restart this
//   puts them back) and refreshes the pending ones only if present (ZADD
//   XX: the acquire, sent earlier on the same connection, may have refused
//   them). Returns the number of keys.
#pragma once

namespace papo::pusher {

extern const char kStreamAcquireScript[];
extern const char kStreamRefreshScript[];

}  // namespace papo::pusher
