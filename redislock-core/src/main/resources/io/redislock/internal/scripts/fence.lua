-- fence.lua: raise a fencing counter to at least a given value (Redlock write-back).
-- KEYS[1] fencing counter
-- ARGV[1] the fencing token handed out
-- Returns the counter after the call (never lower than before).
local want = tonumber(ARGV[1])
local have = tonumber(redis.call('GET', KEYS[1]) or '0')
if have < want then
  redis.call('SET', KEYS[1], ARGV[1])
  return want
end
return have
