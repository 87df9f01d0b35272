#include "sse-pusher/stream_request.h"

#include <charconv>

#include "common/form.h"
#include "common/utf8.h"

namespace papo::pusher {
namespace {

constexpr size_t kMaxNameBytes = 512;
constexpr size_t kMaxSessionIdBytes = 128;

// Letters, digits, '-' and '_': what papo-app sends (hex), nothing that
// could need escaping in a log line.
bool IsSessionIdText(std::string_view text) {
  for (char c : text) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool ParseNonNegative(std::string_view text, int64_t& out) {
  if (text.empty() || text.size() > 18) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size() && out >= 0;
}

bool ParsePositive(std::string_view text, int64_t& out) { return ParseNonNegative(text, out) && out > 0; }

Status Bad(std::string message) { return Status::InvalidArgument(std::move(message)); }

Status ReadUser(const HttpRequest& http, StreamRequest& request) {
  auto id = http.Header("X-Papo-User-Id");
  auto name = http.Header("X-Papo-User-Name");
  if (!id || !name) return Status::Unauthenticated("missing X-Papo-User-Id / X-Papo-User-Name");
  if (http.HeaderCount("X-Papo-User-Id") != 1 || http.HeaderCount("X-Papo-User-Name") != 1) {
    return Bad("repeated user header");
  }
  if (!ParsePositive(*id, request.usuario_id)) return Bad("X-Papo-User-Id: not a positive integer");
  auto decoded = PercentDecode(*name);
  if (!decoded.ok()) return Bad("X-Papo-User-Name: bad percent encoding");
  if (decoded->size() > kMaxNameBytes || !IsValidUtf8(*decoded)) return Bad("X-Papo-User-Name: not valid UTF-8");
  request.usuario_nome = std::move(decoded).value();
  if (auto expires = http.Header("X-Papo-Session-Expires")) {
    int64_t seconds = 0;
    if (!ParseNonNegative(*expires, seconds)) return Bad("X-Papo-Session-Expires: not unix seconds");
    request.session_expires_s = seconds;
  }
  if (auto session = http.Header("X-Papo-Session-Id"); session && !session->empty()) {
    if (session->size() > kMaxSessionIdBytes || !IsSessionIdText(*session)) return Bad("X-Papo-Session-Id: not a short token");
    request.session_id = std::string(*session);
  }
  return Status::Ok();
}

Status ReadRoom(const HttpRequest& http, const FormFields& query, StreamRequest& request) {
  request.kind = StreamRequest::Kind::kRoom;
  if (!ParsePositive(query.GetOr("sala_id", ""), request.sala_id)) return Bad("sala_id: not a positive integer");
  if (auto desde = query.Get("desde"); desde && !desde->empty()) {
    int64_t seq = 0;
    if (!ParseNonNegative(*desde, seq)) return Bad("desde: not a non-negative integer");
    request.after_seq = seq;
  }
  // The browser's Last-Event-ID is newer than the desde of the page that
  // opened the stream. A value we never sent (not a non-negative integer)
  // is ignored, not an error like a bad desde: the browser resends
  // whatever id it last got on every reconnect, so a 400 would be retried
  // forever; desde (or live only) applies instead. README documents it.
  if (auto last_id = http.Header("Last-Event-ID")) {
    int64_t seq = 0;
    if (ParseNonNegative(*last_id, seq)) request.after_seq = seq;
  }
  auto privada = http.Header("X-Papo-Sala-Privada").value_or("0");
  if (privada != "0" && privada != "1") return Bad("X-Papo-Sala-Privada: expected 0 or 1");
  request.sala_privada = privada == "1";
  return Status::Ok();
}

}  // namespace

Result<StreamRequest> ParseStreamRequest(const HttpRequest& http) {
  StreamRequest request;
  PAPO_RETURN_IF_ERROR(ReadUser(http, request));
  auto query = ParseForm(http.query);
  if (!query.ok()) return Bad("query: bad percent encoding");
  bool wants_list = query->Has("lista");
  bool wants_room = query->Has("sala_id");
  if (wants_list == wants_room) return Bad("expected either sala_id or lista=1");
  if (wants_room) {
    PAPO_RETURN_IF_ERROR(ReadRoom(http, *query, request));
    return request;
  }
  if (query->GetOr("lista", "") != "1") return Bad("lista: expected 1");
  request.kind = StreamRequest::Kind::kList;
  return request;
}

}  // namespace papo::pusher
