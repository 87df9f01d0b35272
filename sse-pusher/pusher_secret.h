// The shared secret that proves a stream request came from nginx when
// papo-pusher listens on TCP (DESIGN §11). On a unix socket the file's mode
// (PAPO_PUSHER_SOCKET_MODE, 0660) decides who may connect; a loopback port
// is open to every local user, so there nginx also sends PAPO_PUSHER_SECRET
// in X-Papo-Pusher-Secret (proxy_set_header) and the pusher refuses any
// stream without it (403). Health and metrics never need it: they hold
// counts only, and health checkers send no secret.
// Pure; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "common/status.h"

namespace papo::pusher {

inline constexpr std::string_view kPusherSecretHeader = "X-Papo-Pusher-Secret";

// A usable secret: 16 to 256 characters of [A-Za-z0-9._~+/=-] (what
// `openssl rand -base64 32` or `-hex 32` prints), so nginx can carry it in
// a header and a config line without quoting. InvalidArgument otherwise.
Status ValidatePusherSecret(std::string_view secret);

// True when `presented` equals `expected`. The time taken depends on
// neither value's content nor on where they differ (both are hashed, then
// compared with sodium_memcmp), so a caller cannot guess it byte by byte.
// A missing header never matches.
bool PusherSecretMatches(std::string_view expected, std::optional<std::string_view> presented);

}  // namespace papo::pusher
