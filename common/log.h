// Structured logging: one line per event, key=value, to stderr (DESIGN §6).
//
//   Log(LogLevel::kWarn, "pusher_slow_client_dropped").Kv("fd", fd).Kv("queued", bytes);
//
// The line is written with a single write(2) when the LogLine is destroyed,
// so lines from several threads never interleave. A line below the current
// level costs one comparison and no allocation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace papo {

enum class LogLevel { kDebug = 0, kInfo, kWarn, kError };

void SetLogLevel(LogLevel level);
bool ParseLogLevel(std::string_view text, LogLevel& level);
bool LogEnabled(LogLevel level);

// Sets the `component=` field every line carries (papo-app, papo-pusher).
void SetLogComponent(std::string_view component);

class LogLine final {
 public:
  LogLine(LogLevel level, std::string_view event);
  ~LogLine();
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;

  LogLine& Kv(std::string_view key, std::string_view value);
  LogLine& Kv(std::string_view key, const char* value) { return Kv(key, std::string_view(value)); }
  LogLine& Kv(std::string_view key, const std::string& value) { return Kv(key, std::string_view(value)); }
  LogLine& Kv(std::string_view key, int64_t value);
  LogLine& Kv(std::string_view key, uint64_t value);
  LogLine& Kv(std::string_view key, int value) { return Kv(key, static_cast<int64_t>(value)); }
  LogLine& Kv(std::string_view key, unsigned value) { return Kv(key, static_cast<uint64_t>(value)); }
  LogLine& Kv(std::string_view key, long long value) { return Kv(key, static_cast<int64_t>(value)); }
  LogLine& Kv(std::string_view key, unsigned long long value) { return Kv(key, static_cast<uint64_t>(value)); }
  LogLine& Kv(std::string_view key, double value);
  LogLine& Kv(std::string_view key, bool value) { return Kv(key, std::string_view(value ? "true" : "false")); }

 private:
  bool enabled_;
  std::string line_;
};

inline LogLine Log(LogLevel level, std::string_view event) { return LogLine(level, event); }

// Appends `value` to `out`, quoted and escaped when it holds a space, a quote,
// '=', or a control character (exposed for tests).
void AppendLogValue(std::string& out, std::string_view value);

}  // namespace papo
