#include "fcgi-app/services/room_list_service.h"

#include "fcgi-app/services/mention_finder.h"

namespace papo {
namespace {

bool InSection(const RoomListEntry& room, RoomSection secao) {
  switch (secao) {
    case RoomSection::kPrincipal: return !room.arquivada;
    case RoomSection::kDiretas: return !room.arquivada && room.direta;
    case RoomSection::kSalas: return !room.arquivada && !room.direta;
    case RoomSection::kArquivadas: return room.arquivada;
  }
  return false;
}

}  // namespace

std::string_view RoomSectionName(RoomSection secao) {
  switch (secao) {
    case RoomSection::kPrincipal: return "";
    case RoomSection::kDiretas: return "diretas";
    case RoomSection::kSalas: return "salas";
    case RoomSection::kArquivadas: return "arquivadas";
  }
  return "";
}

bool ParseRoomSection(std::string_view text, RoomSection& secao) {
  for (RoomSection candidate :
       {RoomSection::kPrincipal, RoomSection::kDiretas, RoomSection::kSalas, RoomSection::kArquivadas}) {
    if (text == RoomSectionName(candidate)) {
      secao = candidate;
      return true;
    }
  }
  return false;
}

Result<RoomListing> RoomListService::List(const Session& session, const RoomListQuery& query) {
  auto ordered = order_.Ordered(session.usuario_id, !query.q.empty());
  if (!ordered.ok()) return ordered.status();
  RoomListing page;
  page.query = query;
  std::u32string wanted = NameSearchKey(query.q);
  // The page's ids, in order; and the sections' counts on the way.
  int64_t first = int64_t{query.pagina - 1} * kRoomsPerPage;
  int64_t position = 0;
  std::vector<int64_t> ids;
  for (const auto& room : *ordered) {
    if (!wanted.empty() && NameSearchKey(room.nome).find(wanted) == std::u32string::npos) continue;
    if (room.arquivada) {
      ++page.arquivadas;
    } else {
      ++(room.direta ? page.diretas : page.salas);
    }
    if (!InSection(room, query.secao)) continue;
    if (position >= first && position < first + kRoomsPerPage) ids.push_back(room.id);
    if (position == first + kRoomsPerPage) page.tem_proxima = true;
    ++position;
  }
  auto summaries = rooms_.SummariesOf(session.usuario_id, ids);
  if (!summaries.ok()) return summaries.status();
  std::vector<int64_t> others;
  for (const auto& summary : *summaries) {
    if (summary.room.direta && summary.room.direta_com > 0) others.push_back(summary.room.direta_com);
  }
  ListPresence presence = presence_.ForList(ids, others);
  auto mentions = mentions_.UnreadCounts(session.usuario_id);  // one query for every room
  if (!mentions.ok()) return mentions.status();
  page.rooms.reserve(summaries->size());
  for (auto& summary : *summaries) {
    RoomListItem item;
    auto online = presence.salas.find(summary.room.id);
    item.usuarios_online = online == presence.salas.end() ? 0 : online->second;
    auto unread_mentions = mentions->find(summary.room.id);
    item.mencoes = unread_mentions == mentions->end() ? 0 : unread_mentions->second;
    item.direta_online = summary.room.direta && presence.usuarios.count(summary.room.direta_com) > 0;
    item.summary = std::move(summary);
    page.rooms.push_back(std::move(item));
  }
  return page;
}

}  // namespace papo
