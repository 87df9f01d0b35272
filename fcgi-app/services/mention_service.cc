#include "fcgi-app/services/mention_service.h"

#include <algorithm>

#include "common/bus/payloads.h"
#include "common/log.h"
#include "fcgi-app/services/room_access.h"

namespace papo {

Result<std::vector<MentionCandidate>> MentionService::Complete(const Session& session, int64_t sala_id,
                                                               std::string_view prefix) {
  auto room = CheckRoomAccess(rooms_, sala_id, session.usuario_id);
  if (!room.ok()) return room.status();
  auto members = mentions_.Members(sala_id, room->privada);
  if (!members.ok()) return members.status();
  // Members arrive by name: a stable partition keeps that order within
  // whole-name and word matches.
  std::vector<MentionCandidate> whole, words;
  for (auto& member : *members) {
    if (member.id == session.usuario_id) continue;
    switch (MatchNamePrefix(member.nome, prefix)) {
      case PrefixMatch::kWholeName: whole.push_back(std::move(member)); break;
      case PrefixMatch::kWord: words.push_back(std::move(member)); break;
      case PrefixMatch::kNone: break;
    }
    if (whole.size() >= kMaxCompletions) break;
  }
  for (auto& member : words) {
    if (whole.size() >= kMaxCompletions) break;
    whole.push_back(std::move(member));
  }
  return whole;
}

std::vector<int64_t> MentionService::Record(ChatMessage& message, bool privada, bool edited) {
  // On a failure below, message.mencoes stays what is stored (nothing
  // for a new message, the earlier text's for an edit).
  bool has_at = message.mensagem.find('@') != std::string::npos;
  if (!has_at && !edited) return {};
  std::vector<int64_t> found;
  if (has_at) {
    auto members = mentions_.Members(message.sala_id, privada);
    if (!members.ok()) {
      Log(LogLevel::kWarn, "mention_store_failed").Kv("sala_id", message.sala_id).Kv("mensagem_id", message.id)
          .Kv("error", members.status().message());
      return {};
    }
    found = FindMentions(message.mensagem, *members, message.usuario_id);
  }
  auto added = mentions_.Replace(message.id, message.sala_id, message.seq, found);
  if (!added.ok()) {
    Log(LogLevel::kWarn, "mention_store_failed").Kv("sala_id", message.sala_id).Kv("mensagem_id", message.id)
        .Kv("error", added.status().message());
    return {};
  }
  message.mencoes = std::move(found);
  return std::move(added).value();
}

void MentionService::Announce(const ChatMessage& message, bool privada, std::vector<int64_t> mentioned) {
  if (mentioned.empty()) return;
  Status status = publisher_.Publish(MentionEvent(message, privada, std::move(mentioned)));
  if (!status.ok()) {
    Log(LogLevel::kWarn, "mention_publish_dropped").Kv("sala_id", message.sala_id).Kv("mensagem_id", message.id)
        .Kv("error", status.message());
  }
}

}  // namespace papo
