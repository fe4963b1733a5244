--[[
  Frees a signal, but only if the given step still holds it: a wait that timed out, or a run
  that ended while waiting, must not free a signal another run has taken over since.

  KEYS[1] signal: the signal's key

  ARGV[1] holder: "<run id>|<step id>"

  Returns 1 when freed, 0 when another step (or nobody) holds it.
]]
if redis.call("GET", KEYS[1]) == ARGV[1] then
  redis.call("DEL", KEYS[1])
  return 1
end
return 0
