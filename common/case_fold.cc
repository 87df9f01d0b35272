#include "common/case_fold.h"

#include "common/utf8.h"

namespace papo {
namespace {

// In [first, last], the upper-case letter of each pair sits at the even
// (`upper_even`) or odd code point and its lower case right after it.
bool InPairs(char32_t c, char32_t first, char32_t last, bool upper_even) {
  return c >= first && c <= last && ((c % 2 == 0) == upper_even);
}

char32_t FoldLatin(char32_t c) {
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c == 0x130) return 'i';    // İ: lower case is a plain i
  if (c == 0x178) return 0xFF;   // Ÿ -> ÿ
  if (c == 0x17F) return 's';    // ſ (long s) folds to s
  if (InPairs(c, 0x100, 0x12F, true) || InPairs(c, 0x132, 0x137, true) || InPairs(c, 0x139, 0x148, false) ||
      InPairs(c, 0x14A, 0x177, true) || InPairs(c, 0x179, 0x17E, false)) {
    return c + 1;
  }
  return c;
}

char32_t FoldGreek(char32_t c) {
  if ((c >= 0x391 && c <= 0x3A1) || (c >= 0x3A3 && c <= 0x3AB)) return c + 0x20;
  if (c == 0x386) return 0x3AC;                // Ά
  if (c >= 0x388 && c <= 0x38A) return c + 0x25;  // Έ Ή Ί
  if (c == 0x38C) return 0x3CC;                // Ό
  if (c == 0x38E || c == 0x38F) return c + 0x3F;  // Ύ Ώ
  if (c == 0x3C2) return 0x3C3;                // final sigma
  return c;
}

char32_t FoldCyrillic(char32_t c) {
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;
  if (c == 0x4C0) return 0x4CF;  // Ӏ (palochka)
  if (InPairs(c, 0x460, 0x481, true) || InPairs(c, 0x48A, 0x4BF, true) || InPairs(c, 0x4C1, 0x4CE, false) ||
      InPairs(c, 0x4D0, 0x4FF, true)) {
    return c + 1;
  }
  return c;
}

}  // namespace

char32_t FoldCodePoint(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z' ? c + 0x20 : c;
  if (c < 0x180) return FoldLatin(c);
  if (c >= 0x370 && c < 0x400) return FoldGreek(c);
  if (c >= 0x400 && c < 0x500) return FoldCyrillic(c);
  return c;
}

std::string FoldCase(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  if (!IsValidUtf8(text)) {
    for (char c : text) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 0x20) : c;
    return out;
  }
  size_t pos = 0;
  while (pos < text.size()) AppendUtf8(out, FoldCodePoint(DecodeUtf8(text, pos)));
  return out;
}

}  // namespace papo
