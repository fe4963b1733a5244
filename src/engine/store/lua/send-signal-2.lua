--[[
  Delivers a signal: settles the waiting step with it and frees the signal, together, and only
  if neither changed since the sender read them (compare and set on both), so a wait that timed
  out or was replaced in between never gets it.

  KEYS[1] signal: the signal's key
  KEYS[2] run: the waiting run's hash

  ARGV[1] holder: the holder read from the signal's key
  ARGV[2] field: step field
  ARGV[3] waitingAsRead: the waiting step as read (JSON)
  ARGV[4] settled: the settled step (JSON)

  Returns 1 when delivered, 0 when something changed in between (read again).
]]
if redis.call("GET", KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call("HGET", KEYS[2], ARGV[2]) ~= ARGV[3] then return 0 end
redis.call("DEL", KEYS[1])
redis.call("HSET", KEYS[2], ARGV[2], ARGV[4])
return 1
