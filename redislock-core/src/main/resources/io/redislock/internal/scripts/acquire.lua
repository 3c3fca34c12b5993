-- acquire.lua: grant the lock to one owner token, atomically with its fencing token.
-- KEYS[1] lock key: a plain string holding the owner token, with a PX expiry (none in no-expiry mode)
-- KEYS[2] fencing counter: never expires
-- KEYS[3] waiters: sorted set, member "<wake channel> <token> <lease ms>", score = first registration (ms)
-- ARGV[1] owner token
-- ARGV[2] lease in ms; "0" = no expiry (SETNX mode, explicit opt-in)
-- ARGV[3] waiter member to register when the lock is taken; "" = do not register
-- ARGV[4] how long (ms) the waiters set is kept after this registration
-- ARGV[5] "1" = floor every fencing token at the server's TIME in µs (single node); "0" = only when
--         the counter is missing (Redlock: the write-back keeps a majority's counters monotonic)
-- ARGV[6] the waiter's queue score (ms) chosen by the client, the same on every node, so that all nodes
--         of a Redlock order their waiters alike; absent or "" = the server's TIME (one node)
-- Returns {1, fencing token} when granted, also when KEYS[1] already holds ARGV[1] (a retried call, or
--         a grant made by a release to this waiter); {0, ttl ms of the lock (-1 = no expiry)} otherwise.
local function next_fence()
  -- INCR alone when the counter exists (Redlock); floored at TIME in µs on one node, or when it was lost
  local f = redis.call('INCR', KEYS[2])
  if f == 1 or ARGV[5] == '1' then
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
    if now > f then
      f = now
      redis.call('SET', KEYS[2], string.format('%.0f', f))
    end
  end
  return f
end

local lease = tonumber(ARGV[2])
-- GET first rather than SET NX: under contention most calls find the lock taken, and a SET NX that fails
-- would cost one call more there (measured: no difference when the lock is free)
local owner = redis.call('GET', KEYS[1])

if owner == ARGV[1] then
  if lease > 0 then redis.call('PEXPIRE', KEYS[1], lease) end
  if ARGV[3] ~= '' then redis.call('ZREM', KEYS[3], ARGV[3]) end
  local f = tonumber(redis.call('GET', KEYS[2]))
  if not f then f = next_fence() end
  return {1, f}
end

if not owner then
  if lease > 0 then
    redis.call('SET', KEYS[1], ARGV[1], 'PX', lease)
  else
    redis.call('SET', KEYS[1], ARGV[1])
  end
  if ARGV[3] ~= '' then redis.call('ZREM', KEYS[3], ARGV[3]) end
  return {1, next_fence()}
end

if ARGV[3] ~= '' then
  local score = tonumber(ARGV[6] or '')
  if not score then
    local t = redis.call('TIME')
    score = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  end
  redis.call('ZADD', KEYS[3], 'NX', score, ARGV[3])
  local keep = tonumber(ARGV[4])
  if redis.call('PTTL', KEYS[3]) < keep then redis.call('PEXPIRE', KEYS[3], keep) end
end
return {0, redis.call('PTTL', KEYS[1])}
