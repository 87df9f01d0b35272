#include "sse-pusher/stream_limit_script.h"

namespace papo::pusher {

const char kStreamAcquireScript[] = R"lua(
local key = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. now)
local open = redis.call('ZCARD', key)
if open >= tonumber(ARGV[3]) then return {0, open} end
redis.call('ZADD', key, now + ttl, ARGV[1])
redis.call('PEXPIRE', key, ttl * 2)
return {1, open + 1}
)lua";

const char kStreamRefreshScript[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
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
)lua";

}  // namespace papo::pusher
