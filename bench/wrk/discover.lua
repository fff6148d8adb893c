-- Queries the endpoints of random services among SERVICES (each holding TOTAL / SERVICES endpoints),
-- with the token in WHARF_TOKEN (a read of the registry needs one).
local token = os.getenv("WHARF_TOKEN")
local services = tonumber(os.getenv("SERVICES") or "100000")

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
  headers = { ["Authorization"] = "Bearer " .. token }
end

function request()
  return wrk.format("GET", "/v1/namespaces/default/services/s" .. math.random(0, services - 1) .. "/endpoints", headers)
end
