#include "bench/loadgen/proc_stats.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace papo::bench {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// utime + stime in clock ticks; false when the process is gone.
bool ReadCpuTicks(pid_t pid, uint64_t& ticks) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  auto paren = stat.rfind(')');
  if (paren == std::string::npos) return false;
  // Fields after the command: state(3) ... utime(14) stime(15).
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  uint64_t utime = 0;
  uint64_t stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  ticks = utime + stime;
  return true;
}

uint64_t KbField(const std::string& text, const char* name) {
  auto at = text.find(name);
  if (at == std::string::npos) return 0;
  const char* p = text.data() + at + std::strlen(name);
  while (*p == ' ' || *p == '\t') ++p;
  uint64_t value = 0;
  std::from_chars(p, text.data() + text.size(), value);
  return value;
}

// Nanoseconds on CPU of every live thread (schedstat's sum_exec_runtime,
// the same time utime + stime count, without the 10 ms ticks); false when
// schedstat is not available.
bool ReadCpuNanos(pid_t pid, uint64_t& nanos) {
  std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = opendir(task_dir.c_str());
  if (dir == nullptr) return false;
  bool any = false;
  nanos = 0;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    std::istringstream stat(ReadFile(task_dir + "/" + entry->d_name + "/schedstat"));
    uint64_t runtime = 0;
    if (stat >> runtime) {
      nanos += runtime;
      any = true;
    }
  }
  closedir(dir);
  return any;
}

void AddProcess(pid_t pid, ProcSample& sample) {
  uint64_t ticks = 0;
  if (!ReadCpuTicks(pid, ticks)) return;
  uint64_t nanos = 0;
  if (ReadCpuNanos(pid, nanos)) {
    sample.cpu_s += static_cast<double>(nanos) / 1e9;
  } else {
    sample.cpu_s += static_cast<double>(ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  std::string rollup = ReadFile("/proc/" + std::to_string(pid) + "/smaps_rollup");
  sample.rss_kb += KbField(rollup, "\nRss:");
  sample.pss_kb += KbField(rollup, "\nPss:");
  ++sample.processes;
}

}  // namespace

std::vector<pid_t> ChildrenOf(pid_t pid) {
  std::vector<pid_t> children;
  std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
  DIR* dir = opendir(task_dir.c_str());
  if (dir == nullptr) return children;
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    std::istringstream list(ReadFile(task_dir + "/" + entry->d_name + "/children"));
    pid_t child = 0;
    while (list >> child) children.push_back(child);
  }
  closedir(dir);
  return children;
}

ProcSample SampleGroup(const ServerGroup& group) {
  ProcSample sample;
  for (pid_t pid : group.pids) {
    AddProcess(pid, sample);
    if (!group.with_children) continue;
    for (pid_t child : ChildrenOf(pid)) AddProcess(child, sample);
  }
  return sample;
}

std::vector<ProcSample> SampleGroups(const std::vector<ServerGroup>& groups) {
  std::vector<ProcSample> samples;
  samples.reserve(groups.size());
  for (const auto& group : groups) samples.push_back(SampleGroup(group));
  return samples;
}

uint64_t RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

}  // namespace papo::bench
