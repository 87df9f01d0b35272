# Shared by the scenario scripts (source it). Starts the servers a scenario
# needs on 127.0.0.1, on ports picked here, with every file under one
# mktemp -d directory, and stops exactly the processes it started, by PID,
# when the script exits (also on Ctrl-C).
#
# Settings (environment):
#   PAPO_BENCH_BUILD   build directory with papo-loadgen, papo-pusher, papo-app
#                      (default: <repo>/build-bench)
#   PAPO_BENCH_SERVER_BUILD  where papo-pusher and papo-app are taken from
#                      (default: PAPO_BENCH_BUILD)
#   BENCH_REPS         repetitions per case; tables show medians (default 3)
#   BENCH_QUICK=1      fewer messages and subscribers, for a smoke run
#   BENCH_RESULTS      file the RESULT lines are appended to
#                      (default: $BENCH_DIR/results.txt)
#   BENCH_KEEP=1       keep the run directory (logs) after the script
#   PAPO_BENCH_REUSEPORT=0   papo's nginx listens without `reuseport`
#                      (idle.sh's IDLE_REUSEPORT=0 shows why it is there)
set -euo pipefail

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_BUILD=${PAPO_BENCH_BUILD:-$BENCH_ROOT/build-bench}
LOADGEN=$BENCH_BUILD/bench/papo-loadgen
BENCH_SERVER_BUILD=${PAPO_BENCH_SERVER_BUILD:-$BENCH_BUILD}
PUSHER_BIN=$BENCH_SERVER_BUILD/sse-pusher/papo-pusher
APP_BIN=$BENCH_SERVER_BUILD/fcgi-app/papo-app
BENCH_REPS=${BENCH_REPS:-3}
BENCH_QUICK=${BENCH_QUICK:-0}
BENCH_DIR=$(mktemp -d /tmp/papo-bench-XXXXXX)
BENCH_RESULTS=${BENCH_RESULTS:-$BENCH_DIR/results.txt}
NCHAN_MODULE=/usr/lib/nginx/modules/ngx_nchan_module.so
BENCH_STARTED=()   # PIDs this script started, stopped in reverse order

bench_log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
bench_die() { bench_log "error: $*"; exit 1; }

# Stops one PID we started: SIGTERM, up to 10 s, then SIGKILL.
stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Stops every server started so far (newest first).
stop_all() {
  local i
  for ((i = ${#BENCH_STARTED[@]} - 1; i >= 0; i--)); do stop_pid "${BENCH_STARTED[$i]}"; done
  BENCH_STARTED=()
}

bench_cleanup() {
  stop_all
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    bench_log "run directory kept: $BENCH_DIR"
  else
    rm -rf "$BENCH_DIR"
  fi
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

# start_redis -> REDIS_PORT, REDIS_PID
start_redis() {
  REDIS_PORT=$(free_port)
  local dir=$BENCH_DIR/redis-$REDIS_PORT
  mkdir -p "$dir"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no \
    --logfile "$dir/redis.log" --daemonize no &
  REDIS_PID=$!
  BENCH_STARTED+=("$REDIS_PID")
  wait_port "$REDIS_PORT" redis-server
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
# pusher; the rate limit is off so that the publisher is not throttled.
papo_env() {
  export PAPO_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
  export CHAT_SSE_HEARTBEAT=${CHAT_SSE_HEARTBEAT:-15}
  export CHAT_MAX_CONNECTIONS_PER_ROOM=${CHAT_MAX_CONNECTIONS_PER_ROOM:-60000}
  export CHAT_RATE_LIMIT=${CHAT_RATE_LIMIT:-0}
  export CHAT_CACHE_SIZE=${CHAT_CACHE_SIZE:-500}
  export PAPO_LOG_LEVEL=${PAPO_LOG_LEVEL:-warn}
}

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
    PAPO_PUSHER_LISTEN=$listen PAPO_PUSHER_ID=bench-pusher-$i \
      "$PUSHER_BIN" >>"$BENCH_DIR/pusher-$i.log" 2>&1 &
    PUSHER_PIDS+=($!)
    BENCH_STARTED+=($!)
    if [[ $kind == tcp ]]; then wait_port "${listen#*:}" papo-pusher; else wait_socket "$listen" papo-pusher; fi
  done
}

# start_apps N -> APP_PIDS, APP_SOCKETS, PAPO_DB (a new database)
start_apps() {
  local count=$1 i socket
  papo_env
  export PAPO_DB=$BENCH_DIR/papo-$RANDOM$RANDOM.db   # a fresh database per stack
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
