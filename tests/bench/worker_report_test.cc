#include "bench/loadgen/worker_report.h"

#include <gtest/gtest.h>

namespace papo::bench {
namespace {

TEST(WorkerReportTest, LinesAddUp) {
  WorkerReport a;
  a.established = 3;
  a.deliveries.expected = 30;
  a.deliveries.unique = 29;
  a.deliveries.first_ns = 100;
  a.deliveries.last_ns = 900;
  a.sse.comments = 4;
  a.cpu_s = 0.5;
  a.latency.Record(1000);
  WorkerReport b;
  b.established = 2;
  b.failed = 1;
  b.deliveries.expected = 20;
  b.deliveries.unique = 20;
  b.deliveries.duplicates = 2;
  b.deliveries.first_ns = 50;
  b.deliveries.last_ns = 800;
  b.latency.Record(3000);

  WorkerReport sum;
  ASSERT_TRUE(sum.MergeLine(a.ToLine()));
  ASSERT_TRUE(sum.MergeLine(b.ToLine()));
  EXPECT_EQ(sum.established, 5u);
  EXPECT_EQ(sum.failed, 1u);
  EXPECT_EQ(sum.deliveries.expected, 50u);
  EXPECT_EQ(sum.deliveries.unique, 49u);
  EXPECT_EQ(sum.deliveries.duplicates, 2u);
  EXPECT_EQ(sum.deliveries.first_ns, 50u);
  EXPECT_EQ(sum.deliveries.last_ns, 900u);
  EXPECT_EQ(sum.sse.comments, 4u);
  EXPECT_DOUBLE_EQ(sum.cpu_s, 0.5);
  EXPECT_EQ(sum.latency.count(), 2u);
  EXPECT_EQ(sum.latency.max(), 3000u);
}

TEST(WorkerReportTest, RejectsOtherLines) {
  WorkerReport r;
  EXPECT_FALSE(r.MergeLine("progress 1 2"));
  EXPECT_FALSE(r.MergeLine("final hist=zz"));
}

}  // namespace
}  // namespace papo::bench
