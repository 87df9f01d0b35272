-- Messages a pusher wrote to a stream of someone other than their author
-- (papo-pusher's DeliveryReporter: a room's reports of one loop pass go
-- together). Every pusher that delivers a message reports it; the first
-- report sets the message's bit and publishes `status` entregue, later ones
-- change nothing: one publish per message, however many pushers and
-- subscribers.
-- KEYS[1] the room's delivered bitmap, KEYS[2] its change log (ZSET)
-- ARGV: 1 ring size (bits), 2 room channel, 3 its publish verb, 4 log size,
--       then per message: seq, the status envelope
-- Returns how many of the reports were the first of their message.
local ring = tonumber(ARGV[1])
local first = 0
for i = 5, #ARGV, 2 do
  local seq = tonumber(ARGV[i])
  if redis.call('SETBIT', KEYS[1], seq % ring, 1) == 0 then
    -- Half a ring ahead is long past: clear it for the seq that will use it.
    redis.call('SETBIT', KEYS[1], (seq + ring / 2) % ring, 0)
    log_change(KEYS[2], seq, ARGV[i + 1], tonumber(ARGV[4]))
    redis.call(ARGV[3], ARGV[2], ARGV[i + 1])
    first = first + 1
  end
end
return first
