// SearchRepository: message search (DESIGN §9, GET /chat/buscar) over the
// full-text index of each backend: SQLite's FTS5 table chat_mensagem_busca
// (sql/sqlite/005_busca.sql), PostgreSQL's chat_mensagem.busca tsvector
// with its GIN index (sql/postgres/004_busca.sql). Both fold case and
// accents and match whole words; each backend owns its query.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fcgi-app/db/database.h"

namespace papo {

struct MessageSearch {
  int64_t usuario_id = 0;          // the reader: only rooms they may see now
  std::vector<std::string> words;  // search_text.h SearchWords: every one must appear
  int64_t sala_id = 0;             // > 0: only this room
  int64_t antes_id = 0;            // > 0: only messages with id < antes_id
  int limit = 20;
};

class SearchRepository final {
 public:
  explicit SearchRepository(Database& db) : db_(db) {}

  // Ids of the messages that hold every word, newest (highest id) first,
  // at most `limit`: never a tombstone, only in active rooms the reader may
  // see at the time of the query (public, or private with a sala_membro
  // row). The room rule is part of the query, so a page is `limit` visible
  // results whatever the invisible rooms hold. REQUIRES: words not empty,
  // each a run of letters and digits.
  Result<std::vector<int64_t>> Search(const MessageSearch& search);

 private:
  Database& db_;
};

}  // namespace papo
