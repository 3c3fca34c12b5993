-- fence.lua: raise a fencing counter to at least a given value (Redlock write-back).
-- KEYS[1] fencing counter
-- KEYS[2] the lock key (optional; clients before it was added send only KEYS[1])
-- ARGV[1] the fencing token handed out
-- ARGV[2] the lease granted (ms); "0" = a lock without expiry
-- Returns the counter after the call (never lower than before). Either way the counter is kept as after a
-- grant (see next_fence in acquire.lua): this node is now one of a majority whose counters are at least
-- ARGV[1], and must not forget that before a day without grants has passed. It is kept at least as long as
-- the lock key on this node, and without expiry exactly when that key has none (a lock without expiry
-- held here): a write-back for a lock without expiry that reaches a node where the holder has no share
-- (the key absent, or another token's share that expires) gives the counter a day, as no release of that
-- lock would give it back one there.
local lease = tonumber(ARGV[2]) or 0
local want = tonumber(ARGV[1])
local raw = redis.call('GET', KEYS[1])
local have = tonumber(raw or '0')
if not have then
  return redis.error_reply('ERR fencing counter ' .. KEYS[1] .. ' is not a number: another program wrote it')
end
if have < want then
  redis.call('SET', KEYS[1], ARGV[1])
  have = want
end
local key_ttl = -2
if KEYS[2] then
  key_ttl = redis.call('PTTL', KEYS[2])
elseif lease == 0 then
  key_ttl = -1 -- an older client: as before, no expiry for a lock without expiry
end
if key_ttl == -1 then
  redis.call('PERSIST', KEYS[1])
else
  redis.call('PEXPIRE', KEYS[1], string.format('%.0f', math.max(86400000, lease, key_ttl)))
end
return have
