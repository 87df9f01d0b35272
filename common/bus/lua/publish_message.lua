-- Publishes a committed message (RedisPublisher::PublishMessage).
-- KEYS[1] the room's recent cache (ZSET), KEYS[2] its presence (ZSET)
-- ARGV: 1 seq, 2 message JSON, 3 cache size, 4 room channel, 5 room envelope,
--       6 list channel, 7 sala_id, 8 data_envio (ISO), 9 privada (0/1),
--       10 the room channel's publish verb, 11 the list channel's (PUBLISH,
--       or SPUBLISH for a sharded channel in a cluster: PublishVerb)
-- Stores the message under its seq (replacing any copy, so a republish is
-- idempotent), trims the cache to the newest N, publishes the message on the
-- room channel and `atividade` (with the online count) on the list channel.
-- Returns the online count.
local seq = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], seq, seq)
redis.call('ZADD', KEYS[1], seq, ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
redis.call(ARGV[10], ARGV[4], ARGV[5])
local _, online = users_of(redis.call('ZRANGEBYSCORE', KEYS[2], now_ms(), '+inf'))
redis.call(ARGV[11], ARGV[6], envelope('atividade', ARGV[7], seq, ARGV[9], activity_json(ARGV[7], seq, ARGV[8], online)))
return online
