#!/usr/bin/env bash
# idle: 50,000 subscribers that receive nothing but heartbeats (every
# CHAT_SSE_HEARTBEAT = 15 s, Nchan pings as comments at the same interval),
# held for IDLE_HOLD seconds: memory per connection and CPU spent idle.
# One process may hold 20,000 descriptors here, so every tier is spread:
# Nchan 4 nginx workers; pusher alone 3 pushers; deployed 8 nginx workers
# (two descriptors per stream) in front of 4 pushers.
# Both nginx listen with `reuseport`: without it connections spread
# unevenly over the workers, one reaches its 19,500 connections and the
# rest of the 50,000 fail (IDLE_REUSEPORT=0 shows it with papo's config).
#
#   IDLE_SUBSCRIBERS=50000  IDLE_ROOMS=100  IDLE_HOLD=35
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/papo_session.sh"
source "$(dirname "$0")/systems.sh"
require_loadgen

subs=${IDLE_SUBSCRIBERS:-$([[ $BENCH_QUICK == 1 ]] && echo 5000 || echo 50000)}
rooms=${IDLE_ROOMS:-100}
hold=${IDLE_HOLD:-$([[ $BENCH_QUICK == 1 ]] && echo 16 || echo 35)}
systems=${BENCH_SYSTEMS:-"nchan pusher-alone deployed"}
scenario=idle
echo "# scenario $scenario $subs subscribers over $rooms rooms, held $hold s (heartbeat 15 s)" >>"$BENCH_RESULTS"
common=(--subscribers "$subs" --processes $(((subs + 14999) / 15000)) --settle-ms 2000 --hold "$hold"
  --connect-timeout 300)

for rep in $(reps); do
  for system in $systems; do
    case $system in
      nchan)
        start_nchan 4
        run_case "$scenario" nchan "$rep" nginx -- "${common[@]}" --rooms "1-$rooms" \
          --target "127.0.0.1:$NCHAN_PORT" --path '/sub?id={room}' --server "nginx=$NCHAN_PID+"
        ;;
      pusher-alone)
        have_pusher || { bench_log "skip $system"; continue; }
        start_redis
        start_pushers 3 tcp
        targets=()
        for t in "${PUSHER_TARGETS[@]}"; do targets+=(--target "$t"); done
        run_case "$scenario" pusher-alone "$rep" pusher -- "${common[@]}" --rooms "1-$rooms" "${targets[@]}" \
          --path '/chat/stream?sala_id={room}' --header 'X-Papo-User-Id: {user}' \
          --header 'X-Papo-User-Name: Bench' --header 'X-Papo-Session-Expires: {expires}' \
          --header 'X-Papo-Sala-Privada: 0' --header "$PUSHER_SECRET_HEADER" --server "pusher=$(join_pids "${PUSHER_PIDS[@]}")" \
          --server "redis=$REDIS_PID"
        ;;
      deployed)
        have_papo || { bench_log "skip $system"; continue; }
        start_redis
        start_apps 1
        start_pushers 4 unix
        PAPO_BENCH_REUSEPORT=${IDLE_REUSEPORT:-1} start_papo_nginx 8
        papo_register "$PAPO_PORT"
        papo_rooms "$rooms"
        run_case "$scenario" deployed "$rep" nginx,pusher -- "${common[@]}" --rooms "$PAPO_ROOM_IDS" \
          --target "127.0.0.1:$PAPO_PORT" --path '/chat/stream?sala_id={room}' --header "Cookie: $PAPO_COOKIE" \
          --server "nginx=$PAPO_NGINX_PID+" --server "pusher=$(join_pids "${PUSHER_PIDS[@]}")" \
          --server "app=$(join_pids "${APP_PIDS[@]}")" --server "redis=$REDIS_PID"
        ;;
    esac
    stop_all
  done
done
summarize
