-- Re-registers random endpoints among the TOTAL that register.lua created (same address scheme):
-- the steady state of a registry whose instances come and go, with its services already known.
local token = os.getenv("WHARF_TOKEN")
local services = tonumber(os.getenv("SERVICES") or "100000")
local total = tonumber(os.getenv("TOTAL") or "1000000")

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
  body = '{"version":"v2","ttl":"1h"}'
  headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
end

function request()
  local n = math.random(0, total - 1)
  local s = n % services
  local e = math.floor(n / services)
  local ip = string.format("127.%d.%d.%d", math.floor(s / 65536) % 256, math.floor(s / 256) % 256, s % 256)
  return wrk.format("PUT", "/v1/namespaces/default/services/s" .. s .. "/endpoints/" .. ip .. "_" .. (8000 + e), headers, body)
end
