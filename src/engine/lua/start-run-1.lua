--[[
  Marks a run as running as the executor picks it up, and returns its whole state: one round
  trip instead of a read and a write. FINAL_STATUSES is replaced at load by the set defined in
  run-state.ts.

  KEYS[1] run hash

  ARGV[1] now (ms), the start time if the run has none yet

  Returns the hash as a flat field, value list (empty when there is no such run). A run that has
  ended is returned unchanged.
]]
local FINAL = FINAL_STATUSES
local status = redis.call("HGET", KEYS[1], "status")
if not status then return {} end
if not FINAL[status] then
  redis.call("HSET", KEYS[1], "status", "running")
  redis.call("HSETNX", KEYS[1], "startedAt", ARGV[1])
end
return redis.call("HGETALL", KEYS[1])
