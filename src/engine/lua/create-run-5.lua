--[[
  Creates a run's state once, with its index entries, guarded by the optional idempotency key.

  KEYS[1] run hash
  KEYS[2] index of all runs (sorted set, lexicographic members)
  KEYS[3] index of the function's runs
  KEYS[4] set of the trigger event's runs
  KEYS[5] idempotency key

  ARGV[1] run id
  ARGV[2] index member
  ARGV[3] retention in seconds
  ARGV[4] idempotency ttl in seconds; 0 when the function has no idempotency key
  ARGV[5..] field, value pairs of the initial state

  Returns
   1  created: enqueue its job
   0  exists and is still queued: enqueue again (the job id dedupes), a crash may have lost it
   2  exists and has started: nothing to do
  -1  another run holds the idempotency key: no run
]]
local status = redis.call("HGET", KEYS[1], "status")
if status then
  if status == "queued" then return 0 end
  return 2
end
if tonumber(ARGV[4]) > 0 then
  if not redis.call("SET", KEYS[5], ARGV[1], "NX", "EX", ARGV[4]) then return -1 end
end
redis.call("HSET", KEYS[1], unpack(ARGV, 5))
redis.call("EXPIRE", KEYS[1], ARGV[3])
redis.call("ZADD", KEYS[2], 0, ARGV[2])
redis.call("ZADD", KEYS[3], 0, ARGV[2])
redis.call("SADD", KEYS[4], ARGV[1])
redis.call("EXPIRE", KEYS[4], ARGV[3])
return 1
