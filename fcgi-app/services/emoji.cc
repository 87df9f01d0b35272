#include "fcgi-app/services/emoji.h"

#include <vector>

#include "common/utf8.h"

namespace papo {
namespace {

constexpr char32_t kZwj = 0x200D;
constexpr char32_t kEmojiStyle = 0xFE0F;
constexpr char32_t kKeycap = 0x20E3;
constexpr char32_t kBlackFlag = 0x1F3F4;
constexpr char32_t kCancelTag = 0xE007F;

struct Range {
  char32_t first;
  char32_t last;
};

bool InRanges(char32_t c, const Range* ranges, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (c >= ranges[i].first && c <= ranges[i].last) return true;
  }
  return false;
}

// Extended_Pictographic below U+1F000 (emoji-data.txt, Unicode 15): the
// symbols that can be emoji. Most look like text unless U+FE0F follows.
constexpr Range kBmpPictographs[] = {
    {0x00A9, 0x00A9}, {0x00AE, 0x00AE}, {0x203C, 0x203C}, {0x2049, 0x2049}, {0x2122, 0x2122},
    {0x2139, 0x2139}, {0x2194, 0x2199}, {0x21A9, 0x21AA}, {0x231A, 0x231B}, {0x2328, 0x2328},
    {0x2388, 0x2388}, {0x23CF, 0x23CF}, {0x23E9, 0x23F3}, {0x23F8, 0x23FA}, {0x24C2, 0x24C2},
    {0x25AA, 0x25AB}, {0x25B6, 0x25B6}, {0x25C0, 0x25C0}, {0x25FB, 0x25FE}, {0x2600, 0x2605},
    {0x2607, 0x2612}, {0x2614, 0x2685}, {0x2690, 0x2705}, {0x2708, 0x2712}, {0x2714, 0x2714},
    {0x2716, 0x2716}, {0x271D, 0x271D}, {0x2721, 0x2721}, {0x2728, 0x2728}, {0x2733, 0x2734},
    {0x2744, 0x2744}, {0x2747, 0x2747}, {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755},
    {0x2757, 0x2757}, {0x2763, 0x2767}, {0x2795, 0x2797}, {0x27A1, 0x27A1}, {0x27B0, 0x27B0},
    {0x27BF, 0x27BF}, {0x2934, 0x2935}, {0x2B05, 0x2B07}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50},
    {0x2B55, 0x2B55}, {0x3030, 0x3030}, {0x303D, 0x303D}, {0x3297, 0x3297}, {0x3299, 0x3299},
};

// Of those, the ones shown as emoji by default (Emoji_Presentation).
constexpr Range kBmpEmojiPresentation[] = {
    {0x231A, 0x231B}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3}, {0x25FD, 0x25FE},
    {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
    {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4},
    {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD},
    {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E},
    {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
};

// Extended_Pictographic from U+1F000 on, without the regional indicators
// (flags, below), the skin-tone modifiers (they follow a base) and the
// unassigned block U+1FC00..U+1FFFD.
constexpr Range kAstralPictographs[] = {
    {0x1F000, 0x1F0FF}, {0x1F10D, 0x1F10F}, {0x1F12F, 0x1F12F}, {0x1F16C, 0x1F171}, {0x1F17E, 0x1F17F},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F201, 0x1F20F}, {0x1F21A, 0x1F21A}, {0x1F22F, 0x1F22F},
    {0x1F232, 0x1F23A}, {0x1F23C, 0x1F23F}, {0x1F249, 0x1F3FA}, {0x1F400, 0x1F53D}, {0x1F546, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F774, 0x1F77F}, {0x1F7D5, 0x1F7FF}, {0x1F80C, 0x1F80F}, {0x1F848, 0x1F84F},
    {0x1F85A, 0x1F85F}, {0x1F888, 0x1F88F}, {0x1F8AE, 0x1F8FF}, {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945},
    {0x1F947, 0x1FAFF},
};

bool IsSkinTone(char32_t c) { return c >= 0x1F3FB && c <= 0x1F3FF; }
bool IsRegionalIndicator(char32_t c) { return c >= 0x1F1E6 && c <= 0x1F1FF; }
bool IsTagLetter(char32_t c) { return c >= 0xE0020 && c <= 0xE007E; }
bool IsKeycapBase(char32_t c) { return (c >= '0' && c <= '9') || c == '#' || c == '*'; }

bool IsPictograph(char32_t c) {
  if (IsSkinTone(c)) return false;
  if (c < 0x1F000) return InRanges(c, kBmpPictographs, std::size(kBmpPictographs));
  return InRanges(c, kAstralPictographs, std::size(kAstralPictographs));
}

// Shown as emoji without U+FE0F.
bool HasEmojiPresentation(char32_t c) {
  if (c >= 0x1F000) return true;
  return InRanges(c, kBmpEmojiPresentation, std::size(kBmpEmojiPresentation));
}

bool IsKeycap(const std::vector<char32_t>& cps) {
  if (cps.size() == 2) return IsKeycapBase(cps[0]) && cps[1] == kKeycap;
  return cps.size() == 3 && IsKeycapBase(cps[0]) && cps[1] == kEmojiStyle && cps[2] == kKeycap;
}

bool IsFlag(const std::vector<char32_t>& cps) {
  if (cps.size() == 2) return IsRegionalIndicator(cps[0]) && IsRegionalIndicator(cps[1]);
  // 🏴 + tag letters + cancel tag: the subdivision flags (England, Scotland, Wales).
  if (cps.size() < 3 || cps[0] != kBlackFlag || cps.back() != kCancelTag) return false;
  for (size_t i = 1; i + 1 < cps.size(); ++i) {
    if (!IsTagLetter(cps[i])) return false;
  }
  return true;
}

// pictograph (U+FE0F | skin tone)? ( ZWJ pictograph (U+FE0F | skin tone)? )*
bool IsPictographSequence(const std::vector<char32_t>& cps) {
  size_t i = 0;
  size_t elements = 0;
  bool bare_text_style = false;  // an element that would look like text
  while (true) {
    if (i >= cps.size() || !IsPictograph(cps[i])) return false;
    char32_t base = cps[i++];
    bool styled = false;
    if (i < cps.size() && (cps[i] == kEmojiStyle || IsSkinTone(cps[i]))) {
      styled = true;
      ++i;
    }
    if (!styled && !HasEmojiPresentation(base)) bare_text_style = true;
    ++elements;
    if (i == cps.size()) break;
    if (cps[i] != kZwj) return false;
    ++i;
  }
  // Inside a ZWJ sequence the joined whole is the emoji (👁‍🗨 has no
  // U+FE0F); alone, a text-style symbol ("©", "☺") is text.
  return elements > 1 || !bare_text_style;
}

}  // namespace

bool IsReactionEmoji(std::string_view text) {
  if (text.empty() || text.size() > kMaxEmojiBytes || !IsValidUtf8(text)) return false;
  for (std::string_view entry : kReactionPalette) {
    if (text == entry) return true;
  }
  std::vector<char32_t> cps;
  for (size_t pos = 0; pos < text.size();) cps.push_back(DecodeUtf8(text, pos));
  return IsKeycap(cps) || IsFlag(cps) || IsPictographSequence(cps);
}

}  // namespace papo
