-- papo's bus formats for scripts (common/bus/scripts.cc prepends this file
-- to every script, so each format is spelled once in Lua as in C++; the
-- C++ twins are in common/bus/names.h and common/bus/payloads.h, and
-- tests/unit/common/bus_round_trip_test.cc checks that both agree).

-- Redis's clock in epoch ms: every pusher and worker compares expiries
-- against the same clock, never their own.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- A presence member "{user}:{pusher}:{name}" (PresenceMember): the user id
-- (a string of digits), the pusher id and the name, or nil.
local function presence_member(member)
  return string.match(member, '^(%d+):([^:]*):(.*)$')
end

-- The distinct users among presence members: {uid = name}, count.
local function users_of(members)
  local users, count = {}, 0
  for _, member in ipairs(members) do
    local uid, _, nome = presence_member(member)
    if uid and users[uid] == nil then
      users[uid] = nome
      count = count + 1
    end
  end
  return users, count
end

-- The envelope "<kind> <sala_id> <seq> <privada>\n<json>" (EncodeEnvelope).
local function envelope(kind, sala_id, seq, privada, json)
  return kind .. ' ' .. sala_id .. ' ' .. string.format('%d', seq) .. ' ' .. privada .. '\n' .. json
end

-- atividade {sala_id, seq, data_envio, usuarios_online} (ActivityJson);
-- data_envio nil gives null.
local function activity_json(sala_id, seq, data_envio, online)
  return '{"sala_id":' .. sala_id .. ',"seq":' .. string.format('%d', seq) .. ',"data_envio":' ..
         (data_envio and cjson.encode(data_envio) or 'null') .. ',"usuarios_online":' .. online .. '}'
end

-- presenca {usuarios_online, usuarios:[{id, nome}]} (PresenceJson): the
-- first `max_names` users by name, then id.
local function presence_json(users, count, max_names)
  local list = {}
  for uid, nome in pairs(users) do list[#list + 1] = {tonumber(uid), nome} end
  table.sort(list, function(a, b)
    if a[2] ~= b[2] then return a[2] < b[2] end
    return a[1] < b[1]
  end)
  local parts = {}
  for i = 1, math.min(#list, max_names) do
    parts[#parts + 1] = '{"id":' .. string.format('%d', list[i][1]) .. ',"nome":' .. cjson.encode(list[i][2]) .. '}'
  end
  return '{"usuarios_online":' .. count .. ',"usuarios":[' .. table.concat(parts, ',') .. ']}'
end


-- Logs a change to a message in a room's change log (ChangeLogKey) at
-- `position`, after every change already logged there: a sorted set orders
-- equal scores by member bytes, not by time, so each change at one position
-- takes the next 2^-20 step above the last (exact in a double for seqs
-- below 2^32). Keeps the newest `size` changes.
local function log_change(key, position, member, size)
  local score = position
  local last = redis.call('ZREVRANGEBYSCORE', key, '(' .. (position + 1), position, 'WITHSCORES', 'LIMIT', 0, 1)
  if last[2] then
    local step = 1 / 1048576
    score = math.min(tonumber(last[2]) + step, position + 1 - step)
  end
  redis.call('ZADD', key, string.format('%.17g', score), member)
  redis.call('ZREMRANGEBYRANK', key, 0, -(size + 1))
end
