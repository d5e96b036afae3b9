// Lua scripts run by Redis. Every script works on "groups": a group is the keys of one hash tag
// `{ns:shard}` (one Cluster slot). In Redis Cluster a call carries one group, so it runs on one
// node and is atomic there; on a single server the store packs several groups into one call to
// save round trips. Scripts are loaded by ioredis (EVALSHA, then EVAL after a NOSCRIPT).
// Requires Redis 6.2 or newer (ZMSCORE, SET … PXAT).

/**
 * A bucket whose value grows past a limit moves to a set, `<bucket hash>:o:<field in hex>` (same
 * hash tag, so same slot), and its hash value becomes the one byte 0x01: appending to a long string
 * costs its length, so a hot bucket (a band thousands of documents share) would make adds quadratic.
 */
const OVERFLOW = `
local function okey(key, f)
  return key .. ':o:' .. (string.gsub(f, '.', function(c) return string.format('%02x', string.byte(c)) end))
end
local function each_id(v, fn)
  local p = 2
  while p <= #v do
    local q = string.find(v, '\\0', p, true)
    fn(string.sub(v, p, q - 1))
    p = q + 1
  end
end
`

/** Per-hash posting work, shared by the add and remove scripts: parses a posting blob (see PostingWriter). */
const PARSE_POSTINGS = `${OVERFLOW}
local function parse(blob)
  local pos, n, m = 1, #blob, 0
  local fs, vs = {}, {}
  while pos <= n do
    local a1, a2, a3, a4, c1, c2, c3, c4 = string.byte(blob, pos, pos + 7)
    local vl = a1 + a2 * 256 + a3 * 65536 + a4 * 16777216
    local cnt = c1 + c2 * 256 + c3 * 65536 + c4 * 16777216
    local v = string.sub(blob, pos + 8, pos + 7 + vl)
    pos = pos + 8 + vl
    for _ = 1, cnt do
      m = m + 1
      fs[m] = string.sub(blob, pos, pos + 5)
      vs[m] = v
      pos = pos + 6
    end
  end
  return fs, vs, m
end
`

/**
 * Add postings. ARGV[1] is the overflow limit in bytes; KEYS are bucket hashes (one shard's
 * generation each) and ARGV holds, per key, its expiry (epoch ms, or '0') and its posting blob.
 * A field's value lists the documents in that bucket, NUL-separated (`\0id\0id\0`). Idempotent: an id already in
 * a bucket is not added again.
 */
export const ADD_POSTINGS = `${PARSE_POSTINGS}
local limit = tonumber(ARGV[1])
local args = {}
local total = 0
for h = 1, #KEYS do
  local key = KEYS[h]
  local exp = ARGV[2 * h]
  local fs, vs, m = parse(ARGV[2 * h + 1])
  for s = 1, m, 3000 do
    local e = math.min(m, s + 2999)
    local got = redis.call('HMGET', key, unpack(fs, s, e))
    local c = 0
    for i = s, e do
      local old = got[i - s + 1]
      local v = vs[i]
      if old == '\\1' then
        local ok = okey(key, fs[i])
        each_id(v, function(id) redis.call('SADD', ok, id) end)
        if exp ~= '0' then redis.call('PEXPIREAT', ok, exp) end
        v = old
      else
        if old then
          local merged = old
          local p = 2
          while p <= #v do
            local q = string.find(v, '\\0', p, true)
            local tok = string.sub(v, p - 1, q)
            if not string.find(merged, tok, 1, true) then merged = merged .. string.sub(tok, 2) end
            p = q + 1
          end
          v = merged
        end
        if #v > limit then
          local ok = okey(key, fs[i])
          each_id(v, function(id) redis.call('SADD', ok, id) end)
          if exp ~= '0' then redis.call('PEXPIREAT', ok, exp) end
          v = '\\1'
        end
      end
      if v ~= old then
        c = c + 2
        args[c - 1] = fs[i]
        args[c] = v
      end
    end
    if c > 0 then redis.call('HSET', key, unpack(args, 1, c)) end
  end
  if m > 0 and exp ~= '0' then redis.call('PEXPIREAT', key, exp) end
  total = total + m
end
return total
`

/** Remove ids from buckets. KEYS are bucket hashes, ARGV their posting blobs. An emptied bucket (or overflow set) is deleted. */
export const REMOVE_POSTINGS = `${PARSE_POSTINGS}
local sets, dels = {}, {}
local removed = 0
for h = 1, #KEYS do
  local key = KEYS[h]
  if redis.call('EXISTS', key) == 1 then
    local fs, vs, m = parse(ARGV[h])
    for s = 1, m, 3000 do
      local e = math.min(m, s + 2999)
      local got = redis.call('HMGET', key, unpack(fs, s, e))
      local c, d = 0, 0
      for i = s, e do
        local old = got[i - s + 1]
        if old == '\\1' then
          local ok = okey(key, fs[i])
          each_id(vs[i], function(id) removed = removed + redis.call('SREM', ok, id) end)
          if redis.call('SCARD', ok) == 0 then
            redis.call('DEL', ok)
            d = d + 1
            dels[d] = fs[i]
          end
        elseif old then
          local cur = old
          local v = vs[i]
          local p = 2
          while p <= #v do
            local q = string.find(v, '\\0', p, true)
            local tok = string.sub(v, p - 1, q)
            local a, b = string.find(cur, tok, 1, true)
            if a then
              cur = string.sub(cur, 1, a) .. string.sub(cur, b + 1)
              removed = removed + 1
            end
            p = q + 1
          end
          if cur ~= old then
            if #cur <= 1 then
              d = d + 1
              dels[d] = fs[i]
            else
              c = c + 2
              sets[c - 1] = fs[i]
              sets[c] = cur
            end
          end
        end
      end
      if c > 0 then redis.call('HSET', key, unpack(sets, 1, c)) end
      if d > 0 then redis.call('HDEL', key, unpack(dels, 1, d)) end
    end
  end
end
return removed
`

