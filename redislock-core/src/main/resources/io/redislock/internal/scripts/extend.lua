-- extend.lua: compare-and-expire on the owner token; never prolongs another owner's lock.
-- KEYS[1] lock key
-- KEYS[2] fencing counter: kept at least as long as the lock ('list' finds held locks by their counters)
-- ARGV[1] owner token
-- ARGV[2] new lease in ms
-- ARGV[3] optional (one node): the lease's fencing token. On one node no grant can happen while the owner holds
--         the key, so a counter that moved past it means the key was lost and granted again in between
--         (Redis restarted from an older snapshot, or failed over to a replica that missed writes), even if
--         a release has since handed it back to this token. A missing counter proves nothing.
-- Returns 1 when KEYS[1] holds ARGV[1] and its expiry was set; 2 when it holds ARGV[1] but was granted again
-- since ARGV[3] (nothing is changed); 0 otherwise.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if ARGV[3] and ARGV[3] ~= '' then
    local c = tonumber(redis.call('GET', KEYS[2]) or '')
    if c and c > tonumber(ARGV[3]) then return 2 end
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('PEXPIRE', KEYS[2], string.format('%.0f', math.max(86400000, tonumber(ARGV[2]))))
  return 1
end
return 0
