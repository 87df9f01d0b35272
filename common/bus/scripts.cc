#include "common/bus/scripts.h"

namespace papo {

const char kPublishMessageScript[] = R"lua(
local seq = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], seq, seq)
redis.call('ZADD', KEYS[1], seq, ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
redis.call('PUBLISH', ARGV[4], ARGV[5])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local seen, online = {}, 0
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], now, '+inf')) do
  local uid = string.match(member, '^(%d+):')
  if uid and not seen[uid] then
    seen[uid] = true
    online = online + 1
  end
end
local activity = '{"sala_id":' .. ARGV[7] .. ',"seq":' .. ARGV[1] .. ',"data_envio":"' .. ARGV[8] ..
                 '","usuarios_online":' .. online .. '}'
redis.call('PUBLISH', ARGV[6], 'atividade ' .. ARGV[7] .. ' ' .. ARGV[1] .. ' ' .. ARGV[9] .. '\n' .. activity)
return online
)lua";

}  // namespace papo
