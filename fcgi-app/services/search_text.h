// The words of a message search (DESIGN §9, GET /chat/buscar) and the
// highlighted snippet of a result. Pure functions, the same for both
// backends: the snippet is built here, never by the database.
//
// A word is a run of letters and digits (anything else separates words, as
// for SQLite's unicode61 tokenizer and PostgreSQL's default parser): Latin,
// Greek, Cyrillic and other scripts' letters, combining marks inside a
// word, but no spaces, punctuation, symbols, emoji or "_". Words compare
// without case and accents (mention_finder.h NameSearchKey: "acao" is
// "AÇÃO" is "ação").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace papo {

// The words of `query` as typed, in order, each once (words equal without
// case and accents count once). Invalid UTF-8 has no words.
std::vector<std::string> SearchWords(std::string_view query);

// Words to show either side of the first match in a snippet.
inline constexpr int kSnippetContextWords = 12;

// HTML: the part of `message` around the first word equal to one of
// `words` (without case and accents), up to `context_words` words either
// side, "…" where the message was cut, every matching word inside
// <mark>…</mark>. Everything else is escaped (& < > " '), so the result is
// safe to insert as HTML. Without a matching word: the message's start.
// Invalid UTF-8: the message escaped whole, without marks.
std::string SearchSnippet(std::string_view message, const std::vector<std::string>& words,
                          int context_words = kSnippetContextWords);

// `text` with & < > " ' as HTML entities.
std::string EscapeHtml(std::string_view text);

}  // namespace papo
