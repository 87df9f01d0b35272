#!/usr/bin/env bash
# search: GET /chat/buscar's query at the repository level (issue 17,
# DESIGN §9). papo-search-bench bulk-loads SEARCH_MESSAGES messages
# (1,000,000) into 1,000 rooms (900 public, 100 private) of a fresh database
# migrated by papo (so the index is papo's: FTS5 on SQLite, tsvector + GIN
# on PostgreSQL), Zipf-distributed Portuguese-like words with accented ones;
# the reader sees the public rooms and 10 of the private ones. Then each
# query runs SEARCH_REPS times as that reader (SearchRepository::Search,
# a page of 20 + 1) and the table gives p50/p99 per query. "sigiloso" is
# frequent only in private rooms the reader is not in (no visible match);
# queries are typed without accents.
#
# With SEARCH_HTTP_REPS > 0 (default 100) the SQLite database is then served
# by one papo-app behind nginx, a new account joins the reader's 10 private
# rooms, and GET /chat/buscar (Accept: application/json, the whole answer:
# session, search, the 20 message objects, snippets) is timed with curl's
# time_total, one connection per request.
#
#   SEARCH_MESSAGES=1000000  SEARCH_REPS=200  SEARCH_BACKENDS="sqlite postgres"
#   SEARCH_HTTP_REPS=100
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/papo_session.sh"
SEARCH_BIN=$BENCH_BUILD/bench/papo-search-bench
[[ -x $SEARCH_BIN ]] || bench_die "papo-search-bench not built in $BENCH_BUILD (cmake --build … --target papo-search-bench)"

messages=${SEARCH_MESSAGES:-$([[ $BENCH_QUICK == 1 ]] && echo 100000 || echo 1000000)}
reps=${SEARCH_REPS:-200}
backends=${SEARCH_BACKENDS:-"sqlite postgres"}
queries=(nao acao reuniao orcamento pessego quica xilogravura "acao reuniao" "reuniao orcamento"
  "orcamento quica" "nao acao" sigiloso "sigiloso acao" palavrainexistente)

http_reps=${SEARCH_HTTP_REPS:-100}

# search_http DB: the HTTP timings of the queries over DB (SQLite).
search_http() {
  local db=$1 query times
  start_redis
  papo_env
  PAPO_DB=$db PAPO_FCGI_LISTEN=$BENCH_DIR/app-search.sock "$APP_BIN" >>"$BENCH_DIR/app-search.log" 2>&1 &
  BENCH_STARTED+=($!)
  wait_socket "$BENCH_DIR/app-search.sock" papo-app
  APP_SOCKETS=" $BENCH_DIR/app-search.sock" PUSHER_SOCKETS=""
  start_papo_nginx 1
  papo_register "$PAPO_PORT"
  sqlite3 "$db" "PRAGMA busy_timeout=5000; INSERT INTO sala_membro (sala_id, usuario_id) SELECT id, (SELECT MAX(id) FROM usuario)
    FROM sala WHERE privada = 1 ORDER BY id LIMIT 10" >/dev/null || bench_die "sala_membro"
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/json' -H "Cookie: $PAPO_COOKIE" \
    "http://127.0.0.1:$PAPO_PORT/chat/buscar?q=acao")
  [[ $status == 200 ]] || bench_die "GET /chat/buscar answered $status"
  echo "## search sqlite through nginx + papo-app, $http_reps requests per query (curl time_total, ms)"
  printf '%-28s %10s %10s %10s\n' query p50_ms p99_ms max_ms | tee -a "$BENCH_RESULTS"
  for query in "${queries[@]}"; do
    times=$(for ((i = 0; i < http_reps; i++)); do
      curl -s -o /dev/null -w '%{time_total}\n' -H 'Accept: application/json' -H "Cookie: $PAPO_COOKIE" \
        --get --data-urlencode "q=$query" "http://127.0.0.1:$PAPO_PORT/chat/buscar"
    done | sort -n)
    awk -v q="\"$query\"" '{ t[NR] = $1 * 1000 } END {
      p50 = t[int(NR * 0.5) + 1]; p99 = t[int(NR * 0.99) + 1 > NR ? NR : int(NR * 0.99) + 1]
      printf "%-28s %10.2f %10.2f %10.2f\n", q, p50, p99, t[NR] }' <<<"$times" | tee -a "$BENCH_RESULTS"
  done
}

for backend in $backends; do
  BENCH_DB=$backend new_database
  bench_log "$backend: generating $messages messages in $PAPO_DB"
  start=$(date +%s)
  "$SEARCH_BIN" generate "$PAPO_DB" "$messages"
  bench_log "$backend: generated in $(($(date +%s) - start)) s"
  [[ $backend == sqlite ]] && bench_log "sqlite file: $(du -h "$PAPO_DB" | cut -f1)"
  echo "## search $backend, $messages messages, $reps runs per query"
  "$SEARCH_BIN" query "$PAPO_DB" "$reps" "${queries[@]}" | tee -a "$BENCH_RESULTS"
  if [[ $backend == sqlite ]] && ((http_reps > 0)); then search_http "$PAPO_DB"; fi
done
