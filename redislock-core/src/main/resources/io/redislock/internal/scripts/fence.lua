-- fence.lua: raise a fencing counter to at least a given value (Redlock write-back).
-- KEYS[1] fencing counter
-- ARGV[1] the fencing token handed out
-- ARGV[2] the lease granted (ms); "0" = a lock without expiry
-- Returns the counter after the call (never lower than before). Either way the counter is kept as after a
-- grant (see next_fence in acquire.lua): this node is now one of a majority whose counters are at least
-- ARGV[1], and must not forget that before a day without grants has passed.
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
if lease > 0 then
  redis.call('PEXPIRE', KEYS[1], string.format('%.0f', math.max(86400000, lease)))
else
  redis.call('PERSIST', KEYS[1])
end
return have
