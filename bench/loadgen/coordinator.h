// Coordinator: one run of the load generator.
//
//   1. forks the subscriber processes (SubscriberPool), which connect;
//   2. waits until every subscriber has a stream or has failed, then
//      --settle-ms, and samples the servers (memory per subscriber);
//   3. holds idle for --hold seconds (CPU spent on heartbeats);
//   4. publishes the messages (Publisher) and waits until every expected
//      delivery arrived, or nothing arrived for --drain-timeout;
//   5. stops the subscribers, collects their reports, and returns the sum.
//
// Server CPU and memory are sampled from /proc at each phase boundary.
// Single-threaded; the caller must not have other threads (fork).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/loadgen/loadgen_options.h"
#include "bench/loadgen/proc_stats.h"
#include "bench/loadgen/publisher.h"
#include "bench/loadgen/worker_report.h"
#include "common/result.h"

namespace papo::bench {

// Server samples at the phase boundaries.
enum Phase { kBeforeConnect = 0, kConnected, kHeld, kPublished, kPhaseCount };

struct RunResult {
  LoadgenOptions options;          // with automatic values resolved
  WorkerReport subscribers;        // sum over the subscriber processes
  bool connect_complete = false;   // every subscriber resolved before the timeout
  bool drained = false;            // every expected delivery arrived
  bool published = false;
  PublishStats publish;
  double connect_s = 0;
  double hold_s = 0;
  double publish_s = 0;            // first send -> last answer
  double delivery_s = 0;           // first send -> last delivery
  double loadgen_cpu_s = 0;        // coordinator + subscriber processes
  std::vector<ProcSample> servers[kPhaseCount];
};

// Fills the automatic values: processes (by --per-process) and sources (so
// that no target gets more than 25,000 connections from one address).
void ResolveAutomatic(LoadgenOptions& options);

// Runs the whole thing. Fails when a process cannot be started or the
// publisher cannot connect; a run that lost messages is still a result.
Result<RunResult> RunLoadgen(LoadgenOptions options);

}  // namespace papo::bench
