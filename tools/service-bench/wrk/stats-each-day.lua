-- wrk script: GET /api/v1/stats for 2024 as of a different day on each request (730 days in
-- turn, more than the service keeps answers for), so that every answer is computed afresh.
-- Argument: the bearer token.
function init(args)
  sent = 0
  headers = { ["Authorization"] = "Bearer " .. args[1] }
end

function request()
  sent = sent + 1
  local day = os.date("!%Y-%m-%d", 1704067200 + (sent % 730) * 86400)  -- from 2024-01-01
  return wrk.format("GET", "/api/v1/stats?period=2024&by=both&asOf=" .. day, headers)
end

function response(status, headers, body)
  if status ~= 200 then io.stderr:write("answered " .. status .. "\n") end
end
