#include "sse-pusher/presence_script.h"

namespace papo::pusher {

const char kPresenceScript[] = R"lua(
local key = KEYS[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local mine = {}
for i = 8, #ARGV do mine[ARGV[i]] = true end

local function users_of(members)
  local users, count = {}, 0
  for _, member in ipairs(members) do
    local uid, nome = string.match(member, '^(%d+):[^:]*:(.*)$')
    if uid and users[uid] == nil then
      users[uid] = nome
      count = count + 1
    end
  end
  return users, count
end

local before_members = redis.call('ZRANGE', key, 0, -1)
local before, before_count = users_of(before_members)
for _, member in ipairs(before_members) do
  if string.match(member, '^%d+:([^:]*):') == ARGV[1] and not mine[member] then
    redis.call('ZREM', key, member)
  end
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. now)
local expiry = now + tonumber(ARGV[2])
local batch = {}
for i = 8, #ARGV do
  batch[#batch + 1] = expiry
  batch[#batch + 1] = ARGV[i]
  if #batch >= 1000 then
    redis.call('ZADD', key, unpack(batch))
    batch = {}
  end
end
if #batch > 0 then redis.call('ZADD', key, unpack(batch)) end

local after, after_count = users_of(redis.call('ZRANGE', key, 0, -1))
if after_count > 0 then redis.call('PEXPIRE', key, tonumber(ARGV[2]) * 2) end

local changed = after_count ~= before_count
if not changed then
  for uid in pairs(after) do
    if before[uid] == nil then
      changed = true
      break
    end
  end
end
if changed then
  local list = {}
  for uid, nome in pairs(after) do list[#list + 1] = {tonumber(uid), nome} end
  table.sort(list, function(a, b)
    if a[2] ~= b[2] then return a[2] < b[2] end
    return a[1] < b[1]
  end)
  local parts = {}
  for i = 1, math.min(#list, tonumber(ARGV[7])) do
    parts[#parts + 1] = '{"id":' .. string.format('%d', list[i][1]) .. ',"nome":' .. cjson.encode(list[i][2]) .. '}'
  end
  local presence = '{"usuarios_online":' .. after_count .. ',"usuarios":[' .. table.concat(parts, ',') .. ']}'
  redis.call('PUBLISH', ARGV[3], 'presenca ' .. ARGV[5] .. ' 0 ' .. ARGV[6] .. '\n' .. presence)
  local seq, data_envio = 0, nil
  local newest = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
  if newest[1] then
    seq = tonumber(newest[2])
    local ok, message = pcall(cjson.decode, newest[1])
    if ok and type(message) == 'table' and type(message.data_envio) == 'string' then
      data_envio = message.data_envio
    end
  end
  redis.call('PUBLISH', ARGV[4], 'atividade ' .. ARGV[5] .. ' 0 ' .. ARGV[6] .. '\n' ..
             '{"sala_id":' .. ARGV[5] .. ',"seq":' .. string.format('%d', seq) .. ',"data_envio":' ..
             (data_envio and cjson.encode(data_envio) or 'null') .. ',"usuarios_online":' .. after_count .. '}')
end
return {changed and 1 or 0, after_count}
)lua";

}  // namespace papo::pusher
