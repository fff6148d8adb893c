-- etcd 3.4's JSON gateway, for bench/vs-etcd.sh. MODE (env):
--   load   puts the KEYS keys in order, round and round (-t1; stop it once etcd counts them all)
--   put    puts random keys among KEYS (LEASE=ID attaches each to that lease)
--   range  reads the keys of a random prefix /svc/sN/ (KEYS / PREFIXES keys each)
-- Key n is /svc/s<n % PREFIXES>/<n>; its value is the body Wharf's registrations carry.
local mode = os.getenv("MODE") or "put"
local keys = tonumber(os.getenv("KEYS") or "10000")
local prefixes = tonumber(os.getenv("PREFIXES") or "100")
local lease = os.getenv("LEASE")
local headers = { ["Content-Type"] = "application/json" }
local bodies = {}
local ranges = {}
local next_key = 0

local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
-- standard base64 (etcd's gateway takes keys and values so), three bytes to four characters at a time
local function b64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = {}
    for k = 3, 0, -1 do
      local v = math.floor(n / 64 ^ k) % 64
      chars[#chars + 1] = alphabet:sub(v + 1, v + 1)
    end
    if not b then chars[3], chars[4] = "=", "=" elseif not c then chars[4] = "=" end
    out[#out + 1] = table.concat(chars)
  end
  return table.concat(out)
end

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
  local value = b64('{"version":"v2","ttl":"1h"}')
  for n = 0, keys - 1 do
    local body = '{"key":"' .. b64("/svc/s" .. (n % prefixes) .. "/" .. n) .. '","value":"' .. value .. '"'
    if lease then body = body .. ',"lease":"' .. lease .. '"' end
    bodies[n] = body .. "}"
  end
  for p = 0, prefixes - 1 do
    ranges[p] = '{"key":"' .. b64("/svc/s" .. p .. "/") .. '","range_end":"' .. b64("/svc/s" .. p .. "0") .. '"}'
  end
end

function request()
  if mode == "range" then
    return wrk.format("POST", "/v3/kv/range", headers, ranges[math.random(0, prefixes - 1)])
  end
  local n
  if mode == "load" then
    n = next_key % keys
    next_key = next_key + 1
  else
    n = math.random(0, keys - 1)
  end
  return wrk.format("POST", "/v3/kv/put", headers, bodies[n])
end
