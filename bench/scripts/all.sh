#!/usr/bin/env bash
# Every scenario, one after the other, into one results file; then all the
# tables. BENCH_QUICK=1 for a short smoke run. The PostgreSQL rows come with
# the defaults: posts on both backends (app-x1-pg, app-x2-pg), and
# full-path-pg beside full-path in many_rooms.sh and fanout.sh.
set -euo pipefail
here=$(dirname "$0")
export BENCH_RESULTS=${BENCH_RESULTS:-$(mktemp /tmp/papo-bench-results-XXXXXX.txt)}
echo "results: $BENCH_RESULTS" >&2
# Packages and build once for every scenario below (bench/scripts/lib.sh).
if [[ ${PAPO_BENCH_SETUP:-1} == 1 ]]; then
  "$here/../../deploy/setup" --bench >&2
  export PAPO_BENCH_SETUP=0
fi
"$here/posts.sh" >/dev/null
"$here/many_rooms.sh" >/dev/null
"$here/idle.sh" >/dev/null
"$here/fanout.sh" >/dev/null
awk -f "$here/summarize.awk" "$BENCH_RESULTS"
