-- wrk script for bench/run: hand-out-and-return pairs through the JSON API. Each thread
-- takes one line of a file of "SERIAL EMPLOYEE_NO" (`wrk -s pairs.lua URL -- PAIRS`) and
-- alternates POST /api/handouts {"device":SERIAL,"to":EMPLOYEE_NO} and POST /api/returns
-- {"device":SERIAL}, so the devices are in stock when the run starts and no two
-- connections share one.
--
-- Run it with as many threads as connections (-t 32 -c 32): wrk asks a thread for its next
-- request when any of its connections is free, so with two connections in a thread a
-- return could overtake the hand-out it undoes. With one, each request waits for the
-- answer to the one before. The turn changes when an answer comes, not when wrk asks for
-- a request: wrk asks the first thread for one extra request before the run, to check it.
--
-- At the end it prints the answers other than 2xx by status, and the first one's body.

local threads = {}

function setup(thread)
    thread:set("id", #threads)
    threads[#threads + 1] = thread
end

local handout, take_back, turn
failures = {}
first_failure = nil

function init(args)
    local file = assert(io.open(args[1], "r"), "cannot open the pairs file " .. tostring(args[1]))
    local line
    for _ = 0, id do
        line = file:read("*l")
    end
    file:close()
    assert(line, "the pairs file " .. args[1] .. " has fewer lines than wrk has threads")
    local serial, person = line:match("^(%S+) (%S+)$")
    assert(serial, "not a 'SERIAL EMPLOYEE_NO' line: " .. line)
    -- wrk.format takes these instead of wrk's own (the -H token), so they carry both.
    local headers = { ["Content-Type"] = "application/json" }
    for name, value in pairs(wrk.headers) do
        headers[name] = value
    end
    handout = wrk.format("POST", "/api/handouts", headers,
        string.format('{"device":"%s","to":"%s"}', serial, person))
    take_back = wrk.format("POST", "/api/returns", headers,
        string.format('{"device":"%s"}', serial))
    turn = handout
end

function request()
    return turn
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        local key = tostring(status)
        failures[key] = (failures[key] or 0) + 1
        first_failure = first_failure or (key .. " " .. body)
    end
    turn = (turn == handout) and take_back or handout
end

function done(summary, latency, requests)
    local counts, first = {}, nil
    for _, thread in ipairs(threads) do
        for status, n in pairs(thread:get("failures") or {}) do
            counts[status] = (counts[status] or 0) + n
        end
        first = first or thread:get("first_failure")
    end
    for status, n in pairs(counts) do
        io.write(string.format("failed answers: %s x %d\n", status, n))
    end
    if first then
        io.write("first failed answer: " .. first:gsub("%s+", " ") .. "\n")
    end
end
