// Mentions in a message's text (DESIGN §9): "@" followed by the display
// name of a room member ("@Ana Souza"), and the name matching behind the
// composer's @-completion. Pure functions: the caller brings the members.
//
// Mentions compare names without case (common/case_fold.h), code point by
// code point; completion also ignores accents ("joao" finds "João").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace papo {

// A room member a text may mention.
struct MentionCandidate {
  int64_t id = 0;
  std::string nome;
};

// The ids of the members `text` mentions, ascending, each once, without
// `author_id` (mentioning yourself records nothing). A mention is "@" at
// the start of the text or after a character that is not part of a word
// (so "ana@exemplo.com" mentions no one), then a member's name, ending
// where a word ends ("@Ana" does not mention Ana in "@Anabela"). When
// several names match at one "@", the longest wins ("@Ana Souza" is Ana
// Souza, not Ana); members whose names are equal without case all match.
// Invalid UTF-8 mentions no one.
std::vector<int64_t> FindMentions(std::string_view text, const std::vector<MentionCandidate>& members,
                                  int64_t author_id);

// How `nome` answers what was typed after "@" in the composer, compared
// without case and accents: kWholeName when the name starts with
// `prefix`, kWord when a later word of it does ("sou" finds "Ana Souza"),
// kNone otherwise. An empty prefix matches every name as kWholeName.
enum class PrefixMatch { kNone, kWholeName, kWord };
PrefixMatch MatchNamePrefix(std::string_view nome, std::string_view prefix);

// `text` folded to lower case and stripped of accents (Latin-1 and Latin
// Extended-A letters to their base letter, combining marks U+0300..U+036F
// dropped), as code points. Invalid UTF-8 gives an empty key.
std::u32string NameSearchKey(std::string_view text);

}  // namespace papo
