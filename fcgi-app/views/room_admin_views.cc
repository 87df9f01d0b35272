#include "fcgi-app/views/room_admin_views.h"

namespace papo {

using kainjow::mustache::data;
using kainjow::mustache::list;

void AddRoomAdminData(const Session& session, const RoomPageData& page, data& sala, data& out) {
  const Room& room = page.room;
  sala.set("arquivada", room.arquivada);
  // Invitations: private rooms only, never a direct message (two people by
  // definition) nor an archived room (read-only).
  sala.set("convidavel", room.privada && !room.direta && !room.arquivada);
  // Owner = creator (DESIGN §9); seed rooms have none, a direct message is
  // no one's to rename or archive.
  bool dono = !room.direta && room.criado_por != 0 && room.criado_por == session.usuario_id;
  out.set("dono", dono);
  out.set("arquivar_valor", room.arquivada ? std::string("0") : std::string("1"));
  out.set("arquivar_texto", room.arquivada ? std::string("Desarquivar") : std::string("Arquivar"));
  if (!room.privada || room.direta) return;
  list membros;
  for (const auto& member : page.membros) {
    data item;
    item.set("id", std::to_string(member.usuario_id));
    item.set("nome", member.nome);
    item.set("dono", member.dono);
    item.set("voce", member.usuario_id == session.usuario_id);
    item.set("removivel", dono && !member.dono);
    membros.push_back(item);
  }
  out.set("tem_membros", true);
  out.set("membros", membros);
  out.set("membros_total", std::to_string(page.membros.size()));
  out.set("pode_sair", !dono);
}

}  // namespace papo
