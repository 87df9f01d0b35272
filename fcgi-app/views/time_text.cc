#include "fcgi-app/views/time_text.h"

#include <cstdio>
#include <ctime>

namespace papo {

std::string ShortTimeText(int64_t epoch_ms, int64_t now_ms) {
  time_t when = static_cast<time_t>(epoch_ms / 1000);
  time_t now = static_cast<time_t>(now_ms / 1000);
  struct tm local_when;
  struct tm local_now;
  localtime_r(&when, &local_when);
  localtime_r(&now, &local_now);
  char buffer[64];
  if (local_when.tm_year == local_now.tm_year && local_when.tm_yday == local_now.tm_yday) {
    std::snprintf(buffer, sizeof buffer, "%02d:%02d", local_when.tm_hour, local_when.tm_min);
  } else {
    std::snprintf(buffer, sizeof buffer, "%02d/%02d/%04d %02d:%02d", local_when.tm_mday, local_when.tm_mon + 1,
                  local_when.tm_year + 1900, local_when.tm_hour, local_when.tm_min);
  }
  return buffer;
}

}  // namespace papo
