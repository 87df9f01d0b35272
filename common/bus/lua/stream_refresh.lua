-- Rewrites one pusher's members of several users' stream ZSETs
-- (stream_acquire.lua has the format; pusher: stream_limiter.cc).
--   KEYS    the users' ZSETs (in a Redis Cluster, only keys of one slot)
--   ARGV[1] this pusher's member prefix "{pusher}:"   ARGV[2] ttl ms
--   then for each key in order: held count H, pending count P, H held
--   members, P pending members.
-- Removes this pusher's members not listed (streams whose release was
-- lost, a predecessor's under the same id), drops expired members, adds
-- or refreshes the held ones (they are open: after a Redis restart this
-- puts them back) and refreshes the pending ones only if present (ZADD
-- XX: the acquire, sent earlier on the same connection, may have refused
-- them). Returns the number of keys.
local now = now_ms()
local prefix = ARGV[1]
local ttl = tonumber(ARGV[2])
local expiry = now + ttl
local a = 3
for k = 1, #KEYS do
  local key = KEYS[k]
  local held, pending = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  a = a + 2
  local listed = {}
  for i = a, a + held + pending - 1 do listed[ARGV[i]] = true end
  for _, member in ipairs(redis.call('ZRANGE', key, 0, -1)) do
    if string.sub(member, 1, #prefix) == prefix and not listed[member] then redis.call('ZREM', key, member) end
  end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. now)
  for i = a, a + held - 1 do redis.call('ZADD', key, expiry, ARGV[i]) end
  for i = a + held, a + held + pending - 1 do redis.call('ZADD', key, 'XX', expiry, ARGV[i]) end
  a = a + held + pending
  if redis.call('EXISTS', key) == 1 then redis.call('PEXPIRE', key, ttl * 2) end
end
return #KEYS
