# What the scenarios need from papo's web pages, kept in one place because
# the HTML is not final: an account with its session cookie and CSRF token,
# and rooms. Source after lib.sh.
#
#   papo_register PORT      -> PAPO_COOKIE ("papo_session=..."), PAPO_CSRF
#   papo_create_rooms PORT N -> PAPO_ROOM_IDS (comma-separated ids)
#
# The contract (DESIGN §3): POST /cadastro logs the new account in (303 +
# Set-Cookie papo_session); every page carries the CSRF token, read here
# from <meta name="csrf-token" content="...">, or else from the forms'
# hidden csrf_token field; POST /chat/salas answers 303 to /chat/sala/{id}.

papo_register() {
  local port=$1 email headers page
  email="bench-$$-$RANDOM@exemplo.com"
  headers=$BENCH_DIR/cadastro-$RANDOM.headers
  curl -s -o /dev/null -D "$headers" -X POST "http://127.0.0.1:$port/cadastro" \
    --data-urlencode "nome=Bench" --data-urlencode "email=$email" \
    --data-urlencode "senha=segredo-bench-123" --data-urlencode "confirmar_senha=segredo-bench-123"
  PAPO_COOKIE=$(tr -d '\r' <"$headers" | sed -n 's/^[Ss]et-[Cc]ookie: \(papo_session=[^;]*\).*/\1/p' | head -1)
  [[ -n $PAPO_COOKIE ]] || bench_die "POST /cadastro gave no papo_session cookie (see $headers)"
  page=$(curl -s -H "Cookie: $PAPO_COOKIE" "http://127.0.0.1:$port/chat/listar-salas")
  PAPO_CSRF=$(sed -n 's/.*<meta name="csrf-token" content="\([^"]*\)".*/\1/p' <<<"$page" | head -1)
  if [[ -z $PAPO_CSRF ]]; then
    PAPO_CSRF=$(sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' <<<"$page" | head -1)
  fi
  [[ -n $PAPO_CSRF ]] || bench_die "no CSRF token in /chat/listar-salas"
}

papo_create_rooms() {
  local port=$1 count=$2 i location ids=()
  for ((i = 0; i < count; i++)); do
    location=$(curl -s -o /dev/null -w '%{redirect_url}' -X POST "http://127.0.0.1:$port/chat/salas" \
      -H "Cookie: $PAPO_COOKIE" --data-urlencode "csrf_token=$PAPO_CSRF" \
      --data-urlencode "nome=Bench $$ $RANDOM $i" --data-urlencode "descricao=bench" --data-urlencode "privada=0")
    [[ $location =~ /chat/sala/([0-9]+) ]] || bench_die "POST /chat/salas did not redirect to a room ($location)"
    ids+=("${BASH_REMATCH[1]}")
  done
  PAPO_ROOM_IDS=$(join_pids "${ids[@]}")
}
