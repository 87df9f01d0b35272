// SearchService: GET /chat/buscar (DESIGN §9): the messages of the rooms a
// user may see that hold every word of a query, newest first, a page at a
// time, each with its room's name (a direct message's: the other person's)
// and a highlighted snippet (search_text.h).
#pragma once

#include <string>
#include <vector>

#include "common/chat_message.h"
#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/db/models.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/db/search_repository.h"

namespace papo {

// A validated query (search_handlers.cc).
struct SearchInput {
  std::string q;                   // trimmed, 1..kMaxSearchQuery code points
  std::vector<std::string> words;  // SearchWords(q), not empty
  int64_t sala_id = 0;             // > 0: only this room
  int64_t antes_id = 0;            // > 0: the page after a previous one (ids below it)
};

inline constexpr size_t kMaxSearchQuery = 200;

struct SearchResult {
  ChatMessage message;  // as the history gives it to the reader
  std::string sala_nome;
  std::string trecho;   // HTML, escaped, matches in <mark>
};

struct SearchPage {
  std::vector<SearchResult> results;
  // antes_id of the next page; 0 when this page is the last. Keyset: a
  // page stays the same however many messages arrive after it was read.
  int64_t proximo_antes_id = 0;
};

class SearchService final {
 public:
  SearchService(SearchRepository& search, MessageRepository& messages, RoomRepository& rooms)
      : search_(search), messages_(messages), rooms_(rooms) {}

  static constexpr int kResultsPerPage = 20;

  // With input.sala_id: NotFound (unknown or inactive room) and
  // PermissionDenied (private, not a member) as for the room page.
  Result<SearchPage> Search(const Session& session, const SearchInput& input);

 private:
  SearchRepository& search_;
  MessageRepository& messages_;
  RoomRepository& rooms_;
};

}  // namespace papo
