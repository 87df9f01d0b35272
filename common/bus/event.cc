#include "common/bus/event.h"

#include <array>
#include <utility>

namespace papo {
namespace {

constexpr std::array<std::pair<EventKind, std::string_view>, 14> kNames = {{
    {EventKind::kMessage, "mensagem"},
    {EventKind::kTyping, "digitando"},
    {EventKind::kRead, "leitura"},
    {EventKind::kPresence, "presenca"},
    {EventKind::kRoom, "sala"},
    {EventKind::kActivity, "atividade"},
    {EventKind::kResync, "ressincronizar"},
    {EventKind::kEdited, "mensagem_editada"},
    {EventKind::kDeleted, "mensagem_excluida"},
    {EventKind::kReaction, "reacao"},
    {EventKind::kStatus, "status"},
    {EventKind::kMention, "mencao"},
    {EventKind::kRoomUpdated, "sala_atualizada"},
    {EventKind::kRoomRemoved, "sala_removida"},
}};

}  // namespace

std::string_view EventKindName(EventKind kind) {
  for (const auto& [k, name] : kNames) {
    if (k == kind) return name;
  }
  return "mensagem";
}

bool IsMessageChange(EventKind kind) {
  return kind == EventKind::kEdited || kind == EventKind::kDeleted || kind == EventKind::kReaction ||
         kind == EventKind::kStatus;
}

bool ParseEventKind(std::string_view name, EventKind& kind) {
  for (const auto& [k, n] : kNames) {
    if (n == name) {
      kind = k;
      return true;
    }
  }
  return false;
}

}  // namespace papo
