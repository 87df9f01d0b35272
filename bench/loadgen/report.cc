#include "bench/loadgen/report.h"

#include <cstdarg>
#include <cstdio>

namespace papo::bench {
namespace {

void Append(std::string& out, const char* format, ...) __attribute__((format(printf, 2, 3)));
void Append(std::string& out, const char* format, ...) {
  char line[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(line, sizeof(line), format, args);
  va_end(args);
  out += line;
}

double Ms(uint64_t ns) { return static_cast<double>(ns) / 1e6; }
double Ratio(double a, double b) { return b > 0 ? a / b : 0; }
unsigned long long U(uint64_t v) { return static_cast<unsigned long long>(v); }

uint64_t Lost(const RunResult& r) {
  const auto& d = r.subscribers.deliveries;
  return d.expected > d.unique ? d.expected - d.unique : 0;
}

}  // namespace

ServerFigures FiguresOf(const RunResult& result, size_t group) {
  ServerFigures f;
  const ProcSample& before = result.servers[kBeforeConnect][group];
  const ProcSample& connected = result.servers[kConnected][group];
  const ProcSample& held = result.servers[kHeld][group];
  const ProcSample& published = result.servers[kPublished][group];
  double delivered = static_cast<double>(result.subscribers.deliveries.unique);
  f.publish_cpu_s = published.cpu_s - held.cpu_s;
  f.us_per_delivery = Ratio(f.publish_cpu_s * 1e6, delivered);
  // Below a millisecond of CPU the ratio says nothing (an idle process).
  f.deliveries_per_cpu_s = f.publish_cpu_s >= 1e-3 ? Ratio(delivered, f.publish_cpu_s) : 0;
  double grown_kb = static_cast<double>(connected.pss_kb) - static_cast<double>(before.pss_kb);
  f.bytes_per_subscriber = Ratio(grown_kb * 1024, static_cast<double>(result.subscribers.established));
  f.hold_cpu_per_s = Ratio(held.cpu_s - connected.cpu_s, result.hold_s);
  f.connect_cpu_s = connected.cpu_s - before.cpu_s;
  f.rss_kb = connected.rss_kb;
  f.pss_kb = connected.pss_kb;
  return f;
}

std::string FormatReport(const RunResult& r) {
  const auto& o = r.options;
  const auto& w = r.subscribers;
  const auto& d = w.deliveries;
  const auto& p = r.publish;
  std::string out = "papo-loadgen: " + o.label + "\n";
  Append(out, "  subscribers  %u requested, %llu connected, %llu failed (answers: %llu 5xx, %llu other) in %.2f s (%d processes, %d sources)%s\n",
         o.subscribers, U(w.established), U(w.failed), U(w.refused_5xx), U(w.refused_other), r.connect_s,
         o.processes, o.sources,
         r.connect_complete ? "" : "  ** connect timed out **");
  Append(out, "  streams      %llu disconnects, %llu reconnects, %llu refused reconnects; %llu comments, %llu named events\n",
         U(w.disconnects), U(w.reconnects), U(w.reconnect_failures), U(w.sse.comments), U(w.sse.named));
  if (r.published) {
    Append(out, "  publish      %llu sent, %llu accepted, %llu failed in %.3f s (%.0f/s); answer p50 %.2f ms p99 %.2f ms max %.2f ms; max lag %.1f ms\n",
           U(p.sent), U(p.accepted), U(p.failed), r.publish_s, Ratio(static_cast<double>(p.accepted), r.publish_s),
           Ms(p.latency.Percentile(50)), Ms(p.latency.Percentile(99)), Ms(p.latency.max()), Ms(p.max_lag_ns));
    if (!p.first_error.empty()) out += "  first error  " + p.first_error + "\n";
    Append(out, "  deliveries   expected %llu, received %llu, lost %llu, duplicated %llu, out of order %llu, wrong room %llu%s\n",
           U(d.expected), U(d.unique), U(Lost(r)), U(d.duplicates), U(d.out_of_order), U(d.wrong_room),
           r.drained ? "" : "  ** not drained **");
    Append(out, "  rate         %.0f deliveries/s (first send to last delivery %.3f s)\n",
           Ratio(static_cast<double>(d.unique), r.delivery_s), r.delivery_s);
    Append(out, "  latency      p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms\n", Ms(w.latency.Percentile(50)),
           Ms(w.latency.Percentile(90)), Ms(w.latency.Percentile(99)), Ms(w.latency.max()));
  }
  Append(out, "  %-12s %9s %11s %12s %10s %9s %9s %11s\n", "server", "cpu s", "us/deliv", "deliv/cpu-s",
         "mem/sub B", "rss MB", "pss MB", "idle cpu/s");
  for (size_t g = 0; g < o.servers.size(); ++g) {
    ServerFigures f = FiguresOf(r, g);
    Append(out, "  %-12s %9.3f %11.2f %12.0f %10.0f %9.1f %9.1f %11.4f\n", o.servers[g].name.c_str(),
           f.publish_cpu_s, f.us_per_delivery, f.deliveries_per_cpu_s, f.bytes_per_subscriber,
           static_cast<double>(f.rss_kb) / 1024, static_cast<double>(f.pss_kb) / 1024, f.hold_cpu_per_s);
  }
  Append(out, "  %-12s %9.3f %11.2f   (all phases; %llu reads, %.0f B/read)\n", "loadgen", r.loadgen_cpu_s,
         Ratio(r.loadgen_cpu_s * 1e6, static_cast<double>(d.unique)), U(w.reads),
         Ratio(static_cast<double>(w.bytes), static_cast<double>(w.reads)));
  return out;
}

std::string FormatResultLine(const RunResult& r) {
  const auto& w = r.subscribers;
  const auto& d = w.deliveries;
  const auto& p = r.publish;
  std::string out = "RESULT label=" + r.options.label;
  Append(out, " subscribers=%u connected=%llu failed=%llu refused_5xx=%llu refused_other=%llu disconnects=%llu reconnects=%llu",
         r.options.subscribers, U(w.established), U(w.failed), U(w.refused_5xx), U(w.refused_other),
         U(w.disconnects), U(w.reconnects));
  Append(out, " expected=%llu received=%llu lost=%llu duplicated=%llu out_of_order=%llu wrong_room=%llu unexpected=%llu",
         U(d.expected), U(d.unique), U(Lost(r)), U(d.duplicates), U(d.out_of_order), U(d.wrong_room),
         U(d.unexpected));
  Append(out, " drained=%d sent=%llu accepted=%llu pub_failed=%llu publish_s=%.4f pub_per_s=%.1f", r.drained ? 1 : 0,
         U(p.sent), U(p.accepted), U(p.failed), r.publish_s, Ratio(static_cast<double>(p.accepted), r.publish_s));
  Append(out, " pub_p50_ms=%.3f pub_p99_ms=%.3f pub_max_ms=%.3f max_lag_ms=%.3f", Ms(p.latency.Percentile(50)),
         Ms(p.latency.Percentile(99)), Ms(p.latency.max()), Ms(p.max_lag_ns));
  Append(out, " delivery_s=%.4f deliveries_per_s=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f", r.delivery_s,
         Ratio(static_cast<double>(d.unique), r.delivery_s), Ms(w.latency.Percentile(50)),
         Ms(w.latency.Percentile(90)), Ms(w.latency.Percentile(99)), Ms(w.latency.max()));
  Append(out, " comments=%llu named=%llu hold_s=%.2f connect_s=%.2f loadgen_cpu_s=%.3f", U(w.sse.comments),
         U(w.sse.named), r.hold_s, r.connect_s, r.loadgen_cpu_s);
  for (size_t g = 0; g < r.options.servers.size(); ++g) {
    ServerFigures f = FiguresOf(r, g);
    const char* n = r.options.servers[g].name.c_str();
    Append(out, " %s_cpu_s=%.3f %s_us_per_delivery=%.3f %s_per_cpu_s=%.0f %s_bytes_per_sub=%.0f", n, f.publish_cpu_s,
           n, f.us_per_delivery, n, f.deliveries_per_cpu_s, n, f.bytes_per_subscriber);
    Append(out, " %s_hold_cpu_per_s=%.5f %s_connect_cpu_s=%.3f %s_rss_kb=%llu %s_pss_kb=%llu", n, f.hold_cpu_per_s, n,
           f.connect_cpu_s, n, U(f.rss_kb), n, U(f.pss_kb));
  }
  return out;
}

}  // namespace papo::bench
