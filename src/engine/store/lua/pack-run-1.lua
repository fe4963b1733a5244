--[[
  Packs a completed run: every field but its status replaced by one field holding them all
  (compressed by run-state.ts), so a run kept for RETENTION costs a third of the memory. Only
  if the hash is still exactly as read (its digest): a field written since, or a cancellation,
  leaves the run as it is. The run keeps its expiry.

  KEYS[1] run: the run hash

  ARGV[1] digest: sha1 (hex) of the hash as read, its fields and values in HGETALL order joined by NUL
  ARGV[2] packed: the fields other than status, packed

  Returns 1 when packed, 0 when the run had changed (or is gone).
]]
local flat = redis.call("HGETALL", KEYS[1])
if #flat == 0 or redis.sha1hex(table.concat(flat, "\0")) ~= ARGV[1] then return 0 end
local status = redis.call("HGET", KEYS[1], "status")
local ttl = redis.call("PTTL", KEYS[1])
redis.call("DEL", KEYS[1])
redis.call("HSET", KEYS[1], "status", status, "packed", ARGV[2])
if ttl > 0 then redis.call("PEXPIRE", KEYS[1], ttl) end
return 1
