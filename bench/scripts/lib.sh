# Shared by the scenario scripts (source it). Starts the servers a scenario
# needs on 127.0.0.1, on ports picked here, with every file under one
# mktemp -d directory, and stops exactly the processes it started, by PID,
# when the script exits (also on Ctrl-C).
#
# Settings (environment):
#   PAPO_BENCH_BUILD   build directory with papo-loadgen, papo-pusher, papo-app
#                      (default: <repo>/build-bench)
#   PAPO_BENCH_SERVER_BUILD  where papo-pusher and papo-app are taken from
#                      (default: PAPO_BENCH_BUILD); a variant may set it, to
#                      measure another build (the previous commit) in the
#                      same run: BENCH_VARIANT_before="PAPO_BENCH_SERVER_BUILD=…"
#   BENCH_REPS         repetitions per case; tables show medians (default 3)
#   BENCH_QUICK=1      fewer messages and subscribers, for a smoke run
#   BENCH_RESULTS      file the RESULT lines are appended to
#                      (default: $BENCH_DIR/results.txt)
#   BENCH_KEEP=1       keep the run directory (logs) after the script
#   PAPO_BENCH_REUSEPORT=0   papo's nginx listens without `reuseport`
#                      (idle.sh's IDLE_REUSEPORT=0 shows why it is there)
#   BENCH_DB=sqlite|postgres  where start_apps stores (default sqlite): a new
#                      SQLite file, or a new database on the run's private
#                      PostgreSQL 15 server (start_postgres), per stack
#   BENCH_PG_BIN       PostgreSQL binaries (default /usr/lib/postgresql/15/bin)
#   BENCH_PG_SHARED_BUFFERS (256MB), BENCH_PG_MAX_CONNECTIONS (200),
#   BENCH_PG_SETTINGS  more server settings, space separated name=value
#                      (e.g. a variant: BENCH_PG_SETTINGS=synchronous_commit=off)
set -euo pipefail

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_BUILD=${PAPO_BENCH_BUILD:-$BENCH_ROOT/build-bench}
LOADGEN=$BENCH_BUILD/bench/papo-loadgen
# The server binaries of PAPO_BENCH_SERVER_BUILD as it is now (systems.sh
# calls it again when a variant sets or unsets it).
server_bins() {
  BENCH_SERVER_BUILD=${PAPO_BENCH_SERVER_BUILD:-$BENCH_BUILD}
  PUSHER_BIN=$BENCH_SERVER_BUILD/sse-pusher/papo-pusher
  APP_BIN=$BENCH_SERVER_BUILD/fcgi-app/papo-app
}
server_bins
BENCH_REPS=${BENCH_REPS:-3}
BENCH_QUICK=${BENCH_QUICK:-0}
BENCH_DIR=$(mktemp -d /tmp/papo-bench-XXXXXX)
BENCH_RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results.txt}
NCHAN_MODULE=/usr/lib/nginx/modules/ngx_nchan_module.so
BENCH_PG_BIN=${BENCH_PG_BIN:-/usr/lib/postgresql/15/bin}
BENCH_STARTED=()   # PIDs this script started, stopped in reverse order
declare -A BENCH_STOP_SIGNAL=()   # PID -> the signal that stops it (default TERM)
PG_DIR=""          # the PostgreSQL cluster of this run (start_postgres)
PG_DATABASE=""     # the current stack's database on it (new_database)
DB_SERVER=() DB_COUNTED=""

bench_log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
bench_die() { bench_log "error: $*"; exit 1; }

