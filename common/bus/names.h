// The bus between papo-app and papo-pusher (DESIGN §8): the name of every
// Redis key and channel papo uses, and the envelope of a published event.
// Both binaries go through these functions, so a name is spelled in exactly
// one place (event payloads: payloads.h; Lua scripts: scripts.h).
//
// Channels (sharded: SPUBLISH/SSUBSCRIBE on a Redis Cluster, IsShardedChannel):
//   papo:{sala:N}          room stream: mensagem, digitando, leitura, presenca
//   papo:lista:{sala:N}    list stream, one private room (its members subscribe)
//   papo:{usuario:N}       one user's list stream: `sala` when they gain a private room
// Channels (classic pub/sub; cluster-wide on a Redis Cluster):
//   papo:lista             list stream, public rooms: sala, atividade
//   papo:sessoes           a login session ended (logout); payload: its stream
//                          id (X-Papo-Session-Id), not an envelope
//   papo:pusher:<id>       one pusher's own control channel
// Keys (the part in braces is the Redis Cluster hash tag: one room's keys,
// and one user's, share a slot):
//   papo:{sala:N}:recentes     ZSET score=seq member=message JSON (bounded cache)
//   papo:{sala:N}:alteracoes   ZSET score=the room's newest seq when the change
//                              committed, member=the change's envelope
//                              (edits, deletions, reactions, status): what a
//                              resume after seq S replays (score >= S);
//                              bounded like the cache (CHAT_CACHE_SIZE)
//   papo:{sala:N}:entregues    bitmap, bit seq mod kDeliveredRing: the message
//                              was written to a stream of someone other than
//                              its author (first pusher to set it reports)
//   papo:{sala:N}:presenca     ZSET score=expiry ms member=PresenceMember()
//   papo:{usuario:N}:conexoes  ZSET score=expiry ms member="{pusher}:{token}":
//                              the user's open streams on every pusher
//                              (CHAT_MAX_STREAMS_PER_USER)
//   papo:{usuario:N}:salas-privadas  SET of the user's private room ids and
//                              kPrivateRoomsWritten: papo-app writes it when
//                              it authorizes a list stream, the pusher reads
//                              it as that stream opens (short TTL)
//   papo:limite:{scope}:{key}:{window}   rate-limit counters (one key per
//                              command: they need no hash tag)
//
// Envelope (the PUBLISH payload): "<kind> <sala_id> <seq> <privada>\n<json>",
// e.g. "mensagem 1 7 0\n{...}". The pusher reads the header without parsing
// the JSON, and frames the JSON as the SSE data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/bus/event.h"
#include "common/config.h"

namespace papo {

std::string RoomChannel(int64_t sala_id);
std::string PublicListChannel();
std::string PrivateListChannel(int64_t sala_id);
std::string UserChannel(int64_t usuario_id);
std::string SessionsChannel();
std::string PusherControlChannel(std::string_view pusher_id);
std::string RecentCacheKey(int64_t sala_id);
std::string PresenceKey(int64_t sala_id);
std::string ChangeLogKey(int64_t sala_id);
std::string DeliveredKey(int64_t sala_id);
// The delivered bitmap is a ring of this many bits (128 KiB per room): a
// report clears the bit half a ring ahead, so seq S + ring finds its bit
// clear. Messages older than half a ring are shown delivered only when read.
inline constexpr int64_t kDeliveredRing = int64_t{1} << 20;
std::string PrivateRoomsKey(int64_t usuario_id);
// The member every written PrivateRoomsKey set holds (no room has id 0):
// a set without it was not written since Redis started, which is not the
// same as "no private rooms".
inline constexpr std::string_view kPrivateRoomsWritten = "0";
std::string UserStreamsKey(int64_t usuario_id);
// papo:limite:<scope>:<key>:<window>; `key` is a user id, a client
// address or an e-mail's SHA-256 (never the e-mail itself).
std::string RateLimitKey(std::string_view scope, std::string_view key, int64_t window);
std::string RateLimitKey(std::string_view scope, int64_t usuario_id, int64_t window);

// Whether `channel` belongs to one slot (a room's or a user's): on a Redis
// Cluster it is published with SPUBLISH and subscribed with SSUBSCRIBE on
// the node that owns the slot.
bool IsShardedChannel(std::string_view channel);
// The command that publishes on `channel` in this deployment: SPUBLISH for
// a sharded channel on a Redis Cluster, PUBLISH otherwise (one server or
// Sentinel, where every subscriber uses SUBSCRIBE).
std::string_view PublishVerb(RedisMode mode, std::string_view channel);

// The channel that carries a room's list events (public or private).
std::string ListChannelFor(int64_t sala_id, bool privada);

std::string EncodeEnvelope(EventKind kind, int64_t sala_id, int64_t seq, bool privada,
                           std::string_view json);

struct Envelope {
  EventKind kind;
  int64_t sala_id;
  int64_t seq;
  bool privada;
  std::string_view json;  // points into the decoded payload
};

// nullopt when the payload is not a well-formed envelope.
std::optional<Envelope> DecodeEnvelope(std::string_view payload);

// A member of a room's presence ZSET: "{user}:{pusher}:{name}". `pusher`
// must not contain ':' (it is sanitized); `name` may.
std::string PresenceMember(int64_t usuario_id, std::string_view pusher_id, std::string_view nome);

struct PresenceEntry {
  int64_t usuario_id;
  std::string_view pusher_id;
  std::string_view nome;
};
std::optional<PresenceEntry> ParsePresenceMember(std::string_view member);

}  // namespace papo
