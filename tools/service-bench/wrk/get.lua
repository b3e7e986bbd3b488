-- wrk script: GET with a bearer token. Arguments: the token, then the path.
function init(args)
  path = args[2]
  headers = { ["Authorization"] = "Bearer " .. args[1] }
end

function request()
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  if status ~= 200 then io.stderr:write("answered " .. status .. "\n") end
end
