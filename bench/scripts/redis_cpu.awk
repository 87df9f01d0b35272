# Redis CPU per published message, median per scenario/system, from a
# results file (BENCH_RESULTS): awk -f bench/scripts/redis_cpu.awk FILE.
# The Redis group is every Redis process of the run (all nodes of a
# cluster), over the publish-and-deliver phase.
/label=/ {
  label=""; sent=0; cpu=-1
  for (i = 1; i <= NF; i++) {
    split($i, kv, "=")
    if (kv[1] == "label") label = kv[2]
    else if (kv[1] == "sent") sent = kv[2]
    else if (kv[1] == "redis_cpu_s") cpu = kv[2]
  }
  if (cpu < 0 || sent == 0) next
  sub(/\/[0-9]+$/, "", label)
  n[label]++; v[label, n[label]] = cpu * 1e6 / sent
}
END {
  for (l in n) {
    m = n[l]; for (i = 1; i <= m; i++) a[i] = v[l, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    printf "%-40s %8.1f us/message (median of %d)\n", l, a[int((m + 1) / 2)], m
  }
}
