--[[
  Everything the router writes for one event, in one call: read the waiters registered under its
  name, record it in the event log, and create each matching function's run once (guarded by the
  optional idempotency key). The number of keys varies with the number of runs.

  KEYS[1]   waiters hash of the event's name
  KEYS[2]   event log index
  KEYS[3]   event log index of the event's name
  KEYS[4..] five keys per run: run hash, index of all runs, index of the function's runs,
            set of the trigger event's runs, idempotency key

  ARGV[1]   event log member; "" records nothing
  ARGV[2]   retention in seconds
  ARGV[3]   number of runs
  ARGV[4]   "1" to read the waiters, "0" not to
  then per run: run id, index member, idempotency ttl in seconds (0: none),
                number of field/value arguments that follow, the field/value pairs

  Returns { waiters as a flat field/value list, then one code per run }:
   1  created: enqueue its job
   0  exists and is still queued: enqueue again (the job id dedupes), a crash may have lost it
   2  exists and has started: nothing to do
  -1  another run holds the idempotency key: no run
]]
local result = { {} }
if ARGV[4] == "1" then result[1] = redis.call("HGETALL", KEYS[1]) end
if ARGV[1] ~= "" then
  redis.call("ZADD", KEYS[2], 0, ARGV[1])
  redis.call("ZADD", KEYS[3], 0, ARGV[1])
end
local a = 5
for r = 0, tonumber(ARGV[3]) - 1 do
  local k = 4 + r * 5
  local runId, member, idempotencyTtl, count = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2]), tonumber(ARGV[a + 3])
  local fields = { unpack(ARGV, a + 4, a + 3 + count) }
  a = a + 4 + count
  local code = 1
  local status = redis.call("HGET", KEYS[k], "status")
  if status then
    if status == "queued" then code = 0 else code = 2 end
  elseif idempotencyTtl > 0 and not redis.call("SET", KEYS[k + 4], runId, "NX", "EX", idempotencyTtl) then
    code = -1
  else
    redis.call("HSET", KEYS[k], unpack(fields))
    redis.call("EXPIRE", KEYS[k], ARGV[2])
    redis.call("ZADD", KEYS[k + 1], 0, member)
    redis.call("ZADD", KEYS[k + 2], 0, member)
    redis.call("SADD", KEYS[k + 3], runId)
    redis.call("EXPIRE", KEYS[k + 3], ARGV[2])
  end
  result[#result + 1] = code
end
return result
