-- wrk script: every request appends one new hazard report through POST /api/v1/events.
-- Event and hazard ids are unique per wrk thread and request. Argument: the bearer token.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  sent = 0
  headers = { ["Authorization"] = "Bearer " .. args[1], ["Content-Type"] = "application/json" }
end

function request()
  sent = sent + 1
  -- Hazard numbers are six digits: thread 1 from 400001, thread 2 from 800001 (up to 2 threads).
  local number = thread_number * 400000 + sent
  local body = string.format('{"eventId":"wrk-%d","type":"HazardReported","occurredAt":"2024-03-05T09:30:00+08:00",'
    .. '"data":{"hazardId":"LX-2024-%06d","enterprise":{"creditCode":"91430682MA4L0C7A47","name":"临湘市桃林烟花爆竹有限公司"},'
    .. '"region":"桃林镇","industry":"烟花爆竹","criterionClause":"第三条","description":"成品仓库超量储存",'
    .. '"source":"departmentInspection","discoveredOn":"2024-03-05"}}', number, number)
  return wrk.format("POST", "/api/v1/events", headers, body)
end

function response(status, headers, body)
  if status ~= 200 then io.stderr:write("answered " .. status .. ": " .. body .. "\n") end
end
