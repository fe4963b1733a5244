--[[
  Closes a batch (if it is still the open one, so the next event opens a new batch) and returns
  its event ids in arrival order. The list stays until the batch's run exists, so a flush that
  crashes half-way finds it again when retried.

  KEYS[1] openBatch: open batch of the function and key (hash: id, firstAt)
  KEYS[2] events: the batch's event list

  ARGV[1] batchId: the batch's id

  Returns the event ids; empty once the batch's run was created (the list is deleted then).
]]
if redis.call("HGET", KEYS[1], "id") == ARGV[1] then redis.call("DEL", KEYS[1]) end
return redis.call("LRANGE", KEYS[2], 0, -1)
