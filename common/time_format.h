// Time stamps: papo stores milliseconds since the Unix epoch and shows them
// as ISO-8601 with the offset of the zone in TZ (DESIGN §3), e.g.
// 2026-11-22T10:00:00.123-03:00.
#pragma once

#include <cstdint>
#include <string>

namespace papo {

// Sets TZ to America/Sao_Paulo when the environment has none and loads the
// zone. Call once at start-up, before any thread is started.
void InitTimeZone();

int64_t NowMillis();

// Formats `epoch_ms` in the process's time zone. Thread-safe.
std::string FormatIso8601(int64_t epoch_ms);

}  // namespace papo
