--[[
  A counting semaphore with leases, for function concurrency (BullMQ's own per-group
  concurrency is a Pro feature). A holder that crashed frees its slot when its lease ends.

  KEYS[1] sorted set of holders, scored by lease end (ms)

  ARGV[1] holder (run id)
  ARGV[2] now (ms)
  ARGV[3] lease end (ms)
  ARGV[4] limit

  Returns 1 when the holder has a slot (new or renewed), 0 when all slots are taken.
]]
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", ARGV[2])
if redis.call("ZSCORE", KEYS[1], ARGV[1]) or redis.call("ZCARD", KEYS[1]) < tonumber(ARGV[4]) then
  redis.call("ZADD", KEYS[1], ARGV[3], ARGV[1])
  -- the key lives as long as its longest lease
  if redis.call("PTTL", KEYS[1]) < tonumber(ARGV[3]) - tonumber(ARGV[2]) then redis.call("PEXPIREAT", KEYS[1], ARGV[3]) end
  return 1
end
return 0
