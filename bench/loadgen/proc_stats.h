// ProcStats: CPU time and memory of server processes, read from /proc.
//
// CPU is the time on CPU of all the process's threads: utime + stime, read
// from /proc/PID/task/*/schedstat in nanoseconds (/proc/PID/stat's 10 ms
// ticks when schedstat is missing), so it counts only what the servers
// spent, whatever else runs on the machine. Servers keep their threads for
// their whole life, so no time is lost with exited threads. Memory is
// VmRSS, and PSS from /proc/PID/smaps_rollup, which splits pages shared
// between processes (nginx workers, Nchan's shared memory) instead of
// counting them once per process.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <vector>

#include "bench/loadgen/loadgen_options.h"

namespace papo::bench {

struct ProcSample {
  double cpu_s = 0;         // utime + stime, seconds
  uint64_t rss_kb = 0;
  uint64_t pss_kb = 0;
  int processes = 0;        // how many of the group's processes were read
};

// Sums the group's processes (and their children, for "pid+").
ProcSample SampleGroup(const ServerGroup& group);

// One sample of every group, in the order given.
std::vector<ProcSample> SampleGroups(const std::vector<ServerGroup>& groups);

// The process's direct children, from /proc/PID/task/*/children.
std::vector<pid_t> ChildrenOf(pid_t pid);

// Raises this process's soft open-file limit to its hard limit; returns it.
uint64_t RaiseFileLimit();

}  // namespace papo::bench
