// Case folding for comparing user-chosen names (room names must be unique
// case-insensitively, README). SQLite's NOCASE folds ASCII only, so the
// folded key is computed here and stored beside the name.
//
// Covered (simple one-to-one folding, to lower case): ASCII; Latin-1
// Supplement À..Þ except × (and Ÿ -> ÿ); Latin Extended-A (the upper/lower
// pairs, İ -> i, ſ -> s); basic Greek (Α..Ω, the tonos capitals, final
// ς -> σ); Cyrillic Ѐ..Я and the paired letters U+0460..U+04FF (Ґ, Ӏ ...).
// Everything else passes through unchanged: no normalization (É as E +
// U+0301 stays apart from precomposed É; browsers send NFC), no one-to-many
// folds (ß stays ß), no Armenian, Georgian, Latin Extended-B/Additional.
//
// Why not ICU: Debian 12's libicu72 installs ~36 MB and is a heavy dependency for
// two binaries whose names are pt-BR; these tables cover pt-BR and the
// scripts users most plausibly type. Widening coverage later changes keys:
// it needs a migration that recomputes them (see sql/002_*).
#pragma once

#include <string>
#include <string_view>

namespace papo {

// The lower-case form of `code_point` in the ranges above, else itself.
char32_t FoldCodePoint(char32_t code_point);

// `text` with every code point folded. Invalid UTF-8 is tolerated: then
// only ASCII letters are folded and every other byte is kept as is.
std::string FoldCase(std::string_view text);

}  // namespace papo
