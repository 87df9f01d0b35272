-- A pusher wrote message `seq` to a stream of someone other than its
-- author (papo-pusher's DeliveryReporter). Every pusher that does reports
-- it; the first one's report sets the bit and publishes `status`
-- entregue, the others change nothing: one publish per message, however
-- many pushers and subscribers.
-- KEYS[1] the room's delivered bitmap, KEYS[2] its change log (ZSET)
-- ARGV: 1 seq, 2 ring size (bits), 3 the status envelope, 4 room channel,
--       5 its publish verb, 6 log size
-- Returns 1 when this report was the first, else 0.
local seq = tonumber(ARGV[1])
local ring = tonumber(ARGV[2])
if redis.call('SETBIT', KEYS[1], seq % ring, 1) == 1 then return 0 end
-- Half a ring ahead is long past: clear it for the seq that will use it.
redis.call('SETBIT', KEYS[1], (seq + ring / 2) % ring, 0)
log_change(KEYS[2], seq, ARGV[3], tonumber(ARGV[6]))
redis.call(ARGV[5], ARGV[4], ARGV[3])
return 1
