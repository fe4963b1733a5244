--[[
  Everything the router writes for one event, in one call: read the waiters registered under its
  name, record it in the event log, and create each matching function's run once, deciding its
  flow control atomically with its creation (so a crash can neither lose a decision nor make it
  twice): idempotency, rateLimit (GCRA, skip), singleton (skip, or cancel the active run) and
  throttle (GCRA, reserve the run's start). The number of keys varies with the number of runs.

  KEYS[1] waitersIf: the event name's waiters without a match (`if` only)
  KEYS[2] matchPaths: the set of match paths in use for the event name
  KEYS[3] eventLog: event log index
  KEYS[4] eventLogOfName: event log index of the event's name
  KEYS[5] functionsWithRuns: the functions that have a run index (a hash of function ids)
  KEYS[6..] per run, seven keys (a key a run does not use is given as its run hash, and not touched):
    +0 run: the run hash
    +1 functionRuns: index of the function's runs
    +2 eventRuns: the trigger event's runs (a hash of run ids: small hashes are packed, sets of
       strings are not)
    +3 idempotency: idempotency key
    +4 rateLimit: rate limit state
    +5 throttle: throttle state
    +6 singleton: singleton holder

  ARGV[1] logMember: event log member; "" records nothing
  ARGV[2] retentionSeconds: retention in seconds
  ARGV[3] runCount: number of runs
  ARGV[4] readWaiters: "1" to read the waiters (the `if` ones and the match paths), "0" not to
  ARGV[5] now: the time (ms)
  ARGV[6] runKeyPrefix: run hash key prefix: a singleton's holder run is read at <prefix><run id>
          (same hash tag)
  ARGV[7..] per run, 15 arguments, then the run's fields:
    +0 runId: run id
    +1 indexMember: its member in the function's run index
    +2 idempotencyTtl: idempotency ttl in seconds (0: none)
    +3 gate: "gate" to apply the rate limit only (a debounced event: the run comes later), ""
       otherwise
    +4 rateLimit: rate limit (0: none)
    +5 ratePeriodMs: rate limit period (ms, 0: none)
    +6 throttleLimit: throttle limit
    +7 throttlePeriodMs: throttle period (ms, 0: none)
    +8 throttleBurst: throttle burst
    +9 startAt: earliest start (ms)
    +10 startDeadline: start deadline (ms, 0: none)
    +11 singletonMode: singleton mode ("", "skip", "cancel")
    +12 singletonCancelReason: singleton cancel reason
    +13 startNow: "1" when nothing else holds the run back: created to start now, it is stored
        running, started now (the router executes it at once); "" otherwise
    +14 fieldCount: number of field/value arguments that follow: the field/value pairs

  Every index written is kept for the retention after its last write, so an idle bridge's
  indexes expire too.

  Returns { `if` waiters as a flat field/value list, match paths, then per run { code, start
  time (ms), detail } }:
   1  created: enqueue its job to start at the start time; detail: a run it cancelled (singleton) or ""
   0  queued: exists and has not ended (or was cancelled before it ran): enqueue again (the job id
      dedupes; a crash may have cut short the run's execution in the router, leaving it no job)
   2  ended: exists and has ended: nothing to do
  -1  idempotent: another run holds the function's idempotency key: no run
   3  rate-limited: skipped, rate limited (stored as a skipped run)
   4  singleton-skipped: skipped, singleton; detail: the active run
   5  cancelled: created cancelled: its throttle slot is past its start deadline; enqueue it to wind it up
   6  admitted: gate only: admitted by the rate limit, nothing stored
  FINAL_STATUSES is replaced at load by the set defined in run-state.ts.
]]
local FINAL = FINAL_STATUSES
local now = tonumber(ARGV[5])
local runPrefix = ARGV[6]

-- GCRA as in Inngest's ratelimit.lua: admits when the theoretical arrival time allows, with
-- `burst` extra at once; the state is one number per key.
local function admit(key, limit, period, burst)
  local emission = period / limit
  local tat = math.max(tonumber(redis.call("GET", key)) or now, now)
  local nextTat = tat + emission
  if nextTat - emission * (burst + 1) > now then return false end
  redis.call("SET", key, string.format("%.3f", nextTat), "PX", math.max(math.ceil(nextTat - now), 1))
  return true
end

-- The same GCRA used as a reservation, as Inngest's throttle (capacity limit + burst): the
-- earliest start this key allows from now, in arrival order. Nothing is reserved past the
-- deadline (false is returned with the slot).
local function reserve(key, limit, period, burst, deadline)
  local emission = period / limit
  local tat = tonumber(redis.call("GET", key)) or now
  local slot = math.max(now, tat + emission - emission * (limit + burst))
  if deadline > 0 and slot > deadline then return slot, false end
  local nextTat = math.max(tat, slot) + emission
  redis.call("SET", key, string.format("%.3f", nextTat), "PX", math.max(math.ceil(nextTat - now), 1))
  return slot, true
end

-- The run holding a singleton key, if it has not ended.
local function activeHolder(key, runId)
  local holder = redis.call("GET", key)
  if not holder or holder == runId then return nil end
  local status = redis.call("HGET", runPrefix .. holder, "status")
  if status and not FINAL[status] then return holder end
  return nil
end

local function create(k, runId, member, fields, extra)
  redis.call("HSET", KEYS[k], unpack(fields))
  for f = 1, #fields - 1, 2 do
    if fields[f] == "functionId" then redis.call("HSET", KEYS[5], fields[f + 1], "") break end
  end
  if #extra > 0 then redis.call("HSET", KEYS[k], unpack(extra)) end
  redis.call("EXPIRE", KEYS[k], ARGV[2])
  redis.call("ZADD", KEYS[k + 1], 0, member)
  redis.call("EXPIRE", KEYS[k + 1], ARGV[2])
  redis.call("HSET", KEYS[k + 2], runId, "")
  redis.call("EXPIRE", KEYS[k + 2], ARGV[2])
end

local result = { {}, {} }
if ARGV[4] == "1" then
  result[1] = redis.call("HGETALL", KEYS[1])
  result[2] = redis.call("SMEMBERS", KEYS[2])
end
if ARGV[1] ~= "" then
  redis.call("ZADD", KEYS[3], 0, ARGV[1])
  redis.call("ZADD", KEYS[4], 0, ARGV[1])
  redis.call("EXPIRE", KEYS[3], ARGV[2])
  redis.call("EXPIRE", KEYS[4], ARGV[2])
end
local a = 7
for r = 0, tonumber(ARGV[3]) - 1 do
  local k = 6 + r * 7
  local runId, member, idempotencyTtl, gate = ARGV[a], ARGV[a + 1], tonumber(ARGV[a + 2]), ARGV[a + 3] == "gate"
  local rateLimit, ratePeriod = tonumber(ARGV[a + 4]), tonumber(ARGV[a + 5])
  local throttleLimit, throttlePeriod, throttleBurst = tonumber(ARGV[a + 6]), tonumber(ARGV[a + 7]), tonumber(ARGV[a + 8])
  local startAt, deadline, singleton, cancelReason = tonumber(ARGV[a + 9]), tonumber(ARGV[a + 10]), ARGV[a + 11], ARGV[a + 12]
  local startNow = ARGV[a + 13] == "1"
  local count = tonumber(ARGV[a + 14])
  local fields = { unpack(ARGV, a + 15, a + 14 + count) }
  a = a + 15 + count

  local code, detail = 1, ""
  local status = redis.call("HGET", KEYS[k], "status")
  if status then
    code = (status == "cancelled" or not FINAL[status]) and 0 or 2
    startAt = tonumber(redis.call("HGET", KEYS[k], "scheduledFor")) or now
  elseif idempotencyTtl > 0 and not redis.call("SET", KEYS[k + 3], runId, "NX", "EX", idempotencyTtl) then
    code = -1
  elseif ratePeriod > 0 and not admit(KEYS[k + 4], rateLimit, ratePeriod, math.floor(rateLimit / 10)) then
    code = 3
    create(k, runId, member, fields, { "status", "skipped", "skipReason", "rate limited", "endedAt", now })
  elseif gate then
    code = 6
  else
    local holder = singleton ~= "" and activeHolder(KEYS[k + 6], runId) or nil
    if holder and singleton == "skip" then
      code, detail = 4, holder
      create(k, runId, member, fields, { "status", "skipped", "skipReason", "singleton: run " .. holder .. " is active", "endedAt", now })
    else
      local admitted = true
      if throttlePeriod > 0 then
        -- A run due later (a future event, a negative priority) starts at the later of the two.
        local slot
        slot, admitted = reserve(KEYS[k + 5], throttleLimit, throttlePeriod, throttleBurst, deadline)
        startAt = math.max(startAt, math.ceil(slot))
      end
      if not admitted then
        code = 5
        create(k, runId, member, fields, { "status", "cancelled", "endedAt", now, "cancelReason", "timeouts.start: its throttle slot is after its start deadline" })
      else
        local extra = startAt > now and { "scheduledFor", startAt } or {}
        if startNow then extra = { "status", "running", "startedAt", now } end
        create(k, runId, member, fields, extra)
        if singleton ~= "" then
          redis.call("SET", KEYS[k + 6], runId)
          if holder then
            redis.call("HSET", runPrefix .. holder, "status", "cancelled", "endedAt", now, "cancelReason", cancelReason)
            detail = holder
          end
        end
      end
    end
  end
  result[#result + 1] = { code, math.floor(startAt), detail }
end
return result
