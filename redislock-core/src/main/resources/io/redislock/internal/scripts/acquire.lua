-- acquire.lua: grant the lock to one owner token, atomically with its fencing token.
-- KEYS[1] lock key: a plain string holding the owner token, with a PX expiry (none in no-expiry mode)
-- KEYS[2] fencing counter: kept a day after the last grant (see next_fence)
-- KEYS[3] waiters: sorted set, member "<wake channel> <token> <lease ms>", score = first registration (µs, see queue)
-- ARGV[1] owner token
-- ARGV[2] lease in ms; "0" = no expiry (SETNX mode, explicit opt-in)
-- ARGV[3] waiter member to register when the lock is taken; "" = do not register
-- ARGV[4] how long (ms) the waiters set is kept after this registration
-- ARGV[5] "1" = every fencing token is max(counter + 1, the server's TIME in µs) (single node); "0" = INCR,
--         floored at TIME only when the counter is missing (Redlock: the write-back keeps a majority's
--         counters monotonic)
-- ARGV[6] the waiter's queue score (µs) chosen by the client, the same on every node, so that all nodes
--         of a Redlock order their waiters alike (capped at the server's TIME); absent or "" = the
--         server's TIME (one node)
-- Returns {1, fencing token} when granted, also when KEYS[1] already holds ARGV[1] (a retried call, or
--         a grant made by a release to this waiter); {0, ttl ms of the lock (-1 = no expiry)} otherwise.
-- next_fence is the same text in acquire.lua and release.lua (a Redis script cannot call another);
-- ScriptsTest keeps the two copies identical
-- The counter is kept a day after the last grant, and at least as long as the lease granted ('list' finds
-- held locks by their counters); with the lease (ms) 0, a lock without expiry, it does not expire. A counter
-- drawn afresh is floored at the server's TIME in µs, a day later than every token handed out before it
-- expired, so tokens still increase unless the server's clock stepped back by a day.
local function next_fence(lease)
  local keep = nil
  if lease > 86400000 then keep = string.format('%.0f', lease) elseif lease > 0 then keep = '86400000' end
  if ARGV[5] == '1' then
    -- one node: max(counter + 1, server time in µs), written with one call (SET ... GET)
    local t = redis.call('TIME')
    local now = t[1] .. string.rep('0', 6 - #t[2]) .. t[2]
    local old
    if keep then
      old = redis.call('SET', KEYS[2], now, 'GET', 'PX', keep)
    else
      old = redis.call('SET', KEYS[2], now, 'GET')
    end
    old = tonumber(old or '0') or 0
    local f = tonumber(now)
    if old >= f then
      f = old + 1
      if keep then
        redis.call('SET', KEYS[2], string.format('%.0f', f), 'PX', keep)
      else
        redis.call('SET', KEYS[2], string.format('%.0f', f))
      end
    end
    return f
  end
  -- Redlock: INCR alone while the counter exists; floored at TIME in µs when it was lost
  local f = redis.call('INCR', KEYS[2])
  if f == 1 then
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
    if now > f then
      f = now
      if keep then
        redis.call('SET', KEYS[2], string.format('%.0f', f), 'PX', keep)
      else
        redis.call('SET', KEYS[2], string.format('%.0f', f))
      end
      return f
    end
  end
  if keep then redis.call('PEXPIRE', KEYS[2], keep) else redis.call('PERSIST', KEYS[2]) end
  return f
end

-- queue is the same text in acquire.lua and release.lua; ScriptsTest keeps the two copies identical.
-- Registers a waiter member in KEYS[3] (kept at least keep ms), scored in µs. One node (no own score): the
-- node's TIME, but after every waiter already queued, so waiters are served in the order they registered,
-- also when several register within one tick of the clock or the clock steps back (equal scores would
-- order them by member, i.e. by client, the same clients first every time). Redlock: a client's own score
-- orders the waiters alike on every node; it is never later than this node's time, so a client whose
-- clock runs ahead is not queued behind waiters that came after it.
local function queue(member, own, keep)
  local t = redis.call('TIME')
  local score = tonumber(t[1]) * 1000000 + tonumber(t[2])
  own = tonumber(own or '')
  if own then
    if own < score then score = own end
  else
    local last = tonumber(redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')[2] or '')
    if last and last >= score then score = last + 1 end
  end
  redis.call('ZADD', KEYS[3], 'NX', string.format('%.0f', score), member)
  keep = tonumber(keep) or 0
  if redis.call('PTTL', KEYS[3]) < keep then redis.call('PEXPIRE', KEYS[3], keep) end
end

local lease = tonumber(ARGV[2])
-- SET NX first: one call when the lock is free (the common case: a waiter is handed the lock by the
-- release instead of retrying, so a call that finds the lock taken is rarer)
local granted
if lease > 0 then
  granted = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
else
  granted = redis.call('SET', KEYS[1], ARGV[1], 'NX')
end
if granted then
  if ARGV[3] ~= '' then redis.call('ZREM', KEYS[3], ARGV[3]) end
  return {1, next_fence(lease)}
end

local owner = redis.call('GET', KEYS[1])
if owner == ARGV[1] then
  if lease > 0 then redis.call('PEXPIRE', KEYS[1], lease) end
  if ARGV[3] ~= '' then redis.call('ZREM', KEYS[3], ARGV[3]) end
  -- one node: the counter is still the token drawn when this owner was granted (no other grant since).
  -- Redlock: draw afresh, because a Redlock write-back may have raised this node's counter to another
  -- owner's token since this share was granted (e.g. a share handed over by a release, confirmed later)
  local f = nil
  if ARGV[5] == '1' then
    f = tonumber(redis.call('GET', KEYS[2]))
    -- the lock's expiry moved: the counter's too (it must not expire before the lock, see next_fence)
    if f and lease > 0 then
      redis.call('PEXPIRE', KEYS[2], string.format('%.0f', math.max(86400000, lease)))
    elseif f then
      redis.call('PERSIST', KEYS[2])
    end
  end
  if not f then f = next_fence(lease) end
  return {1, f}
end

if ARGV[3] ~= '' then queue(ARGV[3], ARGV[6], ARGV[4]) end
return {0, redis.call('PTTL', KEYS[1])}
