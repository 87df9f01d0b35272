# Helpers for the deploy/run-stack tests (sourced by run-stack-test and
# run-stack-postgres-test). The caller sets `test_name` first. Files live
# under a temporary directory ($tmp), removed at exit; the stack runs in its
# own session and every process is stopped by PID.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d "/tmp/papo-$test_name-XXXXXX")
stack_pid=""
cleanup() {
  if [[ -n $stack_pid ]] && kill -0 "$stack_pid" 2>/dev/null; then kill -TERM "$stack_pid"; wait "$stack_pid" || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "$test_name: FAIL: $*" >&2; echo "--- output:" >&2; cat "$tmp/out" >&2 || true; exit 1; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  # Below the ephemeral range: a port there may be the local end of some
  # client connection, free to connect() to but not to bind().
  local low; low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
  while :; do p=$((10000 + RANDOM % (low - 10000))); port_busy "$p" || { echo "$p"; return; }; done
}

# start_stack RUN_DIR [OPTION...]: deploy/run-stack on $port / $redis_port
# in its own session (stack_pid), output in $tmp/out; waits until it prints
# the URL ($url).
start_stack() {
  local run_dir=$1
  shift
  PAPO_PORT=$port PAPO_REDIS_PORT=$redis_port PAPO_RUN_DIR=$run_dir setsid "$root/deploy/run-stack" "$@" >"$tmp/out" 2>&1 &
  stack_pid=$!
  url="http://127.0.0.1:$port/"
  for _ in $(seq 1 1800); do  # the first run builds papo: up to 3 minutes
    grep -q "papo está no ar:  $url" "$tmp/out" && break
    kill -0 "$stack_pid" 2>/dev/null || fail "run-stack exited before printing the URL"
    sleep 0.1
  done
  grep -q "papo está no ar:  $url" "$tmp/out" || fail "no URL printed"
}

# code CURL-ARGS...: the HTTP status; the body in $tmp/body, cookies in $jar.
jar="$tmp/cookies"
code() { curl -s -o "$tmp/body" -w '%{http_code}' -b "$jar" -c "$jar" "$@"; }

# register_and_send MESSAGE: registers Ana, sends MESSAGE to room 1, and
# reads it back from the history.
register_and_send() {
  [[ $(code "${url}cadastro") == 200 ]] || fail "GET /cadastro"
  [[ $(code --data-urlencode "nome=Ana" --data-urlencode "email=ana@exemplo.com" --data-urlencode "senha=segredo123" \
        --data-urlencode "confirmar_senha=segredo123" "${url}cadastro") == 303 ]] \
    || fail "cadastro: $(head -c 300 "$tmp/body")"
  [[ $(code "${url}chat/sala/1") == 200 ]] || fail "room page"
  local csrf
  csrf=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' "$tmp/body" | head -1)
  [[ $(code -H "X-CSRF-Token: $csrf" --data-urlencode "sala_id=1" --data-urlencode "mensagem=$1" "${url}chat/enviar") == 200 ]] \
    || fail "send: $(cat "$tmp/body")"
  history_has "$1" || fail "message not in history"
}

# history_has MESSAGE: room 1's history (as the logged-in user) holds it.
history_has() { [[ $(code "${url}chat/mensagens?sala_id=1") == 200 ]] && grep -q "$1" "$tmp/body"; }

# stop_stack: SIGTERM to run-stack; every process it started is gone
# (its whole session) and the ports are free again.
stop_stack() {
  local pids pid
  pids=$(pgrep -s "$stack_pid" | grep -vx "$stack_pid" || true)
  kill -TERM "$stack_pid"
  wait "$stack_pid" || true
  local session=$stack_pid
  stack_pid=""
  grep -q "papo: parado" "$tmp/out" || fail "no stop message"
  for pid in $pids; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && fail "process $pid still running after stop"
  done
  pids=$(pgrep -s "$session" || true)
  [[ -z $pids ]] || fail "still running after stop: $(ps -o pid=,args= -p "$(echo $pids | tr ' ' ,)")"
  port_busy "$port" && fail "port $port still open"
  port_busy "$redis_port" && fail "redis port $redis_port still open"
  return 0
}
