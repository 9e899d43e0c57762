-- wrk prints p50/p75/p90/p99 with --latency; this prints the figures the benchmark reports.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT %d %d %.1f %.2f %.2f %.2f %d %d\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.timeout, summary.bytes))
end
