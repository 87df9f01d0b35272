#include "common/time_format.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace papo {

void InitTimeZone() {
  if (std::getenv("TZ") == nullptr) setenv("TZ", "America/Sao_Paulo", 0);
  tzset();
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatIso8601(int64_t epoch_ms) {
  int64_t seconds = epoch_ms / 1000;
  int millis = static_cast<int>(epoch_ms % 1000);
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  time_t t = static_cast<time_t>(seconds);
  struct tm local;
  localtime_r(&t, &local);
  long offset_minutes = local.tm_gmtoff / 60;
  char sign = offset_minutes < 0 ? '-' : '+';
  if (offset_minutes < 0) offset_minutes = -offset_minutes;
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02ld:%02ld",
                local.tm_year + 1900, local.tm_mon + 1, local.tm_mday, local.tm_hour, local.tm_min,
                local.tm_sec, millis, sign, offset_minutes / 60, offset_minutes % 60);
  return buffer;
}

}  // namespace papo
