-- GET /v1/customers/{id} over ids read from $IDS_FILE (one per line), at random.
dofile(os.getenv("BENCH_DIR") .. "/bench-done.lua")
local ids = {}
function init(args)
  for line in io.lines(os.getenv("IDS_FILE")) do
    ids[#ids + 1] = line
  end
end
function request()
  return wrk.format("GET", "/v1/customers/" .. ids[math.random(#ids)])
end
