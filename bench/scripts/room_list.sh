#!/usr/bin/env bash
# room list: GET /chat/listar-salas for one user in 2,000 rooms (issue 17,
# DESIGN §9), through nginx → papo-app, on SQLite and PostgreSQL. The
# database is filled with SQL both engines run: 1,000 public rooms, 1,000
# private rooms the user belongs to (200 of them direct messages with 200
# other people) and 500 private rooms they do not, each with
# ROOM_LIST_MESSAGES (20) messages by someone else at spread times; the
# user has read half of each room in half of them (so every room has
# unread messages to count). Then ROOM_LIST_REQUESTS (500) GETs of the
# first page (50 rooms, newest activity first, unread counts, presence)
# after 30 to warm up, one at a time with curl; the table gives p50/p99 of
# curl's time_total in ms, and a filtered (?q=) and a section
# (?secao=diretas) page the same way.
#
#   ROOM_LIST_REQUESTS=500  ROOM_LIST_MESSAGES=20  ROOM_LIST_BACKENDS="sqlite postgres"
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/papo_session.sh"
have_papo || bench_die "papo-app/papo-pusher not built in $BENCH_SERVER_BUILD"

requests=${ROOM_LIST_REQUESTS:-$([[ $BENCH_QUICK == 1 ]] && echo 100 || echo 500)}
per_room=${ROOM_LIST_MESSAGES:-20}
backends=${ROOM_LIST_BACKENDS:-"sqlite postgres"}

# db_sql SQL: runs SQL on the current stack's database.
db_sql() {
  if [[ -n ${PG_DATABASE:-} ]]; then pg_sql "$PG_DATABASE" "$1"; else sqlite3 -cmd '.timeout 5000' "$PAPO_DB" "$1"; fi
}

# The rooms, people, memberships, messages and read positions described above.
seed() {
  local user=$1 t0=1700000000000
  db_sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
    INSERT INTO usuario (nome, email, senha_hash, criado_em)
    SELECT 'Pessoa ' || i, 'pessoa' || i || '@bench.exemplo', 'x', $t0 FROM n"
  db_sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
    INSERT INTO sala (nome, nome_chave, descricao, privada, ativa, criado_em, ultimo_seq)
    SELECT 'Bench ' || i, 'bench ' || i, CASE WHEN i > 2000 THEN 'oculta' ELSE 'bench' END,
      CASE WHEN i % 2 = 0 OR i > 2000 THEN 1 ELSE 0 END, 1, $t0 + i, $per_room FROM n"
  db_sql "INSERT INTO sala_membro (sala_id, usuario_id, papel)
    SELECT id, $user, 'membro' FROM sala WHERE descricao = 'bench' AND privada = 1"
  # 200 of the private rooms become direct messages with the 200 people.
  db_sql "UPDATE sala SET direta = 1 WHERE descricao = 'bench' AND privada = 1 AND id IN
    (SELECT id FROM sala WHERE descricao = 'bench' AND privada = 1 ORDER BY id LIMIT 200)"
  db_sql "INSERT INTO conversa_direta (usuario_menor, usuario_maior, sala_id)
    SELECT CASE WHEN p.id < $user THEN p.id ELSE $user END, CASE WHEN p.id < $user THEN $user ELSE p.id END, d.id
    FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS r FROM sala WHERE direta = 1) d
    JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS r FROM usuario WHERE email LIKE '%@bench.exemplo') p
    ON p.r = d.r"
  db_sql "INSERT INTO sala_membro (sala_id, usuario_id, papel)
    SELECT sala_id, CASE WHEN usuario_menor = $user THEN usuario_maior ELSE usuario_menor END, 'membro'
    FROM conversa_direta"
  # Messages by Pessoa 1 at times spread over the rooms (not in id order).
  db_sql "WITH RECURSIVE k(s) AS (SELECT 1 UNION ALL SELECT s + 1 FROM k WHERE s < $per_room)
    INSERT INTO chat_mensagem (sala_id, seq, usuario_id, mensagem, data_envio)
    SELECT sala.id, k.s, (SELECT MIN(id) FROM usuario WHERE email LIKE '%@bench.exemplo'), 'mensagem ' || k.s,
      $t0 + (sala.id * 7919 % 100000) * 60000 + k.s * 1000
    FROM sala, k WHERE sala.descricao IN ('bench', 'oculta')"
  # papo sets a room's ultima_atividade as it stores a message; rows loaded
  # straight into the table get it here.
  db_sql "UPDATE sala SET ultima_atividade = COALESCE((SELECT MAX(m.data_envio) FROM chat_mensagem m
    WHERE m.sala_id = sala.id), 0) WHERE descricao IN ('bench', 'oculta')"
  db_sql "INSERT INTO leitura (sala_id, usuario_id, ultimo_seq_lido)
    SELECT id, $user, $((per_room / 2)) FROM sala WHERE descricao = 'bench' AND id % 2 = 0"
  db_sql "ANALYZE"
}

# measure NAME PATH: p50/p99 of ROOM_LIST_REQUESTS GETs of PATH, in ms.
measure() {
  local name=$1 path=$2 url="http://127.0.0.1:$PAPO_PORT$2" times=$BENCH_DIR/times-$RANDOM.txt i
  local cards status
  status=$(curl -s -o "$BENCH_DIR/page.html" -w '%{http_code}' -H "Cookie: $PAPO_COOKIE" "$url")
  [[ $status == 200 ]] || bench_die "GET $path: $status"
  cards=$(grep -o 'data-sala-id="' "$BENCH_DIR/page.html" | wc -l)
  for i in $(seq 1 30); do curl -s -o /dev/null -H "Cookie: $PAPO_COOKIE" "$url"; done
  for i in $(seq 1 "$requests"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Cookie: $PAPO_COOKIE" "$url"
  done >"$times"
  sort -n "$times" | awk -v name="$name" -v backend="$backend" -v cards="$cards" '
    { t[NR] = $1 * 1000 }
    END {
      p50 = t[int((NR - 1) * 0.50) + 1]; p99 = t[int((NR - 1) * 0.99) + 1]
      printf "RESULT scenario=room-list backend=%s page=%s cards=%d requests=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
        backend, name, cards, NR, p50, p99, t[NR]
    }'
}

for backend in $backends; do
  stop_all
  start_redis
  start_pushers 1 unix
  BENCH_DB=$backend start_apps 1
  start_papo_nginx 1
  papo_register "$PAPO_PORT"
  user=$(db_sql "SELECT MAX(id) FROM usuario")
  bench_log "$backend: seeding 2,500 rooms × $per_room messages for user $user"
  start=$(date +%s)
  seed "$user"
  bench_log "$backend: seeded in $(($(date +%s) - start)) s"
  visible=$(db_sql "SELECT COUNT(*) FROM sala s WHERE s.ativa = 1 AND (s.privada = 0 OR EXISTS
    (SELECT 1 FROM sala_membro sm WHERE sm.sala_id = s.id AND sm.usuario_id = $user))")
  echo "## room list $backend: user in $visible rooms, $requests requests per page"
  {
    measure main /chat/listar-salas
    measure page20 "/chat/listar-salas?pagina=20"
    measure filter "/chat/listar-salas?q=bench%2019"
    measure diretas "/chat/listar-salas?secao=diretas"
  } | tee -a "$BENCH_RESULTS"
done
