// Lua scripts run inside Redis, so that each multi-step update is one round
// trip and atomic (no reader sees the cache without the notification).
#pragma once

namespace papo {

// Publishes a committed message.
// KEYS[1] recent cache (ZSET), KEYS[2] presence (ZSET)
// ARGV: 1 seq, 2 message JSON, 3 cache size, 4 room channel, 5 room envelope,
//       6 list channel, 7 sala_id, 8 data_envio (ISO), 9 privada (0/1)
// Stores the message under its seq (replacing any copy, so a republish is
// idempotent), trims the cache to the newest N, publishes the message on the
// room channel and `atividade` (with the online count) on the list channel.
// Returns the online count.
extern const char kPublishMessageScript[];

}  // namespace papo
