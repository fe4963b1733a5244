--[[
  Sent on the events queue's connection right before BullMQ's add of the same events, in the
  same round trip: for each event that names an erased user (a tombstone exists), it takes the
  event's deduplication key first, so the add that follows on the same connection finds it and
  stores nothing. Nothing of the event is written; the key holds only a marker and expires soon.
  The number of keys varies with the events.

  KEYS[1..] events: per event, its BullMQ deduplication key, then the tombstone keys of the users it names
  ARGV[1] markerMs: how long the marker key lives (ms)
  ARGV[2..] tombstoneCounts: per event, how many tombstone keys follow its deduplication key

  Returns one number per event: 1 when it names an erased user (its add will store nothing), else 0.
]]
local markerMs = tonumber(ARGV[1])
local results = {}
local k = 1
for i = 2, #ARGV do
  local dedupeKey = KEYS[k]
  local count = tonumber(ARGV[i])
  local erased = 0
  for j = 1, count do
    if erased == 0 and redis.call("EXISTS", KEYS[k + j]) == 1 then erased = 1 end
  end
  -- NX: an event already deduplicated (a redelivery) keeps its own key.
  if erased == 1 then redis.call("SET", dedupeKey, "erased-user", "PX", markerMs, "NX") end
  results[#results + 1] = erased
  k = k + count + 1
end
return results
