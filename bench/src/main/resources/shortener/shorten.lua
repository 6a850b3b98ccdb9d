-- POST /api/v1/shorten with a distinct long URL per request, as the bench's premium key.
local counter = 0
local thread_id = tostring(math.random(1, 1000000))

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = "bench-key-0123456789abcdef"

function request()
  counter = counter + 1
  local body = '{"long_url":"https://example.com/wrk/' .. thread_id .. '/' .. counter .. '"}'
  return wrk.format(nil, "/api/v1/shorten", nil, body)
end
