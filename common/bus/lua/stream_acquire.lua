-- CHAT_MAX_STREAMS_PER_USER: the check and the add in one step, so two
-- pushers opening the same user's streams at once cannot both take the last
-- slot (pusher: stream_limiter.cc).
-- Each user's open streams, on every pusher, are the members of one ZSET
-- (UserStreamsKey): member "{pusher}:{token}", score = expiry (Redis TIME,
-- epoch ms). A live pusher refreshes its members (stream_refresh.lua); a
-- killed one's expire.
--   KEYS[1] the user's ZSET
--   ARGV[1] member   ARGV[2] ttl ms   ARGV[3] the cap
-- Drops expired members, then adds ARGV[1] unless the ZSET already holds
-- the cap. Returns {1 (added) or 0 (over the cap), members now}.
local key = KEYS[1]
local now = now_ms()
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. now)
local open = redis.call('ZCARD', key)
if open >= tonumber(ARGV[3]) then return {0, open} end
redis.call('ZADD', key, now + ttl, ARGV[1])
redis.call('PEXPIRE', key, ttl * 2)
return {1, open + 1}
