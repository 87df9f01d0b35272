-- Publishes a committed change to a message: an edit, a deletion, a
-- reaction or a `lida` status (RedisPublisher::PublishChange).
-- KEYS[1] the room's recent cache (ZSET), KEYS[2] its change log (ZSET)
-- ARGV: 1 the message's seq, 2 the message JSON as it now stands ("": keep
--       the cached copy), 3 position (the room's newest seq when the change
--       committed), 4 the change's envelope, 5 room channel, 6 its publish
--       verb, 7 log size
-- The cache keeps current versions: a cached copy is replaced (an uncached
-- message stays out: the cache is the newest N). The change is logged at
-- its position (after the changes logged there before), so a stream resuming after seq S <= position gets it
-- replayed; an identical change logged again moves to the new position.
-- Then it is published on the room channel. Returns 1.
local seq = tonumber(ARGV[1])
if ARGV[2] ~= '' and redis.call('ZCOUNT', KEYS[1], seq, seq) > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], seq, seq)
  redis.call('ZADD', KEYS[1], seq, ARGV[2])
end
log_change(KEYS[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[7]))
redis.call(ARGV[6], ARGV[5], ARGV[4])
return 1
