#include "common/log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace papo {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_component_mutex;
std::string g_component = "papo";

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

void AppendUtcTimestamp(std::string& out) {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  time_t seconds = static_cast<time_t>(ms / 1000);
  struct tm tm_utc;
  gmtime_r(&seconds, &tm_utc);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm_utc.tm_year + 1900,
                tm_utc.tm_mon + 1, tm_utc.tm_mday, tm_utc.tm_hour, tm_utc.tm_min, tm_utc.tm_sec,
                static_cast<int>(ms % 1000));
  out += buffer;
}

}  // namespace

void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level), std::memory_order_relaxed); }

bool ParseLogLevel(std::string_view text, LogLevel& level) {
  for (auto candidate : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (LevelName(candidate) == text) {
      level = candidate;
      return true;
    }
  }
  return false;
}

bool LogEnabled(LogLevel level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

void SetLogComponent(std::string_view component) {
  std::lock_guard lock(g_component_mutex);
  g_component = component;
}

void AppendLogValue(std::string& out, std::string_view value) {
  bool needs_quotes = value.empty();
  for (unsigned char c : value) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) {
    out += value;
    return;
  }
  out += '"';
  for (unsigned char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\x%02x", c);
          out += hex;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

LogLine::LogLine(LogLevel level, std::string_view event) : enabled_(LogEnabled(level)) {
  if (!enabled_) return;
  line_.reserve(160);
  line_ += "ts=";
  AppendUtcTimestamp(line_);
  line_ += " level=";
  line_ += LevelName(level);
  {
    std::lock_guard lock(g_component_mutex);
    line_ += " component=";
    line_ += g_component;
  }
  line_ += " event=";
  AppendLogValue(line_, event);
}

LogLine::~LogLine() {
  if (!enabled_) return;
  line_ += '\n';
  const char* data = line_.data();
  size_t left = line_.size();
  while (left > 0) {
    ssize_t written = ::write(STDERR_FILENO, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report a logging failure
    }
    data += written;
    left -= static_cast<size_t>(written);
  }
}

LogLine& LogLine::Kv(std::string_view key, std::string_view value) {
  if (!enabled_) return *this;
  line_ += ' ';
  line_ += key;
  line_ += '=';
  AppendLogValue(line_, value);
  return *this;
}

LogLine& LogLine::Kv(std::string_view key, int64_t value) {
  if (!enabled_) return *this;
  return Kv(key, std::string_view(std::to_string(value)));
}

LogLine& LogLine::Kv(std::string_view key, uint64_t value) {
  if (!enabled_) return *this;
  return Kv(key, std::string_view(std::to_string(value)));
}

LogLine& LogLine::Kv(std::string_view key, double value) {
  if (!enabled_) return *this;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", value);
  return Kv(key, std::string_view(buffer));
}

}  // namespace papo
