// papo-loadgen: the SSE load generator of bench/ (see bench/README.md).
#include <cstdio>
#include <string_view>
#include <vector>

#include "bench/loadgen/coordinator.h"
#include "bench/loadgen/loadgen_options.h"
#include "bench/loadgen/report.h"

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  for (auto arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::fputs(papo::bench::kLoadgenUsage, stdout);
      return 0;
    }
  }
  auto options = papo::bench::ParseLoadgenOptions(args);
  if (!options.ok()) {
    std::fprintf(stderr, "papo-loadgen: %s\n%s", options.status().message().c_str(), papo::bench::kLoadgenUsage);
    return 2;
  }
  auto result = papo::bench::RunLoadgen(std::move(options.value()));
  if (!result.ok()) {
    std::fprintf(stderr, "papo-loadgen: %s\n", result.status().ToString().c_str());
    return 1;
  }
  std::fputs(papo::bench::FormatReport(*result).c_str(), stdout);
  std::puts(papo::bench::FormatResultLine(*result).c_str());
  return 0;
}
