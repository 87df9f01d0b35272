#include "fcgi-app/services/search_service.h"

#include <map>

#include "fcgi-app/services/room_access.h"
#include "fcgi-app/services/search_text.h"

namespace papo {

Result<SearchPage> SearchService::Search(const Session& session, const SearchInput& input) {
  if (input.sala_id > 0) {
    auto room = CheckRoomAccess(rooms_, input.sala_id, session.usuario_id);
    if (!room.ok()) return room.status();
  }
  MessageSearch search;
  search.usuario_id = session.usuario_id;
  search.words = input.words;
  search.sala_id = input.sala_id;
  search.antes_id = input.antes_id;
  search.limit = kResultsPerPage + 1;  // one more tells whether a next page exists
  auto ids = search_.Search(search);
  if (!ids.ok()) return ids.status();
  SearchPage page;
  if (ids->size() > static_cast<size_t>(kResultsPerPage)) {
    ids->resize(kResultsPerPage);
    page.proximo_antes_id = ids->back();
  }
  std::map<int64_t, std::string> room_names;  // a page often holds few rooms
  for (int64_t id : *ids) {
    auto message = messages_.Find(id, session.usuario_id);
    if (!message.ok()) return message.status();
    if (!message->has_value()) continue;  // deleted since the search read it
    SearchResult result;
    result.message = std::move(**message);
    auto name = room_names.find(result.message.sala_id);
    if (name == room_names.end()) {
      auto room = rooms_.FindForUser(result.message.sala_id, session.usuario_id);
      if (!room.ok()) return room.status();
      std::string nome = room->has_value() ? (*room)->room.nome : std::string();
      name = room_names.emplace(result.message.sala_id, std::move(nome)).first;
    }
    result.sala_nome = name->second;
    result.trecho = SearchSnippet(result.message.mensagem, input.words);
    page.results.push_back(std::move(result));
  }
  return page;
}

}  // namespace papo
