// Replays the fuzzer's seed corpus through the parser with any compiler, so
// CI (g++) runs every seed even where libFuzzer is not available, and checks
// the seeds still mean what their names say: "ok-*" parse completely,
// "bad-<status>-*" are refused with that status, "partial-*" need more.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sse-pusher/http_request_parser.h"
#include "sse-pusher/stream_request.h"

namespace papo::pusher {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(HttpRequestCorpusTest, EverySeedParsesAsItsNameSays) {
  std::filesystem::path corpus(PAPO_HTTP_CORPUS_DIR);
  ASSERT_TRUE(std::filesystem::is_directory(corpus)) << corpus;
  int seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    std::string name = entry.path().filename().string();
    std::string input = ReadFile(entry.path());
    HttpRequest request;
    HttpParseOutcome outcome = ParseHttpRequest(input, HttpLimits{}, request);
    ++seeds;
    if (name.rfind("ok-", 0) == 0) {
      EXPECT_EQ(outcome.result, HttpParseResult::kComplete) << name;
      if (outcome.result == HttpParseResult::kComplete) (void)ParseStreamRequest(request);
    } else if (name.rfind("bad-", 0) == 0) {
      EXPECT_EQ(outcome.result, HttpParseResult::kError) << name;
      EXPECT_EQ(std::to_string(outcome.error_status), name.substr(4, 3)) << name;
    } else if (name.rfind("partial-", 0) == 0) {
      EXPECT_EQ(outcome.result, HttpParseResult::kIncomplete) << name;
    }
  }
  EXPECT_GE(seeds, 10);
}

}  // namespace
}  // namespace papo::pusher
