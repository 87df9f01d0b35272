#include "bench/loadgen/worker_report.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>

namespace papo::bench {
namespace {

// The numeric fields, in line order: name and address in the report.
template <typename Report, typename F>
void ForEachCounter(Report& r, F&& f) {
  f("established", r.established);
  f("failed", r.failed);
  f("disconnects", r.disconnects);
  f("reconnects", r.reconnects);
  f("reconnect_failures", r.reconnect_failures);
  f("refused_5xx", r.refused_5xx);
  f("refused_other", r.refused_other);
  f("bytes", r.bytes);
  f("reads", r.reads);
  f("expected", r.deliveries.expected);
  f("unique", r.deliveries.unique);
  f("duplicates", r.deliveries.duplicates);
  f("out_of_order", r.deliveries.out_of_order);
  f("wrong_room", r.deliveries.wrong_room);
  f("unexpected", r.deliveries.unexpected);
  f("marked", r.sse.marked);
  f("unmarked", r.sse.unmarked);
  f("named", r.sse.named);
  f("comments", r.sse.comments);
}

}  // namespace

std::string WorkerReport::ToLine() const {
  std::string line = "final";
  ForEachCounter(*this, [&line](const char* name, uint64_t value) {
    line += ' ';
    line += name;
    line += '=';
    line += std::to_string(value);
  });
  char cpu[64];
  std::snprintf(cpu, sizeof(cpu), " cpu_s=%.4f first_ns=%llu last_ns=%llu", cpu_s,
                static_cast<unsigned long long>(deliveries.first_ns),
                static_cast<unsigned long long>(deliveries.last_ns));
  line += cpu;
  line += " hist=";
  line += latency.Serialize();
  return line;
}

bool WorkerReport::MergeLine(std::string_view line) {
  if (line.substr(0, 6) != "final ") return false;
  line.remove_prefix(6);
  WorkerReport other;
  bool ok = true;
  while (!line.empty() && ok) {
    auto space = line.find(' ');
    std::string_view item = line.substr(0, space);
    line = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
    auto equals = item.find('=');
    if (equals == std::string_view::npos) return false;
    std::string_view key = item.substr(0, equals);
    std::string_view value = item.substr(equals + 1);
    if (key == "hist") {
      ok = latency.MergeSerialized(value);
    } else if (key == "cpu_s") {
      cpu_s += std::strtod(std::string(value).c_str(), nullptr);
    } else if (key == "first_ns" || key == "last_ns") {
      uint64_t ns = 0;
      std::from_chars(value.data(), value.data() + value.size(), ns);
      if (key == "first_ns" && ns && (!deliveries.first_ns || ns < deliveries.first_ns)) deliveries.first_ns = ns;
      if (key == "last_ns" && ns > deliveries.last_ns) deliveries.last_ns = ns;
    } else {
      ForEachCounter(other, [&](const char* name, uint64_t& field) {
        if (key == name) std::from_chars(value.data(), value.data() + value.size(), field);
      });
    }
  }
  // Add other's counters into ours, field by field in the same order.
  uint64_t* mine[32];
  int n = 0;
  ForEachCounter(*this, [&](const char*, uint64_t& field) { mine[n++] = &field; });
  int i = 0;
  ForEachCounter(other, [&](const char*, uint64_t& field) { *mine[i++] += field; });
  return ok;
}

bool ReadAvailable(int fd, std::string& buffer) {
  char chunk[65536];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n > 0) {
      buffer.append(chunk, static_cast<size_t>(n));
      if (static_cast<size_t>(n) < sizeof(chunk)) return true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;
    return false;
  }
}

bool WriteLine(int fd, std::string_view line) {
  std::string out(line);
  out += '\n';
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = write(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      pollfd wait{fd, POLLOUT, 0};
      poll(&wait, 1, 1000);
      continue;
    }
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace papo::bench
