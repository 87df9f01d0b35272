#include "fcgi-app/services/search_text.h"

#include <algorithm>
#include <set>

#include "common/utf8.h"
#include "fcgi-app/services/mention_finder.h"

namespace papo {
namespace {

// Letters, digits and marks of any script; not spaces, punctuation,
// symbols, emoji or "_" (unicode61 splits at "_" too).
bool IsSearchWordCodePoint(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (c < 0xC0 || c == 0xD7 || c == 0xF7) return false;  // Latin-1 punctuation and symbols (« ¿ · × ÷)
  if (IsUnicodeSpace(c)) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false;  // general punctuation, symbols, arrows, dingbats
  if (c >= 0x3000 && c <= 0x303F) return false;  // CJK punctuation
  if (c >= 0xFE00 && c <= 0xFE0F) return false;  // variation selectors (emoji presentation)
  if (c >= 0xFF00 && c <= 0xFF0F) return false;  // full-width punctuation
  if (c >= 0x1F000) return false;                // emoji and other symbols
  return true;
}

// A word of a text: its bytes [begin, end).
struct WordSpan {
  size_t begin = 0;
  size_t end = 0;
};

// REQUIRES: valid UTF-8.
std::vector<WordSpan> WordSpans(std::string_view text) {
  std::vector<WordSpan> spans;
  size_t pos = 0;
  bool in_word = false;
  while (pos < text.size()) {
    size_t start = pos;
    bool word = IsSearchWordCodePoint(DecodeUtf8(text, pos));
    if (word && !in_word) spans.push_back({start, pos});
    if (word) spans.back().end = pos;
    in_word = word;
  }
  return spans;
}

void AppendEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendEscaped(out, text);
  return out;
}

std::vector<std::string> SearchWords(std::string_view query) {
  std::vector<std::string> words;
  if (!IsValidUtf8(query)) return words;
  std::set<std::u32string> seen;
  for (const WordSpan& span : WordSpans(query)) {
    std::string_view word = query.substr(span.begin, span.end - span.begin);
    std::u32string key = NameSearchKey(word);
    if (key.empty() || !seen.insert(key).second) continue;
    words.emplace_back(word);
  }
  return words;
}

std::string SearchSnippet(std::string_view message, const std::vector<std::string>& words, int context_words) {
  if (!IsValidUtf8(message)) return EscapeHtml(message);
  std::set<std::u32string> keys;
  for (const std::string& word : words) keys.insert(NameSearchKey(word));
  std::vector<WordSpan> spans = WordSpans(message);
  std::vector<bool> matches(spans.size());
  size_t first = spans.size();
  for (size_t i = 0; i < spans.size(); ++i) {
    matches[i] = keys.count(NameSearchKey(message.substr(spans[i].begin, spans[i].end - spans[i].begin))) > 0;
    if (matches[i] && first == spans.size()) first = i;
  }
  if (first == spans.size()) first = 0;
  size_t context = static_cast<size_t>(std::max(context_words, 0));
  size_t from = first > context ? first - context : 0;
  size_t to = std::min(spans.size(), first + context + 1);  // words [from, to)
  size_t begin = from == 0 || spans.empty() ? 0 : spans[from].begin;
  size_t end = to == spans.size() ? message.size() : spans[to - 1].end;
  std::string out;
  if (begin > 0) out += "…";
  size_t at = begin;
  for (size_t i = from; i < to; ++i) {
    if (!matches[i]) continue;
    AppendEscaped(out, message.substr(at, spans[i].begin - at));
    out += "<mark>";
    AppendEscaped(out, message.substr(spans[i].begin, spans[i].end - spans[i].begin));
    out += "</mark>";
    at = spans[i].end;
  }
  AppendEscaped(out, message.substr(at, end - at));
  if (end < message.size()) out += "…";
  return out;
}

}  // namespace papo
