-- wrk script for benchmarks/http/run: counts every response's status over all threads and prints one JSON line
-- (requests/s, latency percentiles, socket errors, statuses). A run with any status outside 2xx is void.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counted = thread:get("statuses")
    for status, n in pairs(counted) do
      total[status] = (total[status] or 0) + n
    end
  end
  local parts, non2xx = {}, 0
  for status, n in pairs(total) do
    table.insert(parts, string.format('"%d":%d', status, n))
    if status < 200 or status > 299 then non2xx = non2xx + n end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"seconds":%.3f,"requests_per_second":%.1f,"latency_p50_ms":%.2f,"latency_p99_ms":%.2f,' ..
    '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"non_2xx":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.timeout, non2xx, table.concat(parts, ",")))
end
