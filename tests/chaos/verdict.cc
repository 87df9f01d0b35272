#include "tests/chaos/verdict.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

namespace papo::chaos {

namespace {

constexpr const char* kQuery = "SELECT id, sala_id, seq, usuario_id, COALESCE(client_id, '') FROM chat_mensagem";

std::vector<StoredRow> ReadSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string error = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path + ": " + error);
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* statement = nullptr;
  std::vector<StoredRow> rows;
  if (sqlite3_prepare_v2(db, kQuery, -1, &statement, nullptr) != SQLITE_OK) {
    std::string error = sqlite3_errmsg(db);
    sqlite3_close(db);
    throw std::runtime_error("cannot read chat_mensagem: " + error);
  }
  int step;
  while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
    StoredRow row;
    row.id = sqlite3_column_int64(statement, 0);
    row.sala_id = sqlite3_column_int64(statement, 1);
    row.seq = sqlite3_column_int64(statement, 2);
    row.usuario_id = sqlite3_column_int64(statement, 3);
    const unsigned char* client_id = sqlite3_column_text(statement, 4);
    row.client_id = client_id ? reinterpret_cast<const char*>(client_id) : "";
    rows.push_back(std::move(row));
  }
  std::string error = step == SQLITE_DONE ? "" : sqlite3_errmsg(db);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  if (!error.empty()) throw std::runtime_error("reading chat_mensagem: " + error);
  return rows;
}

std::vector<StoredRow> ReadPostgres(const std::string& uri) {
  PGconn* connection = PQconnectdb(uri.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string error = PQerrorMessage(connection);
    PQfinish(connection);
    throw std::runtime_error("cannot connect to " + uri + ": " + error);
  }
  PGresult* result = PQexec(connection, kQuery);
  if (PQresultStatus(result) != PGRES_TUPLES_OK) {
    std::string error = PQerrorMessage(connection);
    PQclear(result);
    PQfinish(connection);
    throw std::runtime_error("cannot read chat_mensagem: " + error);
  }
  std::vector<StoredRow> rows;
  for (int i = 0; i < PQntuples(result); ++i) {
    StoredRow row;
    row.id = std::stoll(PQgetvalue(result, i, 0));
    row.sala_id = std::stoll(PQgetvalue(result, i, 1));
    row.seq = std::stoll(PQgetvalue(result, i, 2));
    row.usuario_id = std::stoll(PQgetvalue(result, i, 3));
    row.client_id = PQgetvalue(result, i, 4);
    rows.push_back(std::move(row));
  }
  PQclear(result);
  PQfinish(connection);
  return rows;
}

// Nearest-rank percentile of `values` (sorted here); 0 when empty.
double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(p * static_cast<double>(values.size()) + 0.999999);
  rank = std::clamp<size_t>(rank, 1, values.size());
  return values[rank - 1];
}

}  // namespace

std::vector<StoredRow> ReadStoredRows(const std::string& db_uri, bool postgres) {
  return postgres ? ReadPostgres(db_uri) : ReadSqlite(db_uri);
}

