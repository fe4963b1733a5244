--[[
  A counting semaphore with leases and an ordered line, for function concurrency (BullMQ's own
  per-group concurrency is a Pro feature). A holder that crashed frees its slot when its lease
  ends. Runs that find every slot taken wait in line, ordered as Inngest orders a function's
  queue (by when the run was due, moved earlier by its priority), and a free slot goes to the
  first in line: no run overtakes an older one. A waiter asks again about every second; one not
  seen for `stale` ms (its run ended elsewhere) loses its place, and gets it back if it asks again.

  KEYS[1] holders: sorted set of holders, scored by lease end (ms)
  KEYS[2] line: sorted set of waiters, scored by their order
  KEYS[3] lineSeen: sorted set of waiters, scored by when each last asked (ms)

  ARGV[1] holder: the run id
  ARGV[2] now: the time (ms)
  ARGV[3] leaseEnd: when the lease ends (ms)
  ARGV[4] limit: how many may hold a slot
  ARGV[5] order: (ms) when the run was due, minus its priority
  ARGV[6] staleMs: how long (ms) a waiter that stopped asking keeps its place

  Returns 1 when the holder has a slot (new or renewed), 0 when it waits in line.
]]
local id, now, leaseEnd, limit = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", now)
local stale = redis.call("ZRANGEBYSCORE", KEYS[3], "-inf", now - tonumber(ARGV[6]))
if #stale > 0 then
  redis.call("ZREM", KEYS[2], unpack(stale))
  redis.call("ZREM", KEYS[3], unpack(stale))
end
local taken = redis.call("ZSCORE", KEYS[1], id)
if not taken then
  redis.call("ZADD", KEYS[2], "NX", ARGV[5], id)
  taken = redis.call("ZRANK", KEYS[2], id) < limit - redis.call("ZCARD", KEYS[1])
  if taken then
    redis.call("ZREM", KEYS[2], id)
    redis.call("ZREM", KEYS[3], id)
  else
    redis.call("ZADD", KEYS[3], now, id)
    redis.call("PEXPIRE", KEYS[2], 3600000)
    redis.call("PEXPIRE", KEYS[3], 3600000)
    return 0
  end
end
redis.call("ZADD", KEYS[1], leaseEnd, id)
-- the key lives as long as its longest lease
if redis.call("PTTL", KEYS[1]) < leaseEnd - now then redis.call("PEXPIREAT", KEYS[1], leaseEnd) end
return 1
