// libFuzzer target: the pusher's HTTP request parser and the stream request
// built from it must never crash, hang or read out of bounds, whatever the
// bytes; and what they accept must be self-consistent.
//
// Build: clang only (see CMakeLists.txt). Run:
//   build/tests/fuzz/papo_http_request_fuzzer tests/fuzz/corpus/http_request -max_total_time=60
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sse-pusher/http_request_parser.h"
#include "sse-pusher/stream_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace papo::pusher;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  HttpLimits limits;
  HttpRequest request;
  HttpParseOutcome outcome = ParseHttpRequest(input, limits, request);
  if (outcome.result != HttpParseResult::kComplete) return 0;
  // What was accepted lies inside the input and within the limits.
  if (request.length > size || request.length > limits.max_header_section) std::abort();
  if (request.header_count > limits.max_headers) std::abort();
  if (request.path.empty() || request.path.front() != '/') std::abort();
  auto stream = ParseStreamRequest(request);
  if (stream.ok() && stream->usuario_id <= 0) std::abort();
  return 0;
}
