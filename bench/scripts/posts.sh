#!/usr/bin/env bash
# posts: POST /chat/enviar through nginx, no subscribers, as fast as
# POSTS_CONCURRENCY connections allow, on SQLite with 1 and POSTS_WORKERS
# papo-app processes (rows app-x1, app-x4) and on PostgreSQL with the
# numbers in POSTS_PG_WORKERS (rows app-x1-pg, app-x2-pg), interleaved in
# each repetition; then checks that every accepted message is stored (rows
# counted with sqlite3 when installed, with psql on PostgreSQL). Every
# commit is durable on both: SQLite synchronous=full, PostgreSQL fsync=on
# and synchronous_commit=on (lib.sh start_postgres). On PostgreSQL the
# server's CPU (postmaster and backends) counts with nginx and papo-app.
#
#   POSTS_MESSAGES=20000  POSTS_CONCURRENCY=64  POSTS_WORKERS=4
#   POSTS_PG_WORKERS="1 2"  POSTS_BACKENDS="sqlite postgres"
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/papo_session.sh"
require_loadgen
[[ -x $APP_BIN ]] || bench_die "papo-app not built in $BENCH_BUILD"

messages=${POSTS_MESSAGES:-$([[ $BENCH_QUICK == 1 ]] && echo 3000 || echo 20000)}
concurrency=${POSTS_CONCURRENCY:-64}
several=${POSTS_WORKERS:-4}
pg_workers=${POSTS_PG_WORKERS:-"1 2"}
backends=${POSTS_BACKENDS:-"sqlite postgres"}
scenario=posts
echo "# scenario $scenario $messages POST /chat/enviar over $concurrency connections, rooms 1-3, no subscribers" >>"$BENCH_RESULTS"

for rep in $(reps); do
  for backend in $backends; do
    case $backend in
      sqlite) counts="1 $several" suffix="" ;;
      postgres) counts=$pg_workers suffix="-pg" ;;
      *) bench_die "POSTS_BACKENDS: sqlite or postgres, not $backend" ;;
    esac
    for workers in $counts; do
      BENCH_DB=$backend
      start_redis
      start_apps "$workers"
      PUSHER_SOCKETS=""   # no subscribers: no pusher
      start_papo_nginx 2
      papo_register "$PAPO_PORT"
      run_case "$scenario" "app-x$workers$suffix" "$rep" "nginx,app$DB_COUNTED" -- --messages "$messages" --rooms 1-3 \
        --publish papo --publish-target "127.0.0.1:$PAPO_PORT" --publish-concurrency "$concurrency" \
        --publish-header "Cookie: $PAPO_COOKIE" --publish-header "X-CSRF-Token: $PAPO_CSRF" \
        --settle-ms 0 --drain-timeout 10 \
        --server "nginx=$PAPO_NGINX_PID+" --server "app=$(join_pids "${APP_PIDS[@]}")" "${DB_SERVER[@]}" \
        --server "redis=$REDIS_PID"
      stored=$(stored_messages)
      [[ -n $stored ]] && sed -i "\$ s/\$/ stored=$stored/" "$BENCH_RESULTS"
      stop_all
    done
  done
done
summarize
