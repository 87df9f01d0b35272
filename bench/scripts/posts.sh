#!/usr/bin/env bash
# posts: POST /chat/enviar through nginx, no subscribers, as fast as
# POSTS_CONCURRENCY connections allow, with 1 and with POSTS_WORKERS
# papo-app processes; then checks that every accepted message is stored
# (rows in SQLite, with the sqlite3 command when installed).
#
#   POSTS_MESSAGES=20000  POSTS_CONCURRENCY=64  POSTS_WORKERS=4
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/papo_session.sh"
require_loadgen
[[ -x $APP_BIN ]] || bench_die "papo-app not built in $BENCH_BUILD"

messages=${POSTS_MESSAGES:-$([[ $BENCH_QUICK == 1 ]] && echo 3000 || echo 20000)}
concurrency=${POSTS_CONCURRENCY:-64}
several=${POSTS_WORKERS:-4}
scenario=posts
echo "# scenario $scenario $messages POST /chat/enviar over $concurrency connections, rooms 1-3, no subscribers" >>"$BENCH_RESULTS"

for rep in $(reps); do
  for workers in 1 "$several"; do
    start_redis
    start_apps "$workers"
    PUSHER_SOCKETS=""   # no subscribers: no pusher
    start_papo_nginx 2
    papo_register "$PAPO_PORT"
    run_case "$scenario" "app-x$workers" "$rep" nginx,app -- --messages "$messages" --rooms 1-3 \
      --publish papo --publish-target "127.0.0.1:$PAPO_PORT" --publish-concurrency "$concurrency" \
      --publish-header "Cookie: $PAPO_COOKIE" --publish-header "X-CSRF-Token: $PAPO_CSRF" \
      --settle-ms 0 --drain-timeout 10 \
      --server "nginx=$PAPO_NGINX_PID+" --server "app=$(join_pids "${APP_PIDS[@]}")" --server "redis=$REDIS_PID"
    if command -v sqlite3 >/dev/null; then
      stored=$(sqlite3 "$PAPO_DB" 'SELECT count(*) FROM chat_mensagem')
      sed -i "\$ s/\$/ stored=$stored/" "$BENCH_RESULTS"
    fi
    stop_all
  done
done
summarize
