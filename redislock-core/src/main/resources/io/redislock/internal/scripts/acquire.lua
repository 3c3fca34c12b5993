-- acquire.lua: grant the lock to one owner token, atomically with its fencing token.
-- KEYS[1] lock key: a plain string holding the owner token, with a PX expiry (none in no-expiry mode)
-- KEYS[2] fencing counter: never expires; floored at the server's TIME in microseconds
-- KEYS[3] waiters: sorted set, member "<wake channel> <token>", score = first registration (ms)
-- KEYS[4] hand-off reservation: token of the waiter a just-released lock is reserved for (short PX)
-- ARGV[1] owner token
-- ARGV[2] lease in ms; "0" = no expiry (SETNX mode, explicit opt-in)
-- ARGV[3] waiter member to register when the lock is not free; "" = do not register
-- ARGV[4] how long (ms) the waiters set is kept after this registration
-- Returns {1, fencing token} when granted, also when KEYS[1] already holds ARGV[1] (a retried call);
--         {0, ttl ms of whatever blocks the caller (-1 = no expiry)} otherwise.
local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end

local function next_fence()
  local f = redis.call('INCR', KEYS[2])
  local floor = now_us()
  if f < floor then
    redis.call('SET', KEYS[2], string.format('%.0f', floor))
    f = floor
  end
  return f
end

local lease = tonumber(ARGV[2])
local owner = redis.call('GET', KEYS[1])

if owner == ARGV[1] then
  if lease > 0 then redis.call('PEXPIRE', KEYS[1], lease) end
  local f = tonumber(redis.call('GET', KEYS[2]))
  if not f then f = next_fence() end
  return {1, f}
end

local blocker = KEYS[1]
if not owner then
  local reserved = redis.call('GET', KEYS[4])
  if (not reserved) or reserved == ARGV[1] then
    if lease > 0 then
      redis.call('SET', KEYS[1], ARGV[1], 'PX', lease)
    else
      redis.call('SET', KEYS[1], ARGV[1])
    end
    if reserved then redis.call('DEL', KEYS[4]) end
    if ARGV[3] ~= '' then redis.call('ZREM', KEYS[3], ARGV[3]) end
    return {1, next_fence()}
  end
  blocker = KEYS[4]
end

if ARGV[3] ~= '' then
  local t = redis.call('TIME')
  redis.call('ZADD', KEYS[3], 'NX', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[3])
  local keep = tonumber(ARGV[4])
  if redis.call('PTTL', KEYS[3]) < keep then redis.call('PEXPIRE', KEYS[3], keep) end
end
return {0, redis.call('PTTL', blocker)}