/**
 * Look band keys up. ARGV[1] is the number of generations G; then one argument per group (the
 * concatenated 6-byte fields of one shard), whose bucket hashes are the next G keys of KEYS.
 * Returns, per group, per field, the values concatenated over the generations (overflowed
 * buckets read from their set), or false.
 */
export const QUERY_POSTINGS = `${OVERFLOW}
local ng = tonumber(ARGV[1])
local res = {}
for g = 1, #ARGV - 1 do
  local blob = ARGV[g + 1]
  local m = #blob / 6
  local fs, out = {}, {}
  for i = 1, m do
    fs[i] = string.sub(blob, i * 6 - 5, i * 6)
    out[i] = false
  end
  for k = (g - 1) * ng + 1, g * ng do
    if redis.call('EXISTS', KEYS[k]) == 1 then
      for s = 1, m, 3000 do
        local e = math.min(m, s + 2999)
        local got = redis.call('HMGET', KEYS[k], unpack(fs, s, e))
        for i = s, e do
          local v = got[i - s + 1]
          if v == '\\1' then
            v = '\\0' .. table.concat(redis.call('SMEMBERS', okey(KEYS[k], fs[i])), '\\0') .. '\\0'
          end
          if v then
            local o = out[i]
            if o then out[i] = o .. string.sub(v, 2) else out[i] = v end
          end
        end
      end
    end
  end
  res[g] = out
end
return res
`

/**
 * Record scripts take groups: KEYS = commit set, then the group's record keys; ARGV = the number
 * of documents n, then n tuples (their size depends on the script). This loops over the groups
 * and calls doc(commitKey, recordKey, firstArgIndex) per document, group(commitKey) per group.
 */
const RECORD_GROUPS = (stride: number, doc: string, group = '') => `
local out = {}
local ki, ai = 1, 1
while ai <= #ARGV do
  local n = tonumber(ARGV[ai])
  local ckey = KEYS[ki]
  ai = ai + 1
  ki = ki + 1
  for _ = 1, n do
    local rkey = KEYS[ki]
    local a = ai
${doc}
    ki = ki + 1
    ai = ai + ${stride}
  end
${group}
end
return out
`

const SET_RECORD = (blob: string, pxat: string) => `
    if ARGV[${pxat}] == '0' then redis.call('SET', rkey, ARGV[${blob}])
    else redis.call('SET', rkey, ARGV[${blob}], 'PXAT', ARGV[${pxat}]) end`

/**
 * Before postings are written, for each document (id, record, pxat) without a record, write the
 * pending record (the keys it is about to index: a crash then leaves nothing unaccounted for).
 * Returns, per document, the existing record or false, and its commit score or false.
 */
export const INTENT = RECORD_GROUPS(
  3,
  `
    local old = redis.call('GET', rkey)
    if old then
      out[#out + 1] = old
    else${SET_RECORD('a + 1', 'a + 2')}
      out[#out + 1] = false
    end
    out[#out + 1] = redis.call('ZSCORE', ckey, ARGV[a])`,
)

/** Replace records (id, record, pxat) with pending ones and take the ids out of the commit set. */
export const PENDING = RECORD_GROUPS(
  3,
  `${SET_RECORD('a + 1', 'a + 2')}
    redis.call('ZREM', ckey, ARGV[a])`,
)

/**
 * Commit documents (id, record, pxat, score): write the final record, then add the id to the
 * commit set, scored by when it stops matching. Also drops expired ids from the set (by the
 * server's clock) and lets the set expire with its last member.
 */
export const COMMIT = RECORD_GROUPS(
  4,
  `${SET_RECORD('a + 1', 'a + 2')}
    redis.call('ZADD', ckey, ARGV[a + 3], ARGV[a])`,
  `
  local t = redis.call('TIME')
  redis.call('ZREMRANGEBYSCORE', ckey, '-inf', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
  local top = redis.call('ZRANGE', ckey, -1, -1, 'WITHSCORES')
  if top[2] and top[2] ~= 'inf' then redis.call('PEXPIREAT', ckey, math.ceil(tonumber(top[2]))) end`,
)

/** Uncommit ids (id) and return their records, or false. */
export const TAKE = RECORD_GROUPS(
  1,
  `
    out[#out + 1] = redis.call('GET', rkey)
    redis.call('ZREM', ckey, ARGV[a])`,
)

/** Delete the records of ids (id) unless another writer committed them again meanwhile. */
export const DELETE = RECORD_GROUPS(
  1,
  `
    if not redis.call('ZSCORE', ckey, ARGV[a]) then redis.call('DEL', rkey) end`,
)

export const SCRIPTS = {
  wtAddPostings: { lua: ADD_POSTINGS },
  wtRemovePostings: { lua: REMOVE_POSTINGS },
  wtQueryPostings: { lua: QUERY_POSTINGS },
  wtIntent: { lua: INTENT },
  wtPending: { lua: PENDING },
  wtCommit: { lua: COMMIT },
  wtTake: { lua: TAKE },
  wtDelete: { lua: DELETE },
} as const

export type ScriptName = keyof typeof SCRIPTS
