-- extend.lua: compare-and-expire on the owner token; never prolongs another owner's lock.
-- KEYS[1] lock key
-- KEYS[2] fencing counter: kept at least as long as the lock ('list' finds held locks by their counters)
-- ARGV[1] owner token
-- ARGV[2] new lease in ms
-- Returns 1 when KEYS[1] holds ARGV[1] and its expiry was set, 0 otherwise.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[2], string.format('%.0f', math.max(86400000, tonumber(ARGV[2]))))
  return 1
end
return 0
