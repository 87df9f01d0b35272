#!/usr/bin/env bash
# fan-out: one room with 1,000 and with 10,000 subscribers, 1,000 messages at
# 100/s and at full speed, on every system (systems.sh), BENCH_REPS times
# each, interleaved; prints the median tables with ratios to Nchan.
#
#   FANOUT_SIZES="1000 10000"  FANOUT_RATES="100 0"  FANOUT_MESSAGES=1000
#   BENCH_SYSTEMS="nchan pusher-alone deployed full-path"
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/papo_session.sh"
source "$(dirname "$0")/systems.sh"
require_loadgen

sizes=${FANOUT_SIZES:-"1000 10000"}
rates=${FANOUT_RATES:-"100 0"}
messages=${FANOUT_MESSAGES:-$([[ $BENCH_QUICK == 1 ]] && echo 200 || echo 1000)}
systems=${BENCH_SYSTEMS:-$ALL_SYSTEMS}

for subs in $sizes; do
  for rate in $rates; do
    speed=$([[ $rate == 0 ]] && echo "full speed" || echo "$rate/s")
    scenario=fanout-$subs-$([[ $rate == 0 ]] && echo full || echo "$rate")
    echo "# scenario $scenario 1 room × $subs subscribers, $messages messages at $speed" >>"$BENCH_RESULTS"
    for rep in $(reps); do
      for system in $systems; do
        run_delivery_case "$scenario" "$system" "$rep" "$subs" 1 "$messages" "$rate"
      done
    done
  done
done
summarize
