-- Registers distinct endpoints, one per request, spread over SERVICES services, until stopped.
-- Endpoint n: service s<n % SERVICES>, address 127.<a>.<b>.<c>_<8000 + n / SERVICES>.
-- THREADS must equal wrk's -t so that the threads' sequences do not overlap.
local token = os.getenv("WHARF_TOKEN")
local services = tonumber(os.getenv("SERVICES") or "100000")
local nthreads = 0

function setup(thread)
  thread:set("tid", nthreads)
  thread:set("stride", tonumber(os.getenv("THREADS") or "2"))
  nthreads = nthreads + 1
end

function init(args)
  count = 0
  body = '{"version":"v1","ttl":"1h"}'
  headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
end

function request()
  local n = count * stride + tid
  count = count + 1
  local s = n % services
  local e = math.floor(n / services)
  local ip = string.format("127.%d.%d.%d", math.floor(s / 65536) % 256, math.floor(s / 256) % 256, s % 256)
  return wrk.format("PUT", "/v1/namespaces/default/services/s" .. s .. "/endpoints/" .. ip .. "_" .. (8000 + e), headers, body)
end
