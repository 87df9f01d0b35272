// UTF-8 helpers for validating user text: strict validation (no overlong
// forms, no surrogates, nothing above U+10FFFF), code point counting and
// trimming of Unicode white space, decoding and encoding one code point.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace papo {

bool IsValidUtf8(std::string_view text);

// Number of code points. REQUIRES: IsValidUtf8(text).
size_t CountCodePoints(std::string_view text);

// True for the code points Unicode calls White_Space (ASCII blanks, NBSP,
// U+1680, U+2000..U+200A, U+2028/9, U+202F, U+205F, U+3000) and for the
// invisible U+200B..U+200D and U+FEFF, which users also see as blank.
bool IsUnicodeSpace(char32_t code_point);

// `text` without leading and trailing white space. REQUIRES: valid UTF-8.
std::string_view TrimUnicodeSpace(std::string_view text);

// Decodes the code point starting at text[pos], advancing pos. REQUIRES:
// valid UTF-8 and pos < text.size().
char32_t DecodeUtf8(std::string_view text, size_t& pos);

// Appends `code_point` (a Unicode scalar value) to `out` in UTF-8.
void AppendUtf8(std::string& out, char32_t code_point);

}  // namespace papo
