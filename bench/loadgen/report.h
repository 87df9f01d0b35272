// The report of a run: a table for people and one "RESULT key=value ..."
// line for the scenario scripts (bench/scripts), which take medians and
// ratios from it.
#pragma once

#include <string>

#include "bench/loadgen/coordinator.h"

namespace papo::bench {

// Derived figures of one server group over the run's phases.
struct ServerFigures {
  double publish_cpu_s = 0;        // CPU while publishing and draining
  double us_per_delivery = 0;
  double deliveries_per_cpu_s = 0;
  double bytes_per_subscriber = 0; // PSS growth from before connecting to connected
  double hold_cpu_per_s = 0;       // CPU per second while idle (heartbeats)
  double connect_cpu_s = 0;
  uint64_t rss_kb = 0;             // when connected
  uint64_t pss_kb = 0;
};

ServerFigures FiguresOf(const RunResult& result, size_t group);

std::string FormatReport(const RunResult& result);
std::string FormatResultLine(const RunResult& result);

}  // namespace papo::bench
