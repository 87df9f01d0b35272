# Turns the RESULT lines of bench/scripts/*.sh into markdown tables:
# the median of each figure over the repetitions, and ratios to Nchan (the
# row whose system is "nchan") measured in the same run.
#
# Input lines:
#   # scenario NAME description...
#   scenario=NAME system=SYS rep=N counted=g1,g2 key=value ...
# The server figures of a row add up the groups listed in `counted`.

function median(key,    n, i, j, t, v) {
  n = split(vals[key], v, " ")
  if (n == 0) return ""
  for (i = 2; i <= n; i++) {            # insertion sort: n is 3 or so
    t = v[i] + 0
    for (j = i - 1; j >= 1 && v[j] + 0 > t; j--) v[j + 1] = v[j]
    v[j + 1] = t
  }
  return n % 2 ? v[(n + 1) / 2] + 0 : (v[n / 2] + v[n / 2 + 1]) / 2
}

function add(row, name, value) { vals[row SUBSEP name] = vals[row SUBSEP name] " " value }
function m(row, name) { return median(row SUBSEP name) }
function ratio(a, b) { return (b > 0 && a != "") ? sprintf("%.2f", a / b) : "–" }
function fmt(x, f) { return x == "" ? "–" : sprintf(f, x) }

/^# scenario / {
  name = $3
  $1 = $2 = $3 = ""
  sub(/^ +/, "")
  describe[name] = $0
  if (!(name in seen_scenario)) { seen_scenario[name] = 1; scenarios[++nscenarios] = name }
  next
}

/^scenario=/ {
  delete f
  for (i = 1; i <= NF; i++) {
    eq = index($i, "=")
    f[substr($i, 1, eq - 1)] = substr($i, eq + 1)
  }
  s = f["scenario"]; row = s SUBSEP f["system"]
  if (!(s in seen_scenario)) { seen_scenario[s] = 1; scenarios[++nscenarios] = s }
  if (!(row in seen_row)) { seen_row[row] = 1; systems[s] = systems[s] " " f["system"] }
  cpu = 0; mem = 0; idle = 0; rss = 0
  ng = split(f["counted"], groups, ",")
  for (g = 1; g <= ng; g++) {
    cpu += f[groups[g] "_cpu_s"]
    mem += f[groups[g] "_bytes_per_sub"]
    idle += f[groups[g] "_hold_cpu_per_s"]
    rss += f[groups[g] "_rss_kb"] / 1024
  }
  received = f["received"] + 0
  if (received > 0) {
    counted_groups[row] = f["counted"]
    for (g = 1; g <= ng; g++) add(row, "us_" groups[g], f[groups[g] "_cpu_s"] * 1e6 / received)
  }
  add(row, "connected", f["connected"]); add(row, "subscribers", f["subscribers"])
  add(row, "expected", f["expected"]); add(row, "received", received)
  add(row, "lost", f["lost"]); add(row, "dup", f["duplicated"]); add(row, "ooo", f["out_of_order"])
  add(row, "mps", f["pub_per_s"]); add(row, "dps", f["deliveries_per_s"]); add(row, "p50", f["p50_ms"]); add(row, "p99", f["p99_ms"])
  add(row, "max", f["max_ms"])
  if (received > 0 && cpu > 0) { add(row, "per_cpu", received / cpu); add(row, "us", cpu * 1e6 / received) }
  if (received > 0) add(row, "lg_us", f["loadgen_cpu_s"] * 1e6 / received)
  add(row, "mem", mem); add(row, "idle", idle); add(row, "rss", rss)
  add(row, "redis_cpu", f["redis_cpu_s"] + 0)
  beats = f["comments"] - f["connected"]
  if (beats > 0 && f["hold_s"] > 0) add(row, "beat_us", idle * f["hold_s"] * 1e6 / beats)
  add(row, "accepted", f["accepted"]); add(row, "pub_failed", f["pub_failed"])
  add(row, "pps", f["pub_per_s"]); add(row, "pub_p50", f["pub_p50_ms"]); add(row, "pub_p99", f["pub_p99_ms"])
  add(row, "stored", f["stored"]); add(row, "connect_s", f["connect_s"])
  if (f["accepted"] > 0) {
    add(row, "req_us", cpu * 1e6 / f["accepted"])
    counted_groups[row] = f["counted"]
    for (g = 1; g <= ng; g++) add(row, "req_us_" groups[g], f[groups[g] "_cpu_s"] * 1e6 / f["accepted"])
  }
}

