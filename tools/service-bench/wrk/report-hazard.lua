-- wrk script: every request appends one new hazard report through POST /api/v1/events.
-- Event and hazard ids are unique per wrk thread and request. Arguments: the bearer token; the
-- year of the hazards (default 2024), so that a second run on the same log reports new ones.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  sent = 0
  headers = { ["Authorization"] = "Bearer " .. args[1], ["Content-Type"] = "application/json" }
  year = args[2] or "2024"
end

function request()
  sent = sent + 1
  -- Hazard numbers are six digits: thread 1 from 400001, thread 2 from 800001 (up to 2 threads).
  local number = thread_number * 400000 + sent
  local body = string.format('{"eventId":"wrk-%s-%d","type":"HazardReported","occurredAt":"%s-03-05T09:30:00+08:00",'
    .. '"data":{"hazardId":"LX-%s-%06d","enterprise":{"creditCode":"91430682MA4L0C7A47","name":"临湘市桃林烟花爆竹有限公司"},'
    .. '"region":"桃林镇","industry":"烟花爆竹","criterionClause":"第三条","description":"成品仓库超量储存",'
    .. '"source":"departmentInspection","discoveredOn":"%s-03-05"}}', year, number, year, year, number, year)
  return wrk.format("POST", "/api/v1/events", headers, body)
end

function response(status, headers, body)
  if status ~= 200 then io.stderr:write("answered " .. status .. ": " .. body .. "\n") end
end
