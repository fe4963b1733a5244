--[[
  Replaces a step's state only while it is in the expected status. The router (an event
  arrived) and the executor (the timeout passed) race to settle a waitForEvent: the first wins.

  KEYS[1] run: the run hash

  ARGV[1] field: step field
  ARGV[2] expectedStatus: expected status
  ARGV[3] step: new step state (JSON)

  Returns 1 when replaced, 0 when the step was not in the expected status.
]]
local current = redis.call("HGET", KEYS[1], ARGV[1])
if not current then return 0 end
if cjson.decode(current).status ~= ARGV[2] then return 0 end
redis.call("HSET", KEYS[1], ARGV[1], ARGV[3])
return 1
