--[[
  Adds an event to a function's debounce for one key, as Inngest does: the run will use the
  latest event by `ts` (an older one changes nothing), and fires `period` after the last event,
  but never later than `timeout` after the first. A debounce its fire job has claimed is gone
  from this key, so an event arriving then starts a new one.

  KEYS[1] debounce: debounce hash (generation, eventId, eventTs, event, firstAt, deadline)

  ARGV[1] now: the time (ms)
  ARGV[2] periodMs: the debounce period (ms)
  ARGV[3] timeoutMs: the debounce timeout (ms), 0 for none
  ARGV[4] eventId: the event's id
  ARGV[5] eventTs: the event's ts (ms)
  ARGV[6] event: the event (JSON)
  ARGV[7] generation: the id to use if this event starts a new debounce
  ARGV[8] retentionMs: retention (ms): how long past its deadline an unfired debounce is kept

  Returns { generation, deadline (ms) }: the caller makes sure the generation's fire job exists.
]]
local now, period, timeout = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local current = redis.call("HMGET", KEYS[1], "generation", "eventId", "eventTs", "firstAt", "deadline")
local generation, firstAt = current[1], now
if generation then
  -- The same event routed again (a retried routing), or an older one: nothing changes.
  if current[2] == ARGV[4] or tonumber(current[3]) > tonumber(ARGV[5]) then return { generation, tonumber(current[5]) } end
  firstAt = tonumber(current[4])
else
  generation = ARGV[7]
end
local deadline = now + period
if timeout > 0 then deadline = math.min(deadline, firstAt + timeout) end
redis.call("HSET", KEYS[1], "generation", generation, "eventId", ARGV[4], "eventTs", ARGV[5], "event", ARGV[6], "firstAt", firstAt, "deadline", deadline)
redis.call("PEXPIRE", KEYS[1], deadline - now + tonumber(ARGV[8]))
return { generation, deadline }
