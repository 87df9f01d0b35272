#include "sse-pusher/metrics.h"

#include <gtest/gtest.h>

#include <string>

namespace papo::pusher {
namespace {

TEST(MetricsTest, RendersCountersAndGaugesWithThePrefix) {
  PusherMetrics metrics;
  metrics.slow_client_drops = 3;
  PusherGauges gauges;
  gauges.connections = 12;
  gauges.redis_connected = true;
  std::string text = metrics.RenderPrometheus(gauges);
  EXPECT_NE(text.find("# TYPE papo_pusher_slow_client_drops_total counter\npapo_pusher_slow_client_drops_total 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("papo_pusher_connections 12\n"), std::string::npos);
  EXPECT_NE(text.find("papo_pusher_redis_connected 1\n"), std::string::npos);
}

TEST(MetricsTest, RendersThePerUserStreamCap) {
  PusherMetrics metrics;
  metrics.stream_limit_rejections = 4;
  metrics.stream_limit_local_decisions = 2;
  PusherGauges gauges;
  gauges.stream_limit_fallback = true;
  std::string text = metrics.RenderPrometheus(gauges);
  EXPECT_NE(text.find("# TYPE papo_pusher_stream_limit_rejections_total counter\npapo_pusher_stream_limit_rejections_total 4\n"),
            std::string::npos);
  EXPECT_NE(text.find("papo_pusher_stream_limit_local_decisions_total 2\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE papo_pusher_stream_limit_fallback gauge\npapo_pusher_stream_limit_fallback 1\n"),
            std::string::npos);
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  PusherMetrics metrics;
  metrics.fanout_latency.Observe(0.00005);
  metrics.fanout_latency.Observe(0.003);
  metrics.fanout_latency.Observe(5.0);
  std::string text = metrics.RenderPrometheus({});
  EXPECT_NE(text.find("papo_pusher_fanout_latency_seconds_bucket{le=\"0.0001\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("papo_pusher_fanout_latency_seconds_bucket{le=\"0.005\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("papo_pusher_fanout_latency_seconds_bucket{le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("papo_pusher_fanout_latency_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("papo_pusher_fanout_latency_seconds_count 3\n"), std::string::npos);
}

}  // namespace
}  // namespace papo::pusher
