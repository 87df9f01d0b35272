#include "fcgi-app/redis/redis_presence_reader.h"

#include <algorithm>
#include <set>

#include "common/bus/names.h"
#include "common/time_format.h"

namespace papo {
namespace {

std::vector<std::string> LiveMembersCommand(int64_t sala_id, int64_t now_ms) {
  return {"ZRANGEBYSCORE", PresenceKey(sala_id), std::to_string(now_ms), "+inf"};
}

// Distinct users among the members of one ZRANGEBYSCORE reply.
std::vector<OnlineUser> DistinctUsers(const redisReply* reply) {
  std::vector<OnlineUser> users;
  if (reply == nullptr || reply->type != REDIS_REPLY_ARRAY) return users;
  std::set<int64_t> seen;
  for (size_t i = 0; i < reply->elements; ++i) {
    const redisReply* member = reply->element[i];
    if (member->type != REDIS_REPLY_STRING) continue;
    auto entry = ParsePresenceMember(std::string_view(member->str, member->len));
    if (!entry || !seen.insert(entry->usuario_id).second) continue;
    users.push_back({entry->usuario_id, std::string(entry->nome)});
  }
  return users;
}

}  // namespace

std::vector<OnlineUser> RedisPresenceReader::Online(int64_t sala_id) {
  auto reply = client_.Command(LiveMembersCommand(sala_id, NowMillis()));
  if (!reply.ok()) return {};
  auto users = DistinctUsers(reply->get());
  std::sort(users.begin(), users.end(), [](const auto& a, const auto& b) { return a.nome < b.nome; });
  return users;
}

std::map<int64_t, int> RedisPresenceReader::Counts(const std::vector<int64_t>& salas) {
  std::map<int64_t, int> counts;
  if (salas.empty()) return counts;
  std::vector<std::vector<std::string>> commands;
  int64_t now_ms = NowMillis();
  for (int64_t sala : salas) commands.push_back(LiveMembersCommand(sala, now_ms));
  auto replies = client_.Pipeline(commands);
  if (!replies.ok()) return counts;
  for (size_t i = 0; i < salas.size(); ++i) {
    counts[salas[i]] = static_cast<int>(DistinctUsers((*replies)[i].get()).size());
  }
  return counts;
}

ListPresence RedisPresenceReader::ForList(const std::vector<int64_t>& salas, const std::vector<int64_t>& usuarios) {
  ListPresence presence;
  if (salas.empty() && usuarios.empty()) return presence;
  std::vector<std::vector<std::string>> commands;
  int64_t now_ms = NowMillis();
  for (int64_t sala : salas) commands.push_back(LiveMembersCommand(sala, now_ms));
  // A stream's member lives while its expiry (the score) is in the future.
  std::string after_now = "(" + std::to_string(now_ms);
  for (int64_t usuario : usuarios) commands.push_back({"ZCOUNT", UserStreamsKey(usuario), after_now, "+inf"});
  auto replies = client_.Pipeline(commands);
  if (!replies.ok()) return presence;
  for (size_t i = 0; i < salas.size(); ++i) {
    presence.salas[salas[i]] = static_cast<int>(DistinctUsers((*replies)[i].get()).size());
  }
  for (size_t i = 0; i < usuarios.size(); ++i) {
    const redisReply* reply = (*replies)[salas.size() + i].get();
    if (reply != nullptr && reply->type == REDIS_REPLY_INTEGER && reply->integer > 0) presence.usuarios.insert(usuarios[i]);
  }
  return presence;
}

}  // namespace papo
