// The route table: every route of DESIGN §3 plus the auth_request target.
#include "fcgi-app/handlers/handlers.h"

namespace papo {

std::vector<Route> AppRoutes() {
  return {
      {"GET", "/", Access::kPublic, GetRoot},
      {"GET", "/login", Access::kPublic, GetLogin},
      {"POST", "/login", Access::kPublic, PostLogin},
      {"GET", "/cadastro", Access::kPublic, GetRegistration},
      {"POST", "/cadastro", Access::kPublic, PostRegistration},
      {"POST", "/logout", Access::kPage, PostLogout},
      {"GET", "/chat/listar-salas", Access::kPage, GetRoomList},
      {"POST", "/chat/salas", Access::kPage, PostRoom},
      {"GET", "/chat/sala/{id}", Access::kPage, GetRoom},
      {"POST", "/chat/sala/{id}/membros", Access::kPage, PostRoomMember},
      {"GET", "/chat/sala/{id}/membros", Access::kJson, GetRoomMembers},
      {"POST", "/chat/enviar", Access::kJson, PostSend},
      {"GET", "/chat/mensagens", Access::kJson, GetMessages},
      {"POST", "/chat/lida", Access::kJson, PostRead},
      {"POST", "/chat/digitando", Access::kJson, PostTyping},
      {"POST", "/chat/mensagens/{id}/editar", Access::kJson, PostEditMessage},
      {"POST", "/chat/mensagens/{id}/excluir", Access::kJson, PostDeleteMessage},
      {"POST", "/chat/mensagens/{id}/reacoes", Access::kJson, PostReaction},
      {"POST", "/chat/dm", Access::kPage, PostDirectMessage},
      {"GET", "/chat/pessoas", Access::kJson, GetPeople},
      {"POST", "/chat/sala/{id}/editar", Access::kJson, PostEditRoom},
      {"POST", "/chat/sala/{id}/arquivar", Access::kJson, PostArchiveRoom},
      {"POST", "/chat/sala/{id}/sair", Access::kJson, PostLeaveRoom},
      {"POST", "/chat/sala/{id}/membros/{usuario_id}/remover", Access::kJson, PostRemoveRoomMember},
      {"GET", "/chat/buscar", Access::kPage, GetSearch},
      {"GET", "/internal/auth-stream", Access::kInternal, GetStreamAuth},
  };
}

}  // namespace papo
