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

/**
 * Every bucket hash carries this field (band fields are 6 bytes, so it never collides). Its value
 * is longer than `hash-max-listpack-value` (64 by default): Redis then makes the hash a hashtable
 * at once. A new hash would otherwise start as a listpack, where each insert scans the whole hash
 * (about 27,000 instructions a field up to 512 fields, against 3,000 in a hashtable).
 */
export const MARKER_FIELD = 'wiretrace'
export const MARKER_VALUE =
  'wiretrace/redis bucket hash; this value is longer than hash-max-listpack-value so that the hash is a hashtable'

/**
 * Posting calls share one argument layout (built by planPostings in codec.ts): ARGV[base] is the
 * number of values V, the next V arguments are the values (`\0id\0`, or `\0id1\0id2\0…` for a bucket
 * several documents of the call share), then per key of KEYS three arguments: its expiry (epoch
 * ms, or '0'), a MessagePack array of its 6-byte fields and one of the 1-based indexes of their
 * values (at most 3000 postings, so that HSET's field/value pairs fit on the Lua stack). A field
 * appears at most once per call. `cmsgpack.unpack` builds each table in one C call.
 */
const POSTINGS = `${OVERFLOW}
local sub, find, unpackmp = string.sub, string.find, cmsgpack.unpack
local MARKER_FIELD, MARKER_VALUE = '${MARKER_FIELD}', '${MARKER_VALUE}'
local function postings(base, fn)
  local at = base + tonumber(ARGV[base])
  local total = 0
  for h = 1, #KEYS do
    local fs = unpackmp(ARGV[at + 3 * h - 1])
    local vi = unpackmp(ARGV[at + 3 * h])
    fn(KEYS[h], ARGV[at + 3 * h - 2], fs, vi, #fs)
    total = total + #fs
  end
  return total
end
`

/**
 * Add postings (layout above, from ARGV[2]); ARGV[1] is the overflow limit in bytes. A field's
 * value lists the documents in that bucket, NUL-separated (`\0id\0id\0`). Idempotent: an id
 * already in a bucket is not added again. Most fields are new: one HMGET and one HSET per key.
 */
export const ADD_POSTINGS = `${POSTINGS}
local limit = tonumber(ARGV[1])
local function overflow(key, f, v, exp)
  local ok = okey(key, f)
  each_id(v, function(id) redis.call('SADD', ok, id) end)
  if exp ~= '0' then redis.call('PEXPIREAT', ok, exp) end
end
return postings(2, function(key, exp, fs, vi, m)
  local got = redis.call('HMGET', key, unpack(fs, 1, m))
  local args, c = {}, 0
  for i = 1, m do
    local old = got[i]
    local v = ARGV[2 + vi[i]]
    if old == '\\1' then
      overflow(key, fs[i], v, exp)
      v = nil
    elseif old then
      local merged = old
      if find(v, '\\0', 2, true) == #v then
        if not find(old, v, 1, true) then merged = old .. sub(v, 2) end
      else
        local p = 2
        while p <= #v do
          local q = find(v, '\\0', p, true)
          local tok = sub(v, p - 1, q)
          if not find(merged, tok, 1, true) then merged = merged .. sub(tok, 2) end
          p = q + 1
        end
      end
      if merged == old then v = nil else v = merged end
    end
    if v and #v > limit then
      overflow(key, fs[i], v, exp)
      v = '\\1'
    end
    if v then
      args[c + 1] = fs[i]
      args[c + 2] = v
      c = c + 2
    end
  end
  if c > 0 then redis.call('HSET', key, MARKER_FIELD, MARKER_VALUE, unpack(args, 1, c)) end
  if exp ~= '0' then redis.call('PEXPIREAT', key, exp) end
end)
`

/**
 * Remove ids from buckets (layout above, from ARGV[1]). An emptied bucket (or overflow set) is
 * deleted, and so is a hash left with its marker only.
 */
export const REMOVE_POSTINGS = `${POSTINGS}
local removed = 0
postings(1, function(key, exp, fs, vi, m)
  if redis.call('EXISTS', key) == 0 then return end
  local got = redis.call('HMGET', key, unpack(fs, 1, m))
  local sets, dels, c, d = {}, {}, 0, 0
  for i = 1, m do
    local old = got[i]
    local v = ARGV[1 + vi[i]]
    if old == '\\1' then
      local ok = okey(key, fs[i])
      each_id(v, function(id) removed = removed + redis.call('SREM', ok, id) end)
      if redis.call('SCARD', ok) == 0 then
        redis.call('DEL', ok)
        d = d + 1
        dels[d] = fs[i]
      end
    elseif old then
      local cur = old
      local p = 2
      while p <= #v do
        local q = find(v, '\\0', p, true)
        local tok = sub(v, p - 1, q)
        local a, b = find(cur, tok, 1, true)
        if a then
          cur = sub(cur, 1, a) .. sub(cur, b + 1)
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
  if d > 0 then
    redis.call('HDEL', key, unpack(dels, 1, d))
    if redis.call('HLEN', key) <= 1 then redis.call('DEL', key) end
  end
end)
return removed
`

/**
 * Look band keys up. ARGV[1] is the number of generations G; then one argument per group (a
 * MessagePack array of the 6-byte fields of one shard), whose bucket hashes are the next G keys of
 * KEYS. Returns, per group, per field, the values concatenated over the generations (overflowed
 * buckets read from their set), or false.
 */
export const QUERY_POSTINGS = `${OVERFLOW}
local ng = tonumber(ARGV[1])
local res = {}
for g = 1, #ARGV - 1 do
  local fs = cmsgpack.unpack(ARGV[g + 1])
  local m = #fs
  local out = {}
  for i = 1, m do out[i] = false end
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
 * Before postings are written, for each document (id, record, pxat) without a record, write its
 * record (the keys it is about to index, so that a crash leaves nothing unaccounted for, and its
 * payload: for a new document this is already the final record). Returns, per document, the
 * existing record and its commit score, or false and false.
 */
export const INTENT = RECORD_GROUPS(
  3,
  `
    local old = redis.call('GET', rkey)
    if old then
      out[#out + 1] = old
      out[#out + 1] = redis.call('ZSCORE', ckey, ARGV[a])
    else${SET_RECORD('a + 1', 'a + 2')}
      out[#out + 1] = false
      out[#out + 1] = false
    end`,
)

/** Replace records (id, record, pxat) with pending ones and take the ids out of the commit set. */
export const PENDING = RECORD_GROUPS(
  3,
  `${SET_RECORD('a + 1', 'a + 2')}
    redis.call('ZREM', ckey, ARGV[a])`,
)

/**
 * Commit documents (id, record, pxat, score): write the final record (unless it is '': the intent
 * wrote it already), then add the id to the commit set, scored by when it stops matching. Also
 * drops expired ids from the set (by the server's clock) and lets the set expire with its last
 * member.
 */
export const COMMIT = RECORD_GROUPS(
  4,
  `
    if ARGV[a + 1] ~= '' then
      if ARGV[a + 2] == '0' then redis.call('SET', rkey, ARGV[a + 1])
      else redis.call('SET', rkey, ARGV[a + 1], 'PXAT', ARGV[a + 2]) end
    end
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

/** Bind the namespace to a keying: KEYS[1] = `{ns}:index`; ARGV[1] = the description. Returns the one that holds. */
export const BIND = `
local held = redis.call('GET', KEYS[1])
if held then return held end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
`

export const SCRIPTS = {
  wtBind: { lua: BIND },
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
