#include "bench/loadgen/chunked_decoder.h"

#include <gtest/gtest.h>

#include <string>

namespace papo::bench {
namespace {

// Decodes `wire` in two reads split at `split`, as the subscriber would.
std::string DecodeSplit(const std::string& wire, size_t split, ChunkedDecoder& decoder) {
  std::string first = wire.substr(0, split);
  std::string second = wire.substr(split);
  std::string out(first.data(), decoder.Decode(first.data(), first.size()));
  out.append(second.data(), decoder.Decode(second.data(), second.size()));
  return out;
}

TEST(ChunkedDecoderTest, DecodesChunksInPlace) {
  std::string wire = "5\r\nhello\r\n7\r\n, world\r\n";
  ChunkedDecoder decoder;
  size_t n = decoder.Decode(wire.data(), wire.size());
  EXPECT_EQ(wire.substr(0, n), "hello, world");
  EXPECT_FALSE(decoder.failed());
  EXPECT_FALSE(decoder.finished());
}

TEST(ChunkedDecoderTest, EverySplitPointGivesTheSamePayload) {
  const std::string wire = "15\r\nid: 1\ndata: {\"a\":1}\n\n\r\nB;ext=1\r\n: heartbeat\r\n0\r\n\r\n";
  for (size_t split = 0; split <= wire.size(); ++split) {
    ChunkedDecoder decoder;
    EXPECT_EQ(DecodeSplit(wire, split, decoder), "id: 1\ndata: {\"a\":1}\n\n: heartbeat") << split;
    EXPECT_TRUE(decoder.finished()) << split;
  }
}

TEST(ChunkedDecoderTest, UpperCaseHexAndExtensions) {
  std::string wire = "A ; name=value\r\n0123456789\r\n";
  ChunkedDecoder decoder;
  size_t n = decoder.Decode(wire.data(), wire.size());
  EXPECT_EQ(wire.substr(0, n), "0123456789");
}

TEST(ChunkedDecoderTest, LastChunkFinishesAndIgnoresTheRest) {
  std::string wire = "2\r\nok\r\n0\r\n\r\ngarbage";
  ChunkedDecoder decoder;
  size_t n = decoder.Decode(wire.data(), wire.size());
  EXPECT_EQ(wire.substr(0, n), "ok");
  EXPECT_TRUE(decoder.finished());
}

TEST(ChunkedDecoderTest, NonHexSizeFails) {
  std::string wire = "zz\r\nhello\r\n";
  ChunkedDecoder decoder;
  EXPECT_EQ(decoder.Decode(wire.data(), wire.size()), 0u);
  EXPECT_TRUE(decoder.failed());
}

TEST(ChunkedDecoderTest, MissingCrlfAfterDataFails) {
  std::string wire = "2\r\nokXX";
  ChunkedDecoder decoder;
  decoder.Decode(wire.data(), wire.size());
  EXPECT_TRUE(decoder.failed());
}

TEST(ChunkedDecoderTest, ResetStartsOver) {
  std::string bad = "x";
  ChunkedDecoder decoder;
  decoder.Decode(bad.data(), bad.size());
  ASSERT_TRUE(decoder.failed());
  decoder.Reset();
  std::string wire = "1\r\na\r\n";
  EXPECT_EQ(decoder.Decode(wire.data(), wire.size()), 1u);
}

}  // namespace
}  // namespace papo::bench
