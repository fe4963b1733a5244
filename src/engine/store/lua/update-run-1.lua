--[[
  Writes run fields unless the run has ended: a cancellation that landed while a step was
  running must not be overwritten by the executor finishing that step.

  KEYS[1] run: the run hash

  ARGV[1] ttlSeconds: ttl in seconds to set on the run hash; 0 leaves it
  ARGV[2..] fields: field, value pairs

  Returns "ok" when written, "missing" when there is no such run, or the run's final status when
  it had already ended. FINAL_STATUSES is replaced at load by the set defined in run-state.ts.
]]
local FINAL = FINAL_STATUSES
local status = redis.call("HGET", KEYS[1], "status")
if not status then return "missing" end
if FINAL[status] then return status end
redis.call("HSET", KEYS[1], unpack(ARGV, 2))
if tonumber(ARGV[1]) > 0 then redis.call("EXPIRE", KEYS[1], ARGV[1]) end
return "ok"
