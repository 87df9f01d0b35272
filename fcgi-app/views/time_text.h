// Short pt-BR times for pages: "14:05" today, "22/11/2026 14:05" before
// (the browser re-renders them in its own zone; this is the no-JS text).
#pragma once

#include <cstdint>
#include <string>

namespace papo {

std::string ShortTimeText(int64_t epoch_ms, int64_t now_ms);

}  // namespace papo
