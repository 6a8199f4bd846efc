-- wrk's done() for get.lua and post.lua: the run's figures as one line
-- "BENCH <$BENCH_ID> rps=… p50=… p75=… p90=… p99=… max=… unit=ms requests=…
-- errors=… non2xx=…" that `make bench` collects (tests/bench/report.py).
function done(summary, latency, requests)
  local e = summary.errors
  local ms = function(us) return string.format("%.3f", us / 1000) end
  io.write(string.format(
    "BENCH %s rps=%.0f p50=%s p75=%s p90=%s p99=%s max=%s mean=%s unit=ms requests=%d errors=%d non2xx=%d\n",
    os.getenv("BENCH_ID") or "wrk", summary.requests / (summary.duration / 1e6),
    ms(latency:percentile(50)), ms(latency:percentile(75)), ms(latency:percentile(90)),
    ms(latency:percentile(99)), ms(latency.max), ms(latency.mean), summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status))
end
