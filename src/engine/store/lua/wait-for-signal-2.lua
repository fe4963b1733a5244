--[[
  Makes a step the one waiting for a signal and stores it as waiting, together. A signal name is
  unique (Inngest's rule): one step waits on it at a time.

  KEYS[1] signal: the signal's key, holding "<run id>|<step id>" of the waiting step
  KEYS[2] run: the waiting run's hash

  ARGV[1] holder: "<run id>|<step id>"
  ARGV[2] onConflict: "fail": refuse when another step holds the signal; "replace": take it over
  ARGV[3] ttlMs: milliseconds until the wait's timeout: the key expires then
  ARGV[4] field: step field
  ARGV[5] step: the waiting step (JSON)

  Returns "ok" when registered, or the other holder when it holds the signal and ARGV[2] is "fail".
]]
local current = redis.call("GET", KEYS[1])
if current and current ~= ARGV[1] and ARGV[2] == "fail" then return current end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[3])
redis.call("HSET", KEYS[2], ARGV[4], ARGV[5])
return "ok"
