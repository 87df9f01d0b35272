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
#   SEARCH_MESSAGES=1000000  SEARCH_REPS=200  SEARCH_BACKENDS="sqlite postgres"
source "$(dirname "$0")/lib.sh"
SEARCH_BIN=$BENCH_BUILD/bench/papo-search-bench
[[ -x $SEARCH_BIN ]] || bench_die "papo-search-bench not built in $BENCH_BUILD (cmake --build … --target papo-search-bench)"

messages=${SEARCH_MESSAGES:-$([[ $BENCH_QUICK == 1 ]] && echo 100000 || echo 1000000)}
reps=${SEARCH_REPS:-200}
backends=${SEARCH_BACKENDS:-"sqlite postgres"}
queries=(nao acao reuniao orcamento pessego quica xilogravura "acao reuniao" "reuniao orcamento"
  "orcamento quica" "nao acao" sigiloso "sigiloso acao" palavrainexistente)

for backend in $backends; do
  BENCH_DB=$backend new_database
  bench_log "$backend: generating $messages messages in $PAPO_DB"
  start=$(date +%s)
  "$SEARCH_BIN" generate "$PAPO_DB" "$messages"
  bench_log "$backend: generated in $(($(date +%s) - start)) s"
  [[ $backend == sqlite ]] && bench_log "sqlite file: $(du -h "$PAPO_DB" | cut -f1)"
  echo "## search $backend, $messages messages, $reps runs per query"
  "$SEARCH_BIN" query "$PAPO_DB" "$reps" "${queries[@]}" | tee -a "$BENCH_RESULTS"
done
