--[[
  Loads a run as the executor picks it up, and marks it running unless it must first pass a
  start gate (a concurrency slot, a start timeout): one round trip for the state, the trigger
  event and the status write. FINAL_STATUSES is replaced at load by the set defined in
  run-state.ts.

  The trigger event is stored once, in the intake's job on the "events" queue; the run hash holds
  only its id (and a copy only for an event that has no job: a cron tick, an invoke, or a run
  that outlives the event's retention). So the event's job hash is read here too.

  KEYS[1] run: the run hash
  KEYS[2] eventJob: the trigger event's job hash (when unknown, any key of the same slot: it is not read)

  ARGV[1] now: the time (ms), the start time if the run has none yet
  ARGV[2] markRunning: "1" to mark the run running, "0" to only read it
  ARGV[3] eventJobKnown: "1" when KEYS[2] is the event's job hash

  Returns { the hash as a flat field, value list (empty when there is no such run), the event's
  body (the job's `data`) or false when the run holds its own copy or the job is gone }. A run
  that has ended is returned unchanged.
]]
local FINAL = FINAL_STATUSES
local status = redis.call("HGET", KEYS[1], "status")
if not status then return { {}, false } end
if ARGV[2] == "1" and not FINAL[status] then
  redis.call("HSET", KEYS[1], "status", "running")
  redis.call("HSETNX", KEYS[1], "startedAt", ARGV[1])
end
local body = false
if ARGV[3] == "1" and redis.call("HEXISTS", KEYS[1], "event") == 0 then
  body = redis.call("HGET", KEYS[2], "data")
end
return { redis.call("HGETALL", KEYS[1]), body }
