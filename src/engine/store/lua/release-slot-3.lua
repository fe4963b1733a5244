--[[
  A run gives back its slot (and its place in line, if it was waiting), and learns which run is
  first in line now, so that run's job can be woken instead of waiting for its next ask.

  KEYS[1] holders: sorted set of holders
  KEYS[2] line: sorted set of waiters, by order
  KEYS[3] lineSeen: sorted set of waiters, by when each last asked

  ARGV[1] holder: the run id

  Returns the run id first in line, or "" when none waits.
]]
redis.call("ZREM", KEYS[1], ARGV[1])
redis.call("ZREM", KEYS[2], ARGV[1])
redis.call("ZREM", KEYS[3], ARGV[1])
return redis.call("ZRANGE", KEYS[2], 0, 0)[1] or ""