# stop_pid PID [SIGNAL]: SIGNAL (default TERM), up to 10 s, then SIGKILL
# (PostgreSQL: SIGINT, its fast shutdown; then SIGQUIT, its immediate one,
# which also ends the backends, before SIGKILL).
stop_pid() {
  local pid=$1 signal=${2:-TERM} i
  kill -"$signal" "$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  if [[ $signal == INT ]]; then
    kill -QUIT "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
      sleep 0.1
    done
  fi
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Stops every server started so far (newest first).
stop_all() {
  local i pid
  for ((i = ${#BENCH_STARTED[@]} - 1; i >= 0; i--)); do
    pid=${BENCH_STARTED[$i]}
    stop_pid "$pid" "${BENCH_STOP_SIGNAL[$pid]:-TERM}"
    unset "BENCH_STOP_SIGNAL[$pid]"
  done
  BENCH_STARTED=()
}

bench_cleanup() {
  stop_all
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    bench_log "run directory kept: $BENCH_DIR${PG_DIR:+ (PostgreSQL cluster: $PG_DIR)}"
  else
    rm -rf "$BENCH_DIR"
    [[ -n $PG_DIR ]] && rm -rf "$PG_DIR"
  fi
  return 0
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A port nothing listens on, below the ephemeral range (32768+).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    port_busy "$port" || { echo "$port"; return; }
  done
}

# wait_port PORT NAME [LOG]: the log's tail is shown if it never listens.
wait_port() {
  local i
  for i in $(seq 1 200); do port_busy "$1" && return 0; sleep 0.05; done
  [[ -n ${3:-} && -r $3 ]] && tail -n 20 "$3" >&2
  bench_die "$2 did not start on port $1 (logs in $BENCH_DIR)"
}

wait_socket() {
  local i
  for i in $(seq 1 200); do [[ -S $1 ]] && return 0; sleep 0.05; done
  bench_die "$2 did not create $1 (logs in $BENCH_DIR)"
}

# Installs what is missing and brings the build up to date (a no-op when it
# is), once per command: all.sh does it for the scenarios it runs.
# PAPO_BENCH_SETUP=0 skips it (binaries built elsewhere, no apt-get).
require_loadgen() {
  if [[ ${PAPO_BENCH_SETUP:-1} == 1 ]]; then
    PAPO_BENCH_BUILD=$BENCH_BUILD "$BENCH_ROOT/deploy/setup" --bench >&2 || bench_die "deploy/setup --bench failed"
    export PAPO_BENCH_SETUP=0
  fi
  [[ -x $LOADGEN ]] || bench_die "$LOADGEN not built: deploy/setup --bench"
}

have_papo() { [[ -x $PUSHER_BIN && -x $APP_BIN ]]; }
have_pusher() { [[ -x $PUSHER_BIN ]]; }

# ---------------------------------------------------------------- servers

# start_redis -> REDIS_PORT, REDIS_PID (comma-separated on a cluster),
# REDIS_URL (papo's PAPO_REDIS_URL) and REDIS_PUBLISH (the load generator's
# --publish for it). PAPO_BENCH_REDIS=cluster (e.g. in a variant:
# BENCH_VARIANT_cluster="PAPO_BENCH_REDIS=cluster") starts a Redis Cluster
# of three primaries instead of one server: the same bus, sharded.
start_redis() {
  if [[ ${PAPO_BENCH_REDIS:-single} == cluster ]]; then
    start_redis_cluster
    return
  fi
  REDIS_PORT=$(free_port)
  local dir=$BENCH_DIR/redis-$REDIS_PORT
  mkdir -p "$dir"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no \
    --logfile "$dir/redis.log" --daemonize no &
  REDIS_PID=$!
  BENCH_STARTED+=("$REDIS_PID")
  wait_port "$REDIS_PORT" redis-server
  REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
  REDIS_PUBLISH=redis
}

# Three primaries, no replicas (the benchmark measures the bus, not
# failover), slots spread by redis-cli --cluster create. Each node's
# cluster bus gets a free port of its own (--cluster-port): the default,
# port + 10000, may be an ephemeral port some connection holds.
start_redis_cluster() {
  local ports=() pids=() port bus dir i
  for i in 1 2 3; do
    port=$(free_port)
    while :; do
      bus=$(free_port)
      [[ $bus != "$port" ]] && break
    done
    dir=$BENCH_DIR/redis-cluster-$port
    mkdir -p "$dir"
    redis-server --port "$port" --cluster-port "$bus" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 5000 \
      --logfile "$dir/redis.log" --daemonize no &
    pids+=($!)
    BENCH_STARTED+=($!)
    ports+=("$port")
    wait_port "$port" redis-server "$dir/redis.log"
  done
  redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-yes >"$BENCH_DIR/redis-cluster-create.log" 2>&1 \
    || bench_die "redis-cli --cluster create failed: $BENCH_DIR/redis-cluster-create.log"
  for port in "${ports[@]}"; do
    for i in $(seq 1 100); do
      redis-cli -p "$port" CLUSTER INFO | grep -q '^cluster_state:ok' && break
      sleep 0.1
    done
  done
  REDIS_PORT=${ports[0]}
  REDIS_PID=$(join_pids "${pids[@]}")
  REDIS_URL=redis-cluster://$(IFS=,; echo "${ports[*]/#/127.0.0.1:}")
  REDIS_PUBLISH=redis-cluster
}

# start_nchan WORKERS [HEARTBEAT_S] [REDIS_PORT] -> NCHAN_PORT, NCHAN_PID
# Memory store, or Redis store when REDIS_PORT is given.
start_nchan() {
  local workers=$1 heartbeat=${2:-15} redis=${3:-}
  [[ -r $NCHAN_MODULE ]] || bench_die "Nchan is missing: apt-get install libnginx-mod-nchan"
  NCHAN_PORT=$(free_port)
  local dir=$BENCH_DIR/nchan-$NCHAN_PORT upstream="" pass=""
  mkdir -p "$dir"
  if [[ -n $redis ]]; then
    upstream="upstream papo_bench_redis { nchan_redis_server redis://127.0.0.1:$redis; }"
    pass="nchan_redis_pass papo_bench_redis;"
  fi
  sed -e "s|@WORKERS@|$workers|; s|@RUN_DIR@|$dir|g; s|@PORT@|$NCHAN_PORT|; s|@HEARTBEAT@|$heartbeat|" \
    -e "s|@REDIS_UPSTREAM@|$upstream|; s|@REDIS_PASS@|$pass|" \
    "$BENCH_ROOT/bench/nchan/nchan.conf.in" >"$dir/nginx.conf"
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/nchan-error.log" >"$dir/stdout.log" 2>&1 &
  NCHAN_PID=$!
  BENCH_STARTED+=("$NCHAN_PID")
  wait_port "$NCHAN_PORT" "nginx+nchan" "$dir/nchan-error.log"
}

# The settings papo's servers run with in every scenario. The per-room
# connection cap is raised so that 10,000 subscribers fit one room on one
# pusher; the rate limit is off so that the publisher is not throttled, and
# so are the per-address limits (every client is 127.0.0.1; nginx's
# limit_req / limit_conn are left out of the rendered config too).
papo_env() {
  export PAPO_REDIS_URL=$REDIS_URL
  export CHAT_SSE_HEARTBEAT=${CHAT_SSE_HEARTBEAT:-15}
  export CHAT_MAX_CONNECTIONS_PER_ROOM=${CHAT_MAX_CONNECTIONS_PER_ROOM:-60000}
  export CHAT_RATE_LIMIT=${CHAT_RATE_LIMIT:-0}
  # Off: papo_create_rooms makes every room of a run as one account.
  export CHAT_ROOMS_PER_HOUR=${CHAT_ROOMS_PER_HOUR:-0}
  export CHAT_IP_RATE_LIMIT=${CHAT_IP_RATE_LIMIT:-0}
  # Off: full-path and pusher-alone open every subscriber as one account.
  export CHAT_MAX_STREAMS_PER_USER=${CHAT_MAX_STREAMS_PER_USER:-0}
  export CHAT_CACHE_SIZE=${CHAT_CACHE_SIZE:-500}
  export PAPO_LOG_LEVEL=${PAPO_LOG_LEVEL:-warn}
}

# The secret a pusher on TCP requires (PAPO_PUSHER_SECRET); loadgen sends
# it straight to the pusher: --header "$PUSHER_SECRET_HEADER".
BENCH_PUSHER_SECRET=bench-pusher-secret-0123456789
PUSHER_SECRET_HEADER="X-Papo-Pusher-Secret: $BENCH_PUSHER_SECRET"

# start_pushers N tcp|unix -> PUSHER_PIDS, PUSHER_TARGETS (loadgen --target
# values), PUSHER_SOCKETS (unix paths, for nginx)
start_pushers() {
  local count=$1 kind=$2 i listen
  papo_env
  PUSHER_PIDS=() PUSHER_TARGETS=() PUSHER_SOCKETS=""
  for ((i = 0; i < count; i++)); do
    if [[ $kind == tcp ]]; then
      local port
      port=$(free_port)
      listen=127.0.0.1:$port
      PUSHER_TARGETS+=("$listen")
    else
      listen=$BENCH_DIR/pusher-$i-$RANDOM.sock
      PUSHER_TARGETS+=("unix:$listen")
      PUSHER_SOCKETS+=" $listen"
    fi
    # The secret only on TCP, as deploy/ does: a pusher given one checks it
    # on its unix socket too, and the bench's nginx (unix sockets) sends none.
    local secret=""
    [[ $kind == tcp ]] && secret=$BENCH_PUSHER_SECRET
    PAPO_PUSHER_LISTEN=$listen PAPO_PUSHER_ID=bench-pusher-$i PAPO_PUSHER_SECRET=$secret \
      "$PUSHER_BIN" >>"$BENCH_DIR/pusher-$i.log" 2>&1 &
    PUSHER_PIDS+=($!)
    BENCH_STARTED+=($!)
    if [[ $kind == tcp ]]; then wait_port "${listen#*:}" papo-pusher; else wait_socket "$listen" papo-pusher; fi
  done
}

# start_postgres -> PG_PID, PG_DIR (its unix socket's directory)
# A private PostgreSQL 15 server for this run: initdb once per run into a
# new directory under /tmp (one that the user `nobody` owns when the script
# runs as root: the server refuses root), then the server on a unix socket
# only, durable like SQLite's synchronous=full (fsync=on,
# synchronous_commit=on). It is registered in BENCH_STARTED like the other
# servers, so stop_all stops it (SIGINT, fast shutdown) and the next stack
# starts it again on the same cluster. The PID is the postmaster's own
# (setpriv execs it), checked against postmaster.pid.
start_postgres() {
  [[ -x $BENCH_PG_BIN/postgres ]] ||
    bench_die "$BENCH_PG_BIN/postgres is missing: deploy/setup --bench installs postgresql-15"
  local as_pg=()
  if [[ $(id -u) == 0 ]]; then
    as_pg=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  fi
  if [[ -z $PG_DIR ]]; then
    PG_DIR=$(mktemp -d /tmp/papo-bench-pg-XXXXXX)
    chmod 755 "$PG_DIR"
    ((${#as_pg[@]})) && chown nobody:nogroup "$PG_DIR"
    (cd "$PG_DIR" && "${as_pg[@]}" "$BENCH_PG_BIN/initdb" -D "$PG_DIR/data" -U papo --auth=trust \
      -E UTF8 --no-locale --no-sync) >"$BENCH_DIR/initdb.log" 2>&1 ||
      { tail -n 20 "$BENCH_DIR/initdb.log" >&2; bench_die "initdb failed (see $BENCH_DIR/initdb.log)"; }
  fi
  local settings=(listen_addresses= "unix_socket_directories=$PG_DIR" fsync=on synchronous_commit=on
    full_page_writes=on "shared_buffers=${BENCH_PG_SHARED_BUFFERS:-256MB}"
    "max_connections=${BENCH_PG_MAX_CONNECTIONS:-200}") setting options=()
  local extra=()
  read -ra extra <<<"${BENCH_PG_SETTINGS:-}"
  for setting in "${settings[@]}" "${extra[@]}"; do options+=(-c "$setting"); done
  (cd "$PG_DIR" && exec "${as_pg[@]}" "$BENCH_PG_BIN/postgres" -D "$PG_DIR/data" "${options[@]}") \
    >>"$BENCH_DIR/postgres.log" 2>&1 &
  PG_PID=$!
  BENCH_STARTED+=("$PG_PID")
  BENCH_STOP_SIGNAL[$PG_PID]=INT
  local i
  for i in $(seq 1 300); do
    "$BENCH_PG_BIN/pg_isready" -q -h "$PG_DIR" -U papo -d postgres && break
    kill -0 "$PG_PID" 2>/dev/null || { tail -n 20 "$BENCH_DIR/postgres.log" >&2; bench_die "postgres exited"; }
    sleep 0.1
  done
  "$BENCH_PG_BIN/pg_isready" -q -h "$PG_DIR" -U papo -d postgres ||
    { tail -n 20 "$BENCH_DIR/postgres.log" >&2; bench_die "postgres did not start (see $BENCH_DIR/postgres.log)"; }
  local postmaster
  postmaster=$(head -n 1 "$PG_DIR/data/postmaster.pid")
  [[ $postmaster == "$PG_PID" ]] || bench_die "postmaster.pid says $postmaster, we started $PG_PID"
}

pg_running() {
  local pid
  [[ -n ${PG_PID:-} ]] || return 1
  for pid in "${BENCH_STARTED[@]}"; do [[ $pid == "$PG_PID" ]] && return 0; done
  return 1
}

# pg_sql DATABASE SQL: runs SQL on the run's server, prints the rows (unaligned).
pg_sql() {
  "$BENCH_PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$PG_DIR" -U papo -d "$1" -c "$2"
}

# new_database -> PAPO_DB (exported), DB_SERVER (--server arguments for the
# load generator), DB_COUNTED (",postgres" or ""): a fresh database per
# stack, a file for SQLite, or a new database on the run's PostgreSQL
# server (started if it is not running), whose CPU and memory (postmaster
# and backends) count as the server's, as SQLite's do inside papo-app.
new_database() {
  case ${BENCH_DB:-sqlite} in
    sqlite)
      export PAPO_DB=$BENCH_DIR/papo-$RANDOM$RANDOM.db
      PG_DATABASE="" DB_SERVER=() DB_COUNTED=""
      ;;
    postgres)
      pg_running || start_postgres
      PG_DATABASE=papo_$RANDOM$RANDOM
      pg_sql postgres "CREATE DATABASE $PG_DATABASE" || bench_die "CREATE DATABASE $PG_DATABASE failed"
      export PAPO_DB="postgresql:///$PG_DATABASE?host=$PG_DIR&user=papo"
      DB_SERVER=(--server "postgres=$PG_PID+") DB_COUNTED=",postgres"
      ;;
    *) bench_die "BENCH_DB=${BENCH_DB:-}: sqlite or postgres" ;;
  esac
}

# The messages stored in the current stack's database (empty if the sqlite3
# command is missing).
stored_messages() {
  if [[ -n ${PG_DATABASE:-} ]]; then
    pg_sql "$PG_DATABASE" 'SELECT count(*) FROM chat_mensagem'
  elif command -v sqlite3 >/dev/null; then
    sqlite3 "$PAPO_DB" 'SELECT count(*) FROM chat_mensagem'
  fi
}

# start_apps N -> APP_PIDS, APP_SOCKETS, PAPO_DB, DB_SERVER, DB_COUNTED
# (a new database on BENCH_DB: new_database)
start_apps() {
  local count=$1 i socket
  papo_env
  new_database
  APP_PIDS=() APP_SOCKETS=""
  for ((i = 0; i < count; i++)); do
    socket=$BENCH_DIR/app-$i-$RANDOM.sock
    PAPO_FCGI_LISTEN=$socket "$APP_BIN" >>"$BENCH_DIR/app-$i.log" 2>&1 &
    APP_PIDS+=($!)
    BENCH_STARTED+=($!)
    APP_SOCKETS+=" $socket"
    wait_socket "$socket" papo-app
  done
}

# start_papo_nginx WORKERS -> PAPO_PORT, PAPO_NGINX_PID
# The project's own config (deploy/render-nginx-conf), changed in two
# places only: more connections per worker (each stream costs two) and no
# access log (Nchan's config has none either).
start_papo_nginx() {
  local workers=$1
  PAPO_PORT=$(free_port)
  local dir=$BENCH_DIR/nginx-$PAPO_PORT
  mkdir -p "$dir/logs" "$dir/nginx-tmp"
  local edits=(-e 's|worker_connections [0-9]*;|worker_connections 19500;|' -e 's|access_log [^;]*;|access_log off;|')
  [[ ${PAPO_BENCH_REUSEPORT:-1} == 0 ]] && edits+=(-e 's|\(listen [^;]*\) reuseport|\1|')
  "$BENCH_ROOT/deploy/render-nginx-conf" "$dir" "127.0.0.1:$PAPO_PORT" "$APP_SOCKETS" "$PUSHER_SOCKETS" \
    "$workers" | sed "${edits[@]}" >"$dir/nginx.conf"
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/nginx-error.log" >"$dir/stdout.log" 2>&1 &
  PAPO_NGINX_PID=$!
  BENCH_STARTED+=("$PAPO_NGINX_PID")
  wait_port "$PAPO_PORT" "nginx (papo)" "$dir/logs/nginx-error.log"
}

join_pids() { local IFS=,; echo "$*"; }

# ---------------------------------------------------------------- running

# run_case SCENARIO SYSTEM REP COUNTED_GROUPS -- LOADGEN_ARGS...
# Runs the load generator, shows its report, and appends its RESULT line,
# tagged, to $BENCH_RESULTS. COUNTED_GROUPS: the --server groups whose CPU
# and memory are "the server" of this system (e.g. nginx,pusher).
run_case() {
  local scenario=$1 system=$2 rep=$3 counted=$4
  shift 5
  local log=$BENCH_DIR/$scenario-$system-$rep.log
  bench_log "$scenario / $system / run $rep"
  "$LOADGEN" --label "$scenario/$system/$rep" "$@" | tee "$log" | sed 's/^RESULT .*//' | grep -v '^$' >&2 || true
  local line
  line=$(grep '^RESULT ' "$log" || true)
  [[ -n $line ]] || bench_die "papo-loadgen gave no result (see $log)"
  echo "scenario=$scenario system=$system rep=$rep counted=$counted ${line#RESULT }" >>"$BENCH_RESULTS"
}

reps() { seq 1 "$BENCH_REPS"; }

# Prints the tables of the scenarios in $BENCH_RESULTS (medians, ratios).
summarize() {
  awk -f "$BENCH_ROOT/bench/scripts/summarize.awk" "$BENCH_RESULTS"
}
