-- Registers again endpoints among the TOTAL that register.lua created (same address scheme), with its
-- services already known. Two kinds, by CHANGE:
--   CHANGE unset: random endpoints, unchanged (version v1, as register.lua made them) — an owner registering
--     again instead of a heartbeat, which renews its lease;
--   CHANGE=1: every request a change: each wrk thread walks its own share of the endpoints in turn, giving
--     each a version it does not have yet (v2 on the first pass, v3 on the next, ...); PASS=N starts at
--     version v(2+N), for a run that follows another over the same endpoints.
local token = os.getenv("WHARF_TOKEN")
local services = tonumber(os.getenv("SERVICES") or "100000")
local total = tonumber(os.getenv("TOTAL") or "1000000")
local change = os.getenv("CHANGE") == "1"

local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
  headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  unchanged = '{"version":"v1","ttl":"1h"}'
  stride = tonumber(os.getenv("THREADS") or "2")
  k = 0
  pass = tonumber(os.getenv("PASS") or "0")
end

local function path(n)
  local s = n % services
  local e = math.floor(n / services)
  local ip = string.format("127.%d.%d.%d", math.floor(s / 65536) % 256, math.floor(s / 256) % 256, s % 256)
  return "/v1/namespaces/default/services/s" .. s .. "/endpoints/" .. ip .. "_" .. (8000 + e)
end

function request()
  if not change then
    return wrk.format("PUT", path(math.random(0, total - 1)), headers, unchanged)
  end
  local i = id + k * stride
  k = k + 1
  local n = i % total
  local version = 2 + pass + math.floor(i / total)
  return wrk.format("PUT", path(n), headers, '{"version":"v' .. version .. '","ttl":"1h"}')
end