bool Judge(const RunData& data) {
  // Messages: acknowledged against stored.
  std::map<std::pair<int64_t, std::string>, std::vector<const StoredRow*>> by_client_id;
  std::map<int64_t, std::vector<int64_t>> seqs_by_room;
  for (const auto& row : data.rows) {
    by_client_id[{row.usuario_id, row.client_id}].push_back(&row);
    seqs_by_room[row.sala_id].push_back(row.seq);
  }
  int64_t lost = 0, mismatched = 0, duplicated = 0, unacknowledged = 0, seq_faults = 0;
  std::set<std::pair<int64_t, std::string>> acknowledged;
  for (const auto& ack : data.acks) {
    acknowledged.insert({ack.usuario_id, ack.client_id});
    auto found = by_client_id.find({ack.usuario_id, ack.client_id});
    if (found == by_client_id.end()) {
      ++lost;
      std::printf("LOST: usuario %lld client_id %s (acknowledged as sala %lld seq %lld)\n",
                  static_cast<long long>(ack.usuario_id), ack.client_id.c_str(), static_cast<long long>(ack.sala_id),
                  static_cast<long long>(ack.seq));
      continue;
    }
    const StoredRow& row = *found->second.front();
    if (row.sala_id != ack.sala_id || row.seq != ack.seq || row.id != ack.mensagem_id) {
      ++mismatched;
      std::printf("MISMATCH: client_id %s acknowledged sala %lld seq %lld id %lld, stored sala %lld seq %lld id %lld\n",
                  ack.client_id.c_str(), static_cast<long long>(ack.sala_id), static_cast<long long>(ack.seq),
                  static_cast<long long>(ack.mensagem_id), static_cast<long long>(row.sala_id),
                  static_cast<long long>(row.seq), static_cast<long long>(row.id));
    }
  }
  // Two acknowledgements of one seq: one of them cannot be stored.
  std::map<std::pair<int64_t, int64_t>, std::string> acked_seq;
  int64_t seq_acked_twice = 0;
  for (const auto& ack : data.acks) {
    auto [it, fresh] = acked_seq.emplace(std::make_pair(ack.sala_id, ack.seq), ack.client_id);
    if (!fresh) {
      ++seq_acked_twice;
      std::printf("SEQ ACKNOWLEDGED TWICE: sala %lld seq %lld for %s and %s\n", static_cast<long long>(ack.sala_id),
                  static_cast<long long>(ack.seq), it->second.c_str(), ack.client_id.c_str());
    }
  }
  for (const auto& [key, rows] : by_client_id) {
    if (rows.size() > 1 && !key.second.empty()) {
      duplicated += static_cast<int64_t>(rows.size() - 1);
      std::printf("DUPLICATE: usuario %lld client_id %s stored %zu times\n", static_cast<long long>(key.first),
                  key.second.c_str(), rows.size());
    }
    if (!acknowledged.count(key)) unacknowledged += static_cast<int64_t>(rows.size());
  }
  std::map<int64_t, int64_t> max_seq;
  for (auto& [sala, seqs] : seqs_by_room) {
    std::sort(seqs.begin(), seqs.end());
    for (size_t i = 0; i < seqs.size(); ++i) {
      if (seqs[i] != static_cast<int64_t>(i + 1)) {
        ++seq_faults;
        std::printf("SEQ: sala %lld holds seq %lld at position %zu\n", static_cast<long long>(sala),
                    static_cast<long long>(seqs[i]), i + 1);
        break;
      }
    }
    max_seq[sala] = seqs.empty() ? 0 : seqs.back();
  }

  // Clients: the page against the room.
  RoomClientStats total;
  int64_t missing = 0, extra = 0, complete = 0;
  for (const RoomClient* client : data.clients) {
    const auto& page = client->page();
    int64_t top = max_seq[client->sala_id()];
    int64_t have = 0;
    for (int64_t seq : page) {
      if (seq >= 1 && seq <= top) ++have;
      else ++extra;
    }
    missing += top - have;
    if (have == top && static_cast<int64_t>(page.size()) == top && client->stats().page_out_of_order == 0) ++complete;
    const auto& s = client->stats();
    total.stream_events += s.stream_events;
    total.stream_duplicates += s.stream_duplicates;
    total.stream_out_of_order += s.stream_out_of_order;
    total.stream_gaps += s.stream_gaps;
    total.fetched += s.fetched;
    total.fetch_duplicates += s.fetch_duplicates;
    total.page_out_of_order += s.page_out_of_order;
    total.ressincronizar += s.ressincronizar;
    total.reloads += s.reloads;
    total.reconnects += s.reconnects;
    total.give_ups += s.give_ups;
  }

  // Catch-up per fault kind.
  std::map<int64_t, std::vector<const Ack*>> acks_by_room;
  for (const auto& ack : data.acks) acks_by_room[ack.sala_id].push_back(&ack);
  struct KindFigures {
    int injected = 0;
    int not_ok = 0;
    int refused_posts = 0;
    std::vector<double> catch_up_ms;
    int never = 0;
    int in_flight = 0;
  };
  std::map<FaultKind, KindFigures> kinds;
  std::printf("\nfaults, one by one (ms since the traffic started):\n");
  for (const auto& fault : data.faults) {
    auto& figures = kinds[fault.kind];
    size_t before = figures.catch_up_ms.size();
    int refused_before = figures.refused_posts;
    ++figures.injected;
    if (!fault.ok) ++figures.not_ok;
    figures.in_flight += fault.in_flight;
    for (const auto& [at, status] : data.post_failures) {
      if (at >= fault.start && at <= fault.end) ++figures.refused_posts;
    }
    for (const RoomClient* client : data.clients) {
      int64_t target = 0;
      for (const Ack* ack : acks_by_room[client->sala_id()]) {
        if (ack->at <= fault.end) target = std::max(target, ack->seq);
      }
      if (target == 0) continue;
      std::optional<Clock::time_point> reached;
      for (const auto& [when, prefix] : client->timeline()) {
        if (prefix >= target) {
          reached = when;
          break;
        }
      }
      if (!reached) {
        ++figures.never;
        continue;
      }
      double ms = std::chrono::duration<double, std::milli>(*reached - fault.start).count();
      figures.catch_up_ms.push_back(std::max(0.0, ms));
    }
    std::vector<double> mine(figures.catch_up_ms.begin() + static_cast<std::ptrdiff_t>(before), figures.catch_up_ms.end());
    auto since = [&](Clock::time_point t) { return std::chrono::duration<double, std::milli>(t - data.traffic_start).count(); };
    std::printf("  %8.0f  %-16s target %d  lasted %5.0f ms  posts non-200 %3d  catch-up p95 %5.0f max %5.0f ms%s\n",
                since(fault.start), FaultName(fault.kind), fault.target,
                std::chrono::duration<double, std::milli>(fault.end - fault.start).count(),
                figures.refused_posts - refused_before, Percentile(mine, 0.95),
                mine.empty() ? 0.0 : *std::max_element(mine.begin(), mine.end()), fault.ok ? "" : "  NOT AS PLANNED");
  }

  int64_t faults_not_ok = 0, never = 0;
  std::printf("\n=== papo chaos report ===\n");
  std::printf("traffic: %.0f s; clients: %zu; faults injected: %zu\n\n", data.traffic_seconds, data.clients.size(),
              data.faults.size());
  std::printf("%-18s %8s %10s %14s %14s %8s\n", "fault", "injected", "posts non-200", "catch-up p95", "catch-up max",
              "never");
  for (FaultKind kind : AllFaultKinds()) {
    auto found = kinds.find(kind);
    if (found == kinds.end()) continue;
    const auto& f = found->second;
    faults_not_ok += f.not_ok;
    never += f.never;
    double max = f.catch_up_ms.empty() ? 0 : *std::max_element(f.catch_up_ms.begin(), f.catch_up_ms.end());
    std::printf("%-18s %8d %10d %11.0f ms %11.0f ms %8d%s\n", FaultName(kind), f.injected, f.refused_posts,
                Percentile(f.catch_up_ms, 0.95), max, f.never, f.not_ok ? "  (not as planned!)" : "");
    if (kind == FaultKind::kAppKill) std::printf("%-18s %d posts were in flight at the kills\n", "", f.in_flight);
  }
  std::map<int, int> statuses;
  for (const auto& [at, status] : data.post_failures) ++statuses[status];
  std::string answers;
  for (const auto& [status, count] : statuses) {
    answers += (answers.empty() ? "" : ", ") + std::to_string(count) + " × " + (status == 0 ? std::string("no answer") : std::to_string(status));
  }
  std::printf("\nmessages acknowledged:            %zu\n", data.acks.size());
  std::printf("posts answered non-200 (retried): %zu%s%s%s\n", data.post_failures.size(), answers.empty() ? "" : " (",
              answers.c_str(), answers.empty() ? "" : ")");
  std::printf("posts refused for good (422):     %d\n", data.rejected);
  std::printf("posts never acknowledged:         %d\n", data.abandoned);
  std::printf("rows stored:                      %zu (stored, never acknowledged: %lld)\n", data.rows.size(),
              static_cast<long long>(unacknowledged));
  std::printf("lost (acknowledged, not stored):  %lld\n", static_cast<long long>(lost));
  std::printf("acknowledged as another seq/id:   %lld\n", static_cast<long long>(mismatched));
  std::printf("duplicated (client_id twice):     %lld\n", static_cast<long long>(duplicated));
  std::printf("one seq acknowledged twice:       %lld\n", static_cast<long long>(seq_acked_twice));
  std::printf("rooms whose seqs are not 1..max:  %lld\n", static_cast<long long>(seq_faults));
  std::printf("clients with every seq once, in order: %lld of %zu (missing %lld, beyond the room %lld)\n",
              static_cast<long long>(complete), data.clients.size(), static_cast<long long>(missing),
              static_cast<long long>(extra));
  std::printf("out of order delivered to the page:  %lld\n", static_cast<long long>(total.page_out_of_order));
  std::printf("stream, raw: %lld events, %lld repeated seqs dropped, %lld out of order on a connection, "
              "%lld gaps without ressincronizar\n",
              static_cast<long long>(total.stream_events), static_cast<long long>(total.stream_duplicates),
              static_cast<long long>(total.stream_out_of_order), static_cast<long long>(total.stream_gaps));
  std::printf("fetched over /chat/mensagens: %lld (%lld already shown); ressincronizar: %lld (reloads %lld); "
              "EventSource reconnects: %lld; give-ups (non-200): %lld\n",
              static_cast<long long>(total.fetched), static_cast<long long>(total.fetch_duplicates),
              static_cast<long long>(total.ressincronizar), static_cast<long long>(total.reloads),
              static_cast<long long>(total.reconnects), static_cast<long long>(total.give_ups));
  bool ok = lost == 0 && mismatched == 0 && seq_acked_twice == 0 && duplicated == 0 && seq_faults == 0 && missing == 0 && extra == 0 &&
            total.page_out_of_order == 0 && total.stream_out_of_order == 0 && total.stream_gaps == 0 &&
            faults_not_ok == 0 && never == 0 && data.abandoned == 0 && data.rejected == 0 && !data.acks.empty();
  std::printf("\nverdict: %s\n", ok ? "PASS" : "FAIL");
  return ok;
}

}  // namespace papo::chaos
