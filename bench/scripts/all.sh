#!/usr/bin/env bash
# Every scenario, one after the other, into one results file; then all the
# tables. BENCH_QUICK=1 for a short smoke run.
set -euo pipefail
here=$(dirname "$0")
export BENCH_RESULTS=${BENCH_RESULTS:-$(mktemp /tmp/papo-bench-results-XXXXXX.txt)}
echo "results: $BENCH_RESULTS" >&2
"$here/posts.sh" >/dev/null
"$here/many_rooms.sh" >/dev/null
"$here/idle.sh" >/dev/null
"$here/fanout.sh" >/dev/null
awk -f "$here/summarize.awk" "$BENCH_RESULTS"