# When a scenario has both full-path and a full-path-pg row (PostgreSQL
# instead of SQLite, same run), the delivery table gets two more columns:
# p99 and server CPU per delivery of each full-path row against full-path's.
function delivery_table(s,    n, i, sys, row, ref, fp, with_fp) {
  ref = s SUBSEP "nchan"; fp = s SUBSEP "full-path"
  n = split(systems[s], list, " ")
  with_fp = 0
  for (i = 1; i <= n; i++) if (list[i] ~ /^full-path-pg/ && (fp in seen_row)) with_fp = 1
  printf "| system | subscribers | received / expected | lost | dup | out of order | published/s | deliveries/s | server µs/delivery | deliveries per server CPU-s | × Nchan | p50 ms | p99 ms | p99 × Nchan | loadgen µs/delivery | publish p99 ms | µs/delivery by process |%s\n",
    with_fp ? " p99 × full-path | server µs × full-path |" : ""
  print "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|" (with_fp ? "---|---|" : "")
  for (i = 1; i <= n; i++) {
    sys = list[i]; row = s SUBSEP sys
    printf "| %s | %d/%d | %d / %d | %d | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", sys,
      m(row, "connected"), m(row, "subscribers"), m(row, "received"), m(row, "expected"),
      m(row, "lost"), m(row, "dup"), m(row, "ooo"), fmt(m(row, "mps"), "%.0f"), fmt(m(row, "dps"), "%.0f"), fmt(m(row, "us"), "%.2f"),
      fmt(m(row, "per_cpu"), "%.0f"), ratio(m(row, "per_cpu"), m(ref, "per_cpu")),
      fmt(m(row, "p50"), "%.1f"), fmt(m(row, "p99"), "%.1f"), ratio(m(row, "p99"), m(ref, "p99")),
      fmt(m(row, "lg_us"), "%.2f"), fmt(m(row, "pub_p99"), "%.1f"), by_process(row, "us_")
    if (with_fp && sys ~ /^full-path/) printf " %s | %s |", ratio(m(row, "p99"), m(fp, "p99")), ratio(m(row, "us"), m(fp, "us"))
    else if (with_fp) printf " – | – |"
    printf "\n"
  }
}

# "nginx 5.01 + pusher 1.13": the median µs per delivery (prefix "us_") or
# per request ("req_us_") of each counted group.
function by_process(row, prefix,    n, g, out, parts) {
  n = split(counted_groups[row], parts, ",")
  out = ""
  for (g = 1; g <= n; g++) out = out (g > 1 ? " + " : "") parts[g] " " fmt(m(row, prefix parts[g]), "%.2f")
  return n > 1 ? out : "–"
}

function idle_table(s,    n, i, sys, row, ref) {
  ref = s SUBSEP "nchan"
  print "| system | connected | connect s | memory per subscriber B | × Nchan | server RSS MB | idle CPU % | µs per heartbeat |"
  print "|---|---|---|---|---|---|---|---|"
  n = split(systems[s], list, " ")
  for (i = 1; i <= n; i++) {
    sys = list[i]; row = s SUBSEP sys
    printf "| %s | %d/%d | %s | %s | %s | %s | %s | %s |\n", sys, m(row, "connected"), m(row, "subscribers"),
      fmt(m(row, "connect_s"), "%.1f"), fmt(m(row, "mem"), "%.0f"), ratio(m(row, "mem"), m(ref, "mem")),
      fmt(m(row, "rss"), "%.1f"), fmt(m(row, "idle") * 100, "%.2f"), fmt(m(row, "beat_us"), "%.2f")
  }
}

function posts_table(s,    n, i, sys, row) {
  print "| system | accepted | failed | stored | requests/s | p50 ms | p99 ms | server µs/request | µs/request by process |"
  print "|---|---|---|---|---|---|---|---|---|"
  n = split(systems[s], list, " ")
  for (i = 1; i <= n; i++) {
    sys = list[i]; row = s SUBSEP sys
    printf "| %s | %d | %d | %s | %s | %s | %s | %s | %s |\n", sys, m(row, "accepted"), m(row, "pub_failed"),
      fmt(m(row, "stored"), "%d"), fmt(m(row, "pps"), "%.0f"), fmt(m(row, "pub_p50"), "%.2f"),
      fmt(m(row, "pub_p99"), "%.2f"), fmt(m(row, "req_us"), "%.0f"), by_process(row, "req_us_")
  }
}

END {
  for (k = 1; k <= nscenarios; k++) {
    s = scenarios[k]
    if (systems[s] == "") continue
    printf "\n#### %s%s\n\n", s, (s in describe) ? " — " describe[s] : ""
    if (s ~ /^idle/) idle_table(s)
    else if (s ~ /^posts/) posts_table(s)
    else delivery_table(s)
  }
}
