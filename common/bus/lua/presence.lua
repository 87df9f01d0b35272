-- Records one pusher's members of a room's presence ZSET and publishes the
-- room's presence when the set of users changed (pusher: presence.cc).
--
-- KEYS[1]  the room's presence ZSET (score = expiry epoch ms, member =
--          "{user}:{pusher}:{name}", PresenceMember)
-- KEYS[2]  the room's message cache (read only)
-- ARGV[1]  pusher id (sanitized: no ':')     ARGV[2] ttl ms
-- ARGV[3]  room channel                       ARGV[4] list channel of the room
-- ARGV[5]  sala_id                            ARGV[6] privada (0/1)
-- ARGV[7]  max names in `usuarios`
-- ARGV[8]  the room channel's publish verb    ARGV[9] the list channel's
-- ARGV[10..] this pusher's members now
--
-- Removes this pusher's members that are gone, drops every expired member
-- (a crashed pusher's users vanish once their score passes), adds/refreshes
-- ours with expiry now + ttl. If the distinct users differ from before, it
-- publishes `presenca` on the room channel and `atividade` on the list
-- channel. Counting is the same as papo-app's (distinct user ids with
-- score >= now).
--
-- atividade carries the same four fields as papo-app's (DESIGN §4): seq and
-- data_envio of the room's newest cached message, read here in the same
-- script. The cache, not the pusher's memory, because papo-app writes it
-- atomically with its own atividade, so every pusher tells the list the
-- same newest message. A room without cached messages (none yet, or Redis
-- restarted) says seq 0 and data_envio null: the list page ignores a seq it
-- already has.
-- Returns {changed (0/1), online}.
local key = KEYS[1]
local now = now_ms()
local first_member = 10
local mine = {}
for i = first_member, #ARGV do mine[ARGV[i]] = true end

local before_members = redis.call('ZRANGE', key, 0, -1)
local before, before_count = users_of(before_members)
for _, member in ipairs(before_members) do
  local _, pusher = presence_member(member)
  if pusher == ARGV[1] and not mine[member] then redis.call('ZREM', key, member) end
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. now)
local expiry = now + tonumber(ARGV[2])
local batch = {}
for i = first_member, #ARGV do
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
  redis.call(ARGV[8], ARGV[3], envelope('presenca', ARGV[5], 0, ARGV[6], presence_json(after, after_count, tonumber(ARGV[7]))))
  local seq, data_envio = 0, nil
  local newest = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
  if newest[1] then
    seq = tonumber(newest[2])
    local ok, message = pcall(cjson.decode, newest[1])
    if ok and type(message) == 'table' and type(message.data_envio) == 'string' then
      data_envio = message.data_envio
    end
  end
  redis.call(ARGV[9], ARGV[4], envelope('atividade', ARGV[5], seq, ARGV[6], activity_json(ARGV[5], seq, data_envio, after_count)))
end
return {changed and 1 or 0, after_count}
