#!/usr/bin/env bash
# many rooms: 1,000 rooms × 10 subscribers, 5,000 messages spread over them
# (5 per room) at full speed, on every system; median tables, ratios to Nchan.
#
#   MANY_ROOMS=1000  MANY_ROOMS_SUBSCRIBERS=10  MANY_ROOMS_MESSAGES=5000  MANY_ROOMS_RATE=0
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/papo_session.sh"
source "$(dirname "$0")/systems.sh"
require_loadgen

rooms=${MANY_ROOMS:-$([[ $BENCH_QUICK == 1 ]] && echo 200 || echo 1000)}
per_room=${MANY_ROOMS_SUBSCRIBERS:-10}
messages=${MANY_ROOMS_MESSAGES:-$((rooms * 5))}
rate=${MANY_ROOMS_RATE:-0}
systems=${BENCH_SYSTEMS:-$ALL_SYSTEMS}
scenario=many-rooms
speed=$([[ $rate == 0 ]] && echo "full speed" || echo "$rate/s")
echo "# scenario $scenario $rooms rooms × $per_room subscribers, $messages messages across them at $speed" >>"$BENCH_RESULTS"
for rep in $(reps); do
  for system in $systems; do
    run_delivery_case "$scenario" "$system" "$rep" $((rooms * per_room)) "$rooms" "$messages" "$rate"
  done
done
summarize
