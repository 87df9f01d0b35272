// RoomListService: the room list page (GET /chat/listar-salas, DESIGN §3,
// §9): rooms by most recent activity, in sections (Conversas diretas,
// Salas, Arquivadas), filtered by name, 50 a page.
//
// Sections and pages: the main view (no `secao`) lists every room that is
// not archived, newest activity first, 50 a page, and the page shows its
// direct messages and its other rooms under their own headings. `secao=
// diretas`, `secao=salas` and `secao=arquivadas` list one section alone,
// paginated on its own. `q` keeps the rooms whose name (a direct message's:
// the other person's) contains it, without case or accents.
#pragma once

#include <string>
#include <vector>

#include "fcgi-app/db/room_list_repository.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/services/mention_service.h"
#include "fcgi-app/services/presence_reader.h"

namespace papo {

enum class RoomSection { kPrincipal, kDiretas, kSalas, kArquivadas };

// "" for kPrincipal, else "diretas", "salas", "arquivadas" (the ?secao= value).
std::string_view RoomSectionName(RoomSection secao);
// The section of a ?secao= value ("" is kPrincipal); false when unknown.
bool ParseRoomSection(std::string_view text, RoomSection& secao);

struct RoomListQuery {
  int pagina = 1;  // REQUIRES: >= 1
  RoomSection secao = RoomSection::kPrincipal;
  std::string q;   // "" lists every room of the section
};

struct RoomListItem {
  RoomSummary summary;
  int usuarios_online = 0;
  int64_t mencoes = 0;        // the user's unread mentions in the room (DESIGN §9)
  bool direta_online = false; // a direct message: the other person has an open stream
};

// One page of the room list.
struct RoomListing {
  std::vector<RoomListItem> rooms;  // the page, newest activity first
  RoomListQuery query;
  bool tem_proxima = false;  // a later page has rooms
  // Rooms matching `q` in each section (for the filter links).
  int64_t diretas = 0;
  int64_t salas = 0;
  int64_t arquivadas = 0;
};

class RoomListService final {
 public:
  RoomListService(RoomListRepository& order, RoomRepository& rooms, PresenceReader& presence,
                  MentionService& mentions)
      : order_(order), rooms_(rooms), presence_(presence), mentions_(mentions) {}

  static constexpr int kRoomsPerPage = 50;
  // A page past the end is empty. Cost: one ordering query over the
  // user's rooms (no unread counts), one summary query for the page's
  // rooms, one Redis round trip for presence, one mention count query.
  Result<RoomListing> List(const Session& session, const RoomListQuery& query);

 private:
  RoomListRepository& order_;
  RoomRepository& rooms_;
  PresenceReader& presence_;
  MentionService& mentions_;
};

}  // namespace papo
