-- wrk script for bench/run: GET paths read from a file, one a line (`wrk -s reads.lua URL --
-- PATHS`), so the requests spread over many rows instead of one that stays in every cache.
-- The file is shuffled already; each thread starts at its own place in it and walks on.
-- The bearer token comes with wrk's -H.

local threads = 0

function setup(thread)
    thread:set("start", threads)
    threads = threads + 1
end

local paths = {}
local next_path

function init(args)
    local file = assert(io.open(args[1], "r"), "cannot open the paths file " .. tostring(args[1]))
    for line in file:lines() do
        if line ~= "" then
            paths[#paths + 1] = line
        end
    end
    file:close()
    assert(#paths > 0, "the paths file " .. args[1] .. " is empty")
    -- Threads start far apart, so they do not read the same rows at the same moment.
    next_path = (start * 7919) % #paths + 1
end

function request()
    local path = paths[next_path]
    next_path = next_path % #paths + 1
    return wrk.format("GET", path)
end
