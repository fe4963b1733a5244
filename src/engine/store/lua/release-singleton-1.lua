--[[
  A singleton's run gives its key back as it ends, only if it still holds it (a newer run that
  cancelled it holds it now).

  KEYS[1] singleton: singleton holder (run id)

  ARGV[1] runId: the ending run's id

  Returns 1 when released, 0 when another run held it.
]]
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0
