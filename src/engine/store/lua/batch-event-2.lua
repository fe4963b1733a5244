--[[
  Appends an event to a function's open batch for one key (opening one if there is none), once:
  an event routed again finds the batch that took it. A batch that reaches its size is closed
  here (the next event opens a new one) and its run is created by the caller; one that does not
  is closed by its flush job, `timeout` after its first event.

  KEYS[1] openBatch: open batch of the function and key (hash: id, firstAt)
  KEYS[2] takenBy: which batch took this event (this function)

  ARGV[1] eventId: the event's id
  ARGV[2] maxSize: the batch size that closes it
  ARGV[3] batchId: the id to use if this event opens a batch
  ARGV[4] now: the time (ms)
  ARGV[5] batchEventsPrefix: key prefix of a batch's event list: <prefix><batch id> (same hash tag)
  ARGV[6] retentionSeconds: retention (s) of the batch
  ARGV[7] takenBySeconds: how long (s) to remember which batch took the event: longer than a routing is retried

  Returns { batch id, its first event's time (ms), 1 when the batch is closed (full), else 0 }.
]]
local prefix, retention = ARGV[5], ARGV[6]
local taken = redis.call("GET", KEYS[2])
if taken then
  local open = redis.call("HGET", KEYS[1], "id") == taken
  local firstAt = open and tonumber(redis.call("HGET", KEYS[1], "firstAt")) or tonumber(ARGV[4])
  -- Closed since (full, or flushed): flushing it again is harmless and finishes a crashed close.
  return { taken, firstAt, open and 0 or 1 }
end
local id = redis.call("HGET", KEYS[1], "id")
local firstAt = tonumber(redis.call("HGET", KEYS[1], "firstAt"))
if not id then
  id, firstAt = ARGV[3], tonumber(ARGV[4])
  redis.call("HSET", KEYS[1], "id", id, "firstAt", firstAt)
  redis.call("EXPIRE", KEYS[1], retention)
end
local size = redis.call("RPUSH", prefix .. id, ARGV[1])
redis.call("EXPIRE", prefix .. id, retention)
redis.call("SET", KEYS[2], id, "EX", ARGV[7])
if size >= tonumber(ARGV[2]) then
  redis.call("DEL", KEYS[1])
  return { id, firstAt, 1 }
end
return { id, firstAt, 0 }
