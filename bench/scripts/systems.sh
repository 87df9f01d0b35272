# The systems a delivery scenario compares, each started fresh for one run
# and stopped after it. Source after lib.sh and papo_session.sh.
#
#   nchan         NGINX + Nchan, one worker, memory store; publish: POST /pub
#   pusher-alone  papo-pusher only: subscribers connect straight to it (TCP)
#                 with the headers nginx would add; publish: straight to Redis
#   deployed      nginx (the project's config) -> papo-pusher over unix
#                 sockets, sessions checked by papo-app; publish: Redis
#   full-path     as deployed, but messages are POSTed to /chat/enviar
#                 through nginx -> papo-app -> SQLite -> Redis -> pusher
#   full-path-pg  full-path with papo-app's PAPO_DB on PostgreSQL 15 (a new
#                 database on the run's private server: lib.sh start_postgres)
#
# "Server CPU" (counted) is nginx for Nchan, the pusher alone, nginx +
# pusher deployed, nginx + pusher + papo-app on the full path (SQLite runs
# inside papo-app), and nginx + pusher + papo-app + PostgreSQL (postmaster
# and its backends) on full-path-pg; Redis is measured too and shown apart.
#
# Variants: SYSTEM@NAME runs SYSTEM with the settings listed (space
# separated VAR=value) in $BENCH_VARIANT_NAME exported for that run only,
# e.g. BENCH_SYSTEMS="nchan pusher-alone pusher-alone@off"
# BENCH_VARIANT_off="PAPO_PUSHER_COALESCE_MS=0": before and after in the same
# run, interleaved. Besides the servers' own variables:
#   PAPO_BENCH_PUSHERS=N        pusher processes (pusher-alone: subscribers
#                               spread over them round robin; default 1)
#   PAPO_BENCH_NGINX_WORKERS=N  papo's nginx workers (default papo_nginx_workers)

ALL_SYSTEMS="nchan pusher-alone deployed full-path full-path-pg"

# Subscriber processes of the load generator: two once there are enough
# subscribers to keep one busy (the machine has two cores).
loadgen_processes() { (($1 >= 5000)) && echo 2 || echo 1; }

# papo's nginx needs two descriptors per stream, 19,500 per worker, and
# connections do not spread evenly over workers: one worker per 4,000
# streams, at least two.
papo_nginx_workers() { local w=$((($1 + 3999) / 4000)); echo $((w > 2 ? w : 2)); }

# The room ids of a papo stack: 1 (seeded) for one room, else new rooms.
papo_rooms() {
  local rooms=$1
  if ((rooms == 1)); then
    PAPO_ROOM_IDS=1
  else
    papo_create_rooms "$PAPO_PORT" "$rooms"
  fi
}

# run_delivery_case SCENARIO SYSTEM[@VARIANT] REP SUBSCRIBERS ROOMS MESSAGES RATE
run_delivery_case() {
  local scenario=$1 label=$2 rep=$3 subs=$4 rooms=$5 messages=$6 rate=$7
  local system=${label%%@*} settings=() setting
  if [[ $label == *@* ]]; then
    local variable=BENCH_VARIANT_${label#*@}
    [[ -n ${!variable:-} ]] || bench_die "$label: $variable is not set"
    read -ra settings <<<"${!variable}"
    for setting in "${settings[@]}"; do export "${setting?}"; done
  fi
  server_bins
  VARIANT_SETTINGS=("${settings[@]}")
  # At a fixed rate a few publishes may be in flight, so that a slow answer
  # does not hold the next message back; at full speed one at a time: the
  # server's own pace.
  local common=(--subscribers "$subs" --messages "$messages" --rate "$rate"
    --publish-concurrency "$( ((rate > 0)) && echo 4 || echo 1)"
    --processes "$(loadgen_processes "$subs")" --settle-ms 1000 --drain-timeout 15)
  case $system in
    nchan)
      start_nchan 1
      run_case "$scenario" "$label" "$rep" nginx -- "${common[@]}" --rooms "1-$rooms" \
        --target "127.0.0.1:$NCHAN_PORT" --path '/sub?id={room}' \
        --publish nchan --publish-target "127.0.0.1:$NCHAN_PORT" --server "nginx=$NCHAN_PID+"
      ;;
    pusher-alone)
      have_pusher || { bench_log "skip $system: $PUSHER_BIN not built"; unset_variant; return 0; }
      start_redis
      start_pushers "${PAPO_BENCH_PUSHERS:-1}" tcp
      local targets=() target
      for target in "${PUSHER_TARGETS[@]}"; do targets+=(--target "$target"); done
      # The subscribers are user 2, the messages' author user 1: every
      # message reaches someone other than its author, so the pusher makes
      # its delivery report (issue 16) for each one, as in a real room.
      run_case "$scenario" "$label" "$rep" pusher -- "${common[@]}" --rooms "1-$rooms" \
        "${targets[@]}" --path '/chat/stream?sala_id={room}' \
        --header "X-Papo-User-Id: ${PAPO_BENCH_SUBSCRIBER_USER:-2}" --header 'X-Papo-User-Name: Bench' \
        --header 'X-Papo-Session-Expires: {expires}' --header 'X-Papo-Sala-Privada: 0' --header "$PUSHER_SECRET_HEADER" \
        --publish "$REDIS_PUBLISH" --publish-target "127.0.0.1:$REDIS_PORT" --cache-size "$CHAT_CACHE_SIZE" \
        --server "pusher=$(join_pids "${PUSHER_PIDS[@]}")" --server "redis=$REDIS_PID"
      ;;
    deployed | full-path | full-path-pg)
      have_papo || { bench_log "skip $system: papo-pusher or papo-app not built"; unset_variant; return 0; }
      local BENCH_DB=${BENCH_DB:-sqlite}
      [[ $system == full-path-pg ]] && BENCH_DB=postgres
      start_redis
      start_apps 1
      start_pushers "${PAPO_BENCH_PUSHERS:-1}" unix
      start_papo_nginx "${PAPO_BENCH_NGINX_WORKERS:-$(papo_nginx_workers "$subs")}"
      papo_register "$PAPO_PORT"
      papo_rooms "$rooms"
      local publish=(--publish "$REDIS_PUBLISH" --publish-target "127.0.0.1:$REDIS_PORT" --cache-size "$CHAT_CACHE_SIZE")
      local counted=nginx,pusher
      if [[ $system == full-path* ]]; then
        publish=(--publish papo --publish-target "127.0.0.1:$PAPO_PORT"
          --publish-header "Cookie: $PAPO_COOKIE" --publish-header "X-CSRF-Token: $PAPO_CSRF")
        counted=nginx,pusher,app$DB_COUNTED
      fi
      run_case "$scenario" "$label" "$rep" "$counted" -- "${common[@]}" --rooms "$PAPO_ROOM_IDS" \
        --target "127.0.0.1:$PAPO_PORT" --path '/chat/stream?sala_id={room}' \
        --header "Cookie: $PAPO_COOKIE" "${publish[@]}" \
        --server "nginx=$PAPO_NGINX_PID+" --server "pusher=$(join_pids "${PUSHER_PIDS[@]}")" \
        --server "app=$(join_pids "${APP_PIDS[@]}")" "${DB_SERVER[@]}" --server "redis=$REDIS_PID"
      ;;
    *) bench_die "unknown system $system" ;;
  esac
  stop_all
  unset_variant
}

VARIANT_SETTINGS=()
unset_variant() {
  local setting
  for setting in "${VARIANT_SETTINGS[@]}"; do unset "${setting%%=*}"; done
  VARIANT_SETTINGS=()
  server_bins
}
