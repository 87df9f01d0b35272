// StreamRequest: what `GET /chat/stream` asks for, read from the query and
// from the headers nginx adds after its auth_request succeeded (DESIGN §4):
//
//   X-Papo-User-Id          integer, required
//   X-Papo-User-Name        percent-encoded UTF-8, required
//   X-Papo-Session-Expires  unix seconds, optional: the stream ends then
//   X-Papo-Session-Id       optional token (≤ 128 bytes of [A-Za-z0-9_-]):
//                           the stream ends when papo-app publishes it on
//                           papo:sessoes (logout)
//   X-Papo-Sala-Privada     0/1, room streams
//   Last-Event-ID           the browser's last `id:` (wins over `desde`;
//                           ignored unless a non-negative integer)
//
// Query: `sala_id=X[&desde=S]` or `lista=1`. A list stream's private rooms
// are not in the request: RoomHub reads them from Redis, where papo-app
// stored them when it authorized the stream. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "sse-pusher/http_request_parser.h"

namespace papo::pusher {

struct StreamRequest {
  enum class Kind { kRoom, kList };

  Kind kind = Kind::kRoom;
  int64_t sala_id = 0;                    // kRoom
  std::optional<int64_t> after_seq;       // kRoom: resume after this seq
  bool sala_privada = false;              // kRoom
  int64_t usuario_id = 0;
  std::string usuario_nome;               // decoded, valid UTF-8
  std::optional<int64_t> session_expires_s;
  std::string session_id;                 // "" when not named
};

// Unauthenticated when the user headers are missing (the request did not
// come through nginx's auth_request: 401); InvalidArgument for a malformed
// query or header (400).
Result<StreamRequest> ParseStreamRequest(const HttpRequest& request);

}  // namespace papo::pusher
