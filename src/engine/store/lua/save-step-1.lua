--[[
  Stores a step's state in its run, only while the run exists: a run erased (DELETE
  /api/users/:id) or expired while a step ran must not come back as a hash holding only that
  step, with no expiry.

  KEYS[1] run: the run hash

  ARGV[1] field: step field
  ARGV[2] step: step state (JSON)

  Returns 1 when stored, 0 when there is no such run.
]]
if redis.call("EXISTS", KEYS[1]) == 0 then return 0 end
redis.call("HSET", KEYS[1], ARGV[1], ARGV[2])
return 1
