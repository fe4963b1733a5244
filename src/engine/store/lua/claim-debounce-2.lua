--[[
  The fire job of one debounce generation claims it once its deadline has passed: the debounce
  moves to a key of the generation's own, so events arriving from now on start a new debounce,
  and a fire job that crashes after claiming finds its claim again when it is retried.

  KEYS[1] debounce: debounce hash of the function and key
  KEYS[2] claim: claim of this generation

  ARGV[1] generation: the generation's id
  ARGV[2] now: the time (ms)
  ARGV[3] retentionSeconds: retention (s) of the claim

  Returns { "claimed", event JSON }, { "wait", deadline (ms) } while newer events pushed the
  deadline, or { "gone" } when this generation has already fired.
]]
local claimed = redis.call("HGET", KEYS[2], "event")
if claimed then return { "claimed", claimed } end
if redis.call("HGET", KEYS[1], "generation") ~= ARGV[1] then return { "gone" } end
local deadline = tonumber(redis.call("HGET", KEYS[1], "deadline"))
if deadline > tonumber(ARGV[2]) then return { "wait", deadline } end
redis.call("RENAME", KEYS[1], KEYS[2])
redis.call("EXPIRE", KEYS[2], ARGV[3])
return { "claimed", redis.call("HGET", KEYS[2], "event") }
