#include "common/bus/names.h"

#include <charconv>

namespace papo {
namespace {

bool ParseInt64(std::string_view text, int64_t& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && ptr == text.data() + text.size();
}

// Splits off the text up to the next space.
std::string_view NextField(std::string_view& rest) {
  auto space = rest.find(' ');
  auto field = rest.substr(0, space);
  rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  return field;
}

// Names in braces are Redis Cluster hash tags: everything of one room (its
// channel, cache, presence, private list channel) hashes to one slot, so the
// scripts that touch several of them run on one node; likewise one user's.
std::string RoomTag(int64_t sala_id) { return "{sala:" + std::to_string(sala_id) + "}"; }
std::string UserTag(int64_t usuario_id) { return "{usuario:" + std::to_string(usuario_id) + "}"; }

}  // namespace

std::string RoomChannel(int64_t sala_id) { return "papo:" + RoomTag(sala_id); }
std::string PublicListChannel() { return "papo:lista"; }
std::string PrivateListChannel(int64_t sala_id) { return "papo:lista:" + RoomTag(sala_id); }
std::string UserChannel(int64_t usuario_id) { return "papo:" + UserTag(usuario_id); }
std::string SessionsChannel() { return "papo:sessoes"; }
std::string PusherControlChannel(std::string_view pusher_id) { return "papo:pusher:" + std::string(pusher_id); }
std::string RecentCacheKey(int64_t sala_id) { return RoomChannel(sala_id) + ":recentes"; }
std::string ChangeLogKey(int64_t sala_id) { return RoomChannel(sala_id) + ":alteracoes"; }
std::string DeliveredKey(int64_t sala_id) { return RoomChannel(sala_id) + ":entregues"; }
std::string PresenceKey(int64_t sala_id) { return RoomChannel(sala_id) + ":presenca"; }
std::string PrivateRoomsKey(int64_t usuario_id) { return UserChannel(usuario_id) + ":salas-privadas"; }

bool IsShardedChannel(std::string_view channel) {
  return channel.find("{sala:") != std::string_view::npos || channel.find("{usuario:") != std::string_view::npos;
}

std::string_view PublishVerb(RedisMode mode, std::string_view channel) {
  return mode == RedisMode::kCluster && IsShardedChannel(channel) ? "SPUBLISH" : "PUBLISH";
}

std::string UserStreamsKey(int64_t usuario_id) { return UserChannel(usuario_id) + ":conexoes"; }

std::string RateLimitKey(std::string_view scope, std::string_view key, int64_t window) {
  std::string name = "papo:limite:";
  name += scope;
  name += ':';
  name += key;
  name += ':';
  name += std::to_string(window);
  return name;
}

std::string RateLimitKey(std::string_view scope, int64_t usuario_id, int64_t window) {
  return RateLimitKey(scope, std::string_view(std::to_string(usuario_id)), window);
}

std::string ListChannelFor(int64_t sala_id, bool privada) {
  return privada ? PrivateListChannel(sala_id) : PublicListChannel();
}

std::string EncodeEnvelope(EventKind kind, int64_t sala_id, int64_t seq, bool privada,
                           std::string_view json) {
  std::string out(EventKindName(kind));
  out += ' ';
  out += std::to_string(sala_id);
  out += ' ';
  out += std::to_string(seq);
  out += privada ? " 1\n" : " 0\n";
  out += json;
  return out;
}

std::optional<Envelope> DecodeEnvelope(std::string_view payload) {
  auto newline = payload.find('\n');
  if (newline == std::string_view::npos) return std::nullopt;
  std::string_view header = payload.substr(0, newline);
  Envelope envelope{};
  if (!ParseEventKind(NextField(header), envelope.kind)) return std::nullopt;
  if (!ParseInt64(NextField(header), envelope.sala_id)) return std::nullopt;
  if (!ParseInt64(NextField(header), envelope.seq)) return std::nullopt;
  auto privada = NextField(header);
  if (!header.empty() || (privada != "0" && privada != "1")) return std::nullopt;
  envelope.privada = privada == "1";
  envelope.json = payload.substr(newline + 1);
  return envelope;
}

std::string PresenceMember(int64_t usuario_id, std::string_view pusher_id, std::string_view nome) {
  std::string member = std::to_string(usuario_id);
  member += ':';
  for (char c : pusher_id) member += c == ':' ? '_' : c;
  member += ':';
  member += nome;
  return member;
}

std::optional<PresenceEntry> ParsePresenceMember(std::string_view member) {
  auto first = member.find(':');
  if (first == std::string_view::npos) return std::nullopt;
  auto second = member.find(':', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  PresenceEntry entry{};
  if (!ParseInt64(member.substr(0, first), entry.usuario_id)) return std::nullopt;
  entry.pusher_id = member.substr(first + 1, second - first - 1);
  entry.nome = member.substr(second + 1);
  return entry;
}

}  // namespace papo
