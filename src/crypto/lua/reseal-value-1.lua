--[[
  Writes a value re-sealed by `bridge rekey`, only if it is still the value that was read: the
  bridge keeps running during a rekey, and a value it rewrote meanwhile is newer (and sealed with
  the new key already). A string keeps its expiry (KEEPTTL); a hash field's key keeps its own.

  KEYS[1] key: the key, a string or a hash
  ARGV[1] field: the hash field, or "" for a string
  ARGV[2] asRead: the value as it was read
  ARGV[3] resealed: the value re-sealed

  Returns 1 when written, 0 when the value had changed (or gone) since it was read.
]]
if ARGV[1] == "" then
  if redis.call("GET", KEYS[1]) ~= ARGV[2] then return 0 end
  redis.call("SET", KEYS[1], ARGV[3], "KEEPTTL")
  return 1
end
if redis.call("HGET", KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call("HSET", KEYS[1], ARGV[1], ARGV[3])
return 1
