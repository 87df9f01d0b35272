#include "bench/loadgen/latency_histogram.h"

#include <gtest/gtest.h>

namespace papo::bench {
namespace {

TEST(LatencyHistogramTest, EmptyIsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.Percentile(99), 0u);
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram h;
  for (uint64_t v = 1; v <= 100; ++v) h.Record(v);
  EXPECT_EQ(h.Percentile(50), 50u);
  EXPECT_EQ(h.Percentile(90), 90u);
  EXPECT_EQ(h.Percentile(99), 99u);
  EXPECT_EQ(h.Percentile(100), 100u);
  EXPECT_EQ(h.max(), 100u);
}

TEST(LatencyHistogramTest, LargeValuesWithinAThousandth) {
  for (uint64_t v : {2048ull, 12345ull, 1'000'000ull, 98'765'432ull, 1'400'000'000ull}) {
    LatencyHistogram h;
    h.Record(v);
    h.Record(v * 10);  // so that the reported value is not clamped to max
    uint64_t p = h.Percentile(50);
    EXPECT_GE(p, v);
    EXPECT_LE(static_cast<double>(p), static_cast<double>(v) * 1.001) << v;
  }
}

TEST(LatencyHistogramTest, BucketsAreMonotonic) {
  size_t last = 0;
  for (uint64_t v = 1; v < (uint64_t{1} << 36); v = v * 3 / 2 + 1) {
    size_t index = LatencyHistogram::BucketIndex(v);
    EXPECT_GE(index, last);
    EXPECT_GE(LatencyHistogram::BucketHighest(index), v);
    last = index;
  }
}

TEST(LatencyHistogramTest, HugeValuesAreClamped) {
  LatencyHistogram h;
  h.Record(~uint64_t{0});
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.max(), ~uint64_t{0});
}

TEST(LatencyHistogramTest, SerializedMergeEqualsDirectMerge) {
  LatencyHistogram a;
  LatencyHistogram b;
  for (uint64_t v = 0; v < 5000; v += 7) a.Record(v * 1000);
  for (uint64_t v = 0; v < 300; ++v) b.Record(v);
  LatencyHistogram direct;
  direct.Merge(a);
  direct.Merge(b);
  LatencyHistogram parsed;
  ASSERT_TRUE(parsed.MergeSerialized(a.Serialize()));
  ASSERT_TRUE(parsed.MergeSerialized(b.Serialize()));
  EXPECT_EQ(parsed.count(), direct.count());
  EXPECT_EQ(parsed.max(), direct.max());
  for (double p : {1.0, 50.0, 90.0, 99.0, 99.9}) EXPECT_EQ(parsed.Percentile(p), direct.Percentile(p));
}

TEST(LatencyHistogramTest, MalformedSerializationIsRejected) {
  LatencyHistogram h;
  EXPECT_FALSE(h.MergeSerialized("1:2,3"));
  EXPECT_FALSE(h.MergeSerialized("1:2"));
  EXPECT_FALSE(h.MergeSerialized("99999999:1;5"));
  EXPECT_TRUE(h.MergeSerialized(";0"));
}

}  // namespace
}  // namespace papo::bench
