// The search's answers (DESIGN §9, GET /chat/buscar): the JSON body, and
// the search page's model (PageViews::Search, defined in search_views.cc).
#pragma once

#include <string>

#include "fcgi-app/services/field_errors.h"
#include "fcgi-app/services/search_service.h"

namespace papo {

// {"success":true,"resultados":[message object + "sala_nome", "trecho"],
//  "proximo_antes_id":N|null}. trecho is HTML (search_text.h: escaped,
// matches in <mark>), safe to insert as such.
std::string SearchResultsJson(const SearchPage& page);

// The search page: the box as typed, its errors, and the results when the
// query ran (page == nullptr otherwise).
struct SearchPageModel {
  std::string q;
  int64_t sala_id = 0;
  FieldErrors erros;
  const SearchPage* page = nullptr;
};

// The link that opens a room at one message (RoomService::Open's anchor).
std::string MessageLink(int64_t sala_id, int64_t seq);

}  // namespace papo
