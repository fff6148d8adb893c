-- POST /sale through a fair intake or straight to the service; ORDER_KEYS keys (0: none) spread over the requests.
local keys = tonumber(os.getenv("ORDER_KEYS") or "0")
local n = 0
request = function()
  n = n + 1
  local headers = {["Content-Type"] = "application/json"}
  if keys > 0 then headers["Wharf-Order-Key"] = "item-" .. (n % keys) end
  return wrk.format("POST", "/sale", headers, "{}")
end
-- With STAGES=PREFIX, each thread writes the Server-Timing header of every answer to a file PREFIX.* of its own.
local stages = os.getenv("STAGES")
if stages and stages ~= "" then
  local out = nil
  response = function(status, headers, body)
    local timing = headers["Server-Timing"]
    if timing then
      if not out then
        out = io.open(stages .. "." .. tostring({}):gsub("table: ", ""), "w")
        out:setvbuf("line")
      end
      out:write(timing, "\n")
    end
  end
end
-- Prints one machine-readable line at the end of a wrk run: requests, errors and latency percentiles (µs).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f errors=%d non2xx=%d p50=%d p99=%d p999=%d\n",
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end
