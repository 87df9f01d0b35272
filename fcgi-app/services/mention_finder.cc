#include "fcgi-app/services/mention_finder.h"

#include <algorithm>

#include "common/case_fold.h"
#include "common/utf8.h"

namespace papo {
namespace {

// Whether `c` belongs inside a word of a name: letters, digits, marks and
// the scripts beyond Latin-1, but not spaces, punctuation, symbols or emoji.
bool IsWordCodePoint(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  if (c < 0xC0 || c == 0xD7 || c == 0xF7) return false;  // Latin-1 punctuation and symbols (« ¿ · × ÷)
  if (IsUnicodeSpace(c)) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false;  // general punctuation, symbols, arrows, dingbats
  if (c >= 0x3000 && c <= 0x303F) return false;  // CJK punctuation
  if (c >= 0xFE00 && c <= 0xFE0F) return false;  // variation selectors (emoji presentation)
  if (c >= 0x1F000) return false;                // emoji and other symbols
  return true;
}

// Folded code points of `text`; empty when `text` is not valid UTF-8.
std::u32string FoldedCodePoints(std::string_view text) {
  std::u32string out;
  if (!IsValidUtf8(text)) return out;
  size_t pos = 0;
  while (pos < text.size()) out.push_back(FoldCodePoint(DecodeUtf8(text, pos)));
  return out;
}

// The base letter of U+0100..U+017F ('*': none, kept as it is).
constexpr std::string_view kLatinExtendedABase =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi**JjKk*LlLlLlLlLlNnNnNn***OoOoOo**RrRrRrSsSsSsSsTtTtTt"
    "UuUuUuUuUuUuWwYyYZzZzZzs";
static_assert(kLatinExtendedABase.size() == 0x80);

// The unaccented form of a folded code point (itself when it has none).
char32_t BaseLetter(char32_t c) {
  if (c >= 0xE0 && c <= 0xE5) return 'a';
  if (c == 0xE7) return 'c';
  if (c >= 0xE8 && c <= 0xEB) return 'e';
  if (c >= 0xEC && c <= 0xEF) return 'i';
  if (c == 0xF1) return 'n';
  if ((c >= 0xF2 && c <= 0xF6) || c == 0xF8) return 'o';
  if (c >= 0xF9 && c <= 0xFC) return 'u';
  if (c == 0xFD || c == 0xFF) return 'y';
  if (c >= 0x100 && c <= 0x17F) {
    char base = kLatinExtendedABase[c - 0x100];
    if (base != '*') return FoldCodePoint(static_cast<unsigned char>(base));
  }
  return c;
}

bool IsCombiningMark(char32_t c) { return c >= 0x300 && c <= 0x36F; }

// Whether a mention of `name` may end at text[end]: the text ends, or the
// name or the text there is not part of a word.
bool EndsAtWordBoundary(const std::u32string& text, size_t end, const std::u32string& name) {
  return end == text.size() || !IsWordCodePoint(name.back()) || !IsWordCodePoint(text[end]);
}

}  // namespace

std::u32string NameSearchKey(std::string_view text) {
  std::u32string key;
  for (char32_t c : FoldedCodePoints(text)) {
    if (!IsCombiningMark(c)) key.push_back(BaseLetter(c));
  }
  return key;
}

std::vector<int64_t> FindMentions(std::string_view text, const std::vector<MentionCandidate>& members,
                                  int64_t author_id) {
  std::vector<int64_t> found;
  if (text.find('@') == std::string_view::npos) return found;
  std::u32string folded = FoldedCodePoints(text);
  std::vector<std::pair<std::u32string, int64_t>> names;
  names.reserve(members.size());
  for (const auto& member : members) {
    std::u32string name = FoldedCodePoints(member.nome);
    if (!name.empty()) names.emplace_back(std::move(name), member.id);
  }
  std::vector<int64_t> longest;
  for (size_t at = 0; at < folded.size(); ++at) {
    if (folded[at] != U'@' || (at > 0 && IsWordCodePoint(folded[at - 1]))) continue;
    size_t start = at + 1;
    size_t longest_size = 0;
    longest.clear();
    for (const auto& [name, id] : names) {
      if (name.size() < longest_size || folded.size() - start < name.size()) continue;
      if (folded.compare(start, name.size(), name) != 0) continue;
      if (!EndsAtWordBoundary(folded, start + name.size(), name)) continue;
      if (name.size() > longest_size) {
        longest_size = name.size();
        longest.clear();
      }
      longest.push_back(id);
    }
    found.insert(found.end(), longest.begin(), longest.end());
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  found.erase(std::remove(found.begin(), found.end(), author_id), found.end());
  return found;
}

PrefixMatch MatchNamePrefix(std::string_view nome, std::string_view prefix) {
  std::u32string wanted = NameSearchKey(prefix);
  if (wanted.empty()) return PrefixMatch::kWholeName;
  std::u32string name = NameSearchKey(nome);
  if (name.compare(0, wanted.size(), wanted) == 0) return PrefixMatch::kWholeName;
  for (size_t start = 1; start + wanted.size() <= name.size(); ++start) {
    bool word_start = IsWordCodePoint(name[start]) && !IsWordCodePoint(name[start - 1]);
    if (word_start && name.compare(start, wanted.size(), wanted) == 0) return PrefixMatch::kWord;
  }
  return PrefixMatch::kNone;
}

}  // namespace papo
