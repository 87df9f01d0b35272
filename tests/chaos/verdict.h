// What the chaos suite checks after a run, and its report:
// - lost: acknowledged (200) but no row with that usuario_id + client_id in
//   the database at the end (the database is the truth, not Redis);
// - mismatched: a row exists, but in another room or seq than acknowledged;
// - duplicated: more than one row for one usuario_id + client_id;
// - seq faults: a room's seqs are not exactly 1..max;
// - per client: the page must hold every seq 1..max of its room exactly
//   once, none delivered below one already shown (after dropping repeated
//   seqs, as the page does); the stream must never send a seq out of order
//   on one connection nor skip one without `ressincronizar`;
// - catch-up after a fault, per client of a room: the time from the fault's
//   start until the client's page holds, in order, every seq of its room
//   acknowledged by the time the fault ended (the process back, the pusher
//   resumed, the disk freed). A client that already had them counts 0.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tests/chaos/faults.h"
#include "tests/chaos/poster.h"
#include "tests/chaos/room_client.h"

namespace papo::chaos {

struct StoredRow {
  int64_t id = 0;
  int64_t sala_id = 0;
  int64_t seq = 0;
  int64_t usuario_id = 0;
  std::string client_id;
};

// Every chat_mensagem row, from the SQLite file or the PostgreSQL URI.
// Throws std::runtime_error when the database cannot be read.
std::vector<StoredRow> ReadStoredRows(const std::string& db_uri, bool postgres);

struct RunData {
  std::vector<Ack> acks;
  std::vector<std::pair<Clock::time_point, int>> post_failures;
  int rejected = 0;
  int abandoned = 0;
  std::vector<StoredRow> rows;
  std::vector<const RoomClient*> clients;
  std::vector<Fault> faults;
  double traffic_seconds = 0;
  Clock::time_point traffic_start;
};

// Prints the report to stdout; returns true when nothing was lost,
// duplicated, missing or out of order.
bool Judge(const RunData& data);

}  // namespace papo::chaos
