-- release.lua: compare-and-delete on the owner token, then hand the lock to (or wake) exactly one waiter.
-- Also used by a waiter that gives up (it leaves the queue; if a release had already handed it the lock,
-- it passes the lock on) and, with ARGV[4] = "1", by an operator's forced release.
-- KEYS[1] lock key, KEYS[2] fencing counter, KEYS[3] waiters sorted set
-- ARGV[1] owner token
-- ARGV[2] this caller's waiter member to remove; "" = none
-- ARGV[3] "1" = hand the lock to the oldest waiter (set its token with its lease, draw its fencing token,
--         publish "<token> <fencing token> <lock key>" on its channel); "0" = only publish "<token>" to
--         wake it
-- ARGV[4] "1" = force: delete whatever token holds the lock; "n" = a release of a lock without expiry (or of
--         one whose mode is not known); "0" = of a lock with expiry. Unless "0", a fencing counter left
--         without expiry by a lock without expiry gets its day of expiry (see next_fence) once the key is gone.
-- ARGV[5] fencing floor mode, as in acquire.lua
-- ARGV[6] optional: the caller's waiter member when this is the cleanup of a failed Redlock round of a wait
--         (if the wait ends with that round, its leave removes what this keeps). The caller queues here
--         (see queue) and keeps the share (returns 2) if no older waiter is queued; else the share goes
--         to the oldest waiter. Without this, each node would hand its share of a split vote to a different
--         waiter, and the split could repeat for many rounds.
-- ARGV[7] the caller's queue score (µs), with ARGV[6]
-- ARGV[8] how long (ms) the waiters set is kept after that registration, with ARGV[6]
-- ARGV[9] the longest time (ms) a kept share may stay until the caller's next round renews it, with
--         ARGV[6]: bounds what a waiter that dies between rounds leaves behind. The share is also kept
--         when every older entry turns out to be a waiter that is gone (no subscriber).
-- A waiter whose channel has no subscriber (its process is gone) is skipped. A PUBLISH that Redis refuses
-- (an ACL user without the channel) leaves the lock free and the waiter queued: the release still counts.
-- Returns 1 when this call deleted the lock key, 2 when the caller keeps it (ARGV[6]), 0 otherwise (not
-- held, or held by another token; a forced release of a free lock still hands it to the oldest waiter).
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

-- A counter left without expiry (by a lock without expiry, or a Redlock write-back for one) gets its day back
-- (see next_fence) where the lock key is gone: after a release, a forced release, or a grant undone below.
local function unpersist()
  if redis.call('PTTL', KEYS[2]) == -1 then redis.call('PEXPIRE', KEYS[2], '86400000') end
end

if ARGV[2] ~= '' then redis.call('ZREM', KEYS[3], ARGV[2]) end

local owner = redis.call('GET', KEYS[1])
if not owner then
  -- e.g. a node that took a write-back but never held this lock: its counter must not stay for ever
  if ARGV[4] ~= '0' then unpersist() end
  -- a forced release of a lock that already expired still hands it to the oldest waiter, who would
  -- otherwise wait for its own retry
  if ARGV[4] ~= '1' then return 0 end
end
if owner ~= ARGV[1] and ARGV[4] ~= '1' then
  return 0
end
local requeue = ARGV[6]
local keep_ttl = nil
if requeue and requeue ~= '' and owner == ARGV[1] then
  queue(requeue, ARGV[7], ARGV[8])
  local cap = tonumber(ARGV[9]) or 1000
  keep_ttl = redis.call('PTTL', KEYS[1])
  if keep_ttl < 0 or keep_ttl > cap then keep_ttl = cap end
  if keep_ttl < 1 then keep_ttl = 1 end
  if redis.call('ZRANGE', KEYS[3], 0, 0)[1] == requeue then
    redis.call('ZREM', KEYS[3], requeue)
    redis.call('PEXPIRE', KEYS[1], keep_ttl)
    return 2
  end
end
redis.call('DEL', KEYS[1])

-- puts back a popped waiter entry {member, score}; the set may have gone with its last entry: keep it a minute
local function requeue_refused(w)
  redis.call('ZADD', KEYS[3], w[2], w[1])
  if redis.call('PTTL', KEYS[3]) < 0 then redis.call('PEXPIRE', KEYS[3], 60000) end
end

local persisted = ARGV[4] ~= '0'
local handed = false
for _ = 1, 64 do
  local w = redis.call('ZPOPMIN', KEYS[3])
  if not w[1] then break end
  if keep_ttl and w[1] == requeue then
    -- every older entry was a waiter that is gone: the caller keeps its share after all
    redis.call('SET', KEYS[1], ARGV[1], 'PX', keep_ttl)
    if persisted then unpersist() end
    return 2
  end
  local channel, token, lease = string.match(w[1], '^(%S+) (%S+) (%d+)$')
  if channel then
    if ARGV[3] == '1' then
      if tonumber(lease) > 0 then
        redis.call('SET', KEYS[1], token, 'PX', lease)
      else
        redis.call('SET', KEYS[1], token)
      end
      local f = next_fence(tonumber(lease))
      local told = redis.pcall('PUBLISH', channel, token .. ' ' .. string.format('%.0f', f) .. ' ' .. KEYS[1])
      if type(told) ~= 'number' then
        -- refused (an ACL without this channel): the waiter cannot be told, nor known to be alive; leave the
        -- lock free and the waiter first in the queue (waits poll when they cannot subscribe either)
        redis.call('DEL', KEYS[1])
        if tonumber(lease) == 0 then persisted = true end
        requeue_refused(w)
        break
      end
      if told > 0 then
        handed = true
        break
      end
      redis.call('DEL', KEYS[1])
      if tonumber(lease) == 0 then persisted = true end
    else
      local told = redis.pcall('PUBLISH', channel, token)
      if type(told) ~= 'number' then
        requeue_refused(w) -- refused: keep its place, as above
        break
      end
      if told > 0 then break end
    end
  end
end
if persisted and not handed then unpersist() end
if not owner then return 0 end
return 1
