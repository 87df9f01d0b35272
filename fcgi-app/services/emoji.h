// The emoji a reaction may carry (DESIGN §9): one of the palette the page
// offers, or any other single emoji grapheme.
#pragma once

#include <array>
#include <string_view>

namespace papo {

// The reaction palette, in the order the page shows it (the one list of it).
inline constexpr std::array<std::string_view, 8> kReactionPalette = {
    "\U0001F44D",        // 👍
    "\u2764\uFE0F",      // ❤️
    "\U0001F602",        // 😂
    "\U0001F62E",        // 😮
    "\U0001F622",        // 😢
    "\U0001F389",        // 🎉
    "\U0001F64F",        // 🙏
    "\U0001F440",        // 👀
};

// A reaction's emoji is at most this many bytes (a family or a subdivision
// flag fits; the longest kiss sequences with two skin tones do not).
inline constexpr size_t kMaxEmojiBytes = 32;

// True when `text` is exactly one emoji: a palette entry, or one of
//  - a pictograph (the common Extended_Pictographic ranges); one whose
//    default look is text (❤, ☺, ©…) needs U+FE0F when it stands alone;
//    optionally followed by U+FE0F or a skin-tone modifier (U+1F3FB..FF);
//  - such pictographs joined by U+200D (ZWJ sequences: 👩‍💻, 🏳️‍🌈);
//  - a keycap: 0-9, # or *, optional U+FE0F, U+20E3;
//  - a flag: two regional indicators (🇧🇷), or 🏴 with tag letters and
//    U+E007F (🏴󠁧󠁢󠁳󠁣󠁴󠁿);
// valid UTF-8 of 1..kMaxEmojiBytes bytes. Letters, text beside an emoji,
// two emoji, U+FE0E (text style) and stray joiners or modifiers are not.
bool IsReactionEmoji(std::string_view text);

}  // namespace papo
