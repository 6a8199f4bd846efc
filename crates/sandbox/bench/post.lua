-- POST /v1/customers with a small form body.
dofile(os.getenv("BENCH_DIR") .. "/bench-done.lua")
wrk.method = "POST"
wrk.body = "email=bench%40example.com&name=Bench+Customer&metadata[source]=wrk"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
