-- release.lua: compare-and-delete on the owner token, then wake exactly one waiter.
-- Also used by a waiter that gives up (its token is not the owner: it only leaves the queue and
-- passes on a reservation made for it) and, with ARGV[4] = "1", by an operator's forced release.
-- KEYS[1] lock key, KEYS[2] fencing counter (unused here, kept for a uniform key list),
-- KEYS[3] waiters sorted set, KEYS[4] hand-off reservation
-- ARGV[1] owner token
-- ARGV[2] this caller's waiter member to remove; "" = none
-- ARGV[3] hand-off reservation in ms for the woken waiter; "0" = wake without reserving
-- ARGV[4] "1" = force: delete whatever token holds the lock
-- Returns 1 when this call deleted the lock key, 0 otherwise (not held, or held by another token).
local function wake_next()
  local w = redis.call('ZPOPMIN', KEYS[3])
  if not w[1] then return end
  local sp = string.find(w[1], ' ', 1, true)
  if not sp then return end
  local token = string.sub(w[1], sp + 1)
  local reserve = tonumber(ARGV[3])
  if reserve > 0 then redis.call('SET', KEYS[4], token, 'PX', reserve) end
  redis.call('PUBLISH', string.sub(w[1], 1, sp - 1), token)
end

if ARGV[2] ~= '' then redis.call('ZREM', KEYS[3], ARGV[2]) end

local owner = redis.call('GET', KEYS[1])
if owner and (owner == ARGV[1] or ARGV[4] == '1') then
  redis.call('DEL', KEYS[1])
  redis.call('DEL', KEYS[4])
  wake_next()
  return 1
end

if (not owner) and redis.call('GET', KEYS[4]) == ARGV[1] then
  -- the lock was reserved for this caller, who is leaving: hand it to the next waiter
  redis.call('DEL', KEYS[4])
  wake_next()
end
return 0
