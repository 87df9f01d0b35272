// FakeSseServer: a scripted SSE server whose every byte is known, so a test
// can tell exactly how many deliveries, losses, duplicates and reorderings
// the load generator must report.
//
//   GET  /sub?id=R          (header X-Sub: N) an SSE stream of room R
//   POST /pub?id=R          Nchan-like publish: the body is the event data
//   POST /chat/enviar       papo-like publish (form sala_id, mensagem), only
//                           with "Cookie: papo_session=ok" and "X-CSRF-Token: ok"
//
// Each published message gets the room's next seq n (k = n - 1) and is sent
// as "id: n\ndata: ...\n\n", after a named event (`event: presenca`) and a
// comment, to every subscriber of the room, except where a fault says
// otherwise. A GET with Last-Event-ID first replays the room's later
// messages. Streams are chunked when asked, each frame split in two chunks
// in the middle of a line.
#pragma once

#include <cstdint>

namespace papo::bench::testing {

struct FakeFaults {
  bool chunked = false;
  int drop_subscriber = -1;       // never gets message k = drop_k
  uint32_t drop_k = 0;
  int duplicate_subscriber = -1;  // gets k = duplicate_k twice
  uint32_t duplicate_k = 0;
  int swap_subscriber = -1;       // gets k = swap_k + 1 before k = swap_k
  uint32_t swap_k = 0;
  int close_subscriber = -1;      // its stream is closed (once) right after k = close_k
  uint32_t close_k = 0;
  int refuse_subscriber = -1;     // answered 503 instead of a stream
};

// Serves `listen_fd` (listening) until killed. Call in a forked child.
[[noreturn]] void RunFakeSseServer(int listen_fd, const FakeFaults& faults);

// Forks a child running RunFakeSseServer on a new loopback port; returns
// the child's pid and sets `port`.
int StartFakeSseServer(const FakeFaults& faults, int& port);

}  // namespace papo::bench::testing
