#include "bench/loadgen/sse_scanner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace papo::bench {
namespace {

std::string Marked(uint32_t room, uint32_t k, uint64_t ns) { return FormatMarkedText({room, k, ns}, 40); }

struct Scanned {
  std::vector<SseDelivery> deliveries;
  SseCounts counts;
  size_t consumed = 0;
};

Scanned ScanAll(SseScanner& scanner, const std::string& text) {
  Scanned out;
  out.consumed = scanner.Scan(text.data(), text.size(), out.counts,
                              [&](const SseDelivery& d) { out.deliveries.push_back(d); });
  return out;
}

TEST(SseScannerTest, MessageFrameIsADelivery) {
  SseScanner scanner;
  std::string text = "id: 7\ndata: {\"mensagem\":\"" + Marked(2, 5, 123) + "\"}\n\n";
  Scanned s = ScanAll(scanner, text);
  ASSERT_EQ(s.deliveries.size(), 1u);
  EXPECT_EQ(s.deliveries[0].marker.room_index, 2u);
  EXPECT_EQ(s.deliveries[0].marker.k, 5u);
  EXPECT_EQ(s.deliveries[0].marker.sent_ns, 123u);
  EXPECT_TRUE(s.deliveries[0].has_id);
  EXPECT_EQ(s.deliveries[0].id_major, 7u);
  EXPECT_EQ(s.counts.marked, 1u);
  EXPECT_EQ(s.consumed, text.size());
  EXPECT_EQ(scanner.last_event_id(), "7");
}

TEST(SseScannerTest, CrLfLineEnds) {
  SseScanner scanner;
  Scanned s = ScanAll(scanner, "id: 1\r\ndata: " + Marked(0, 0, 1) + "\r\n\r\n");
  EXPECT_EQ(s.deliveries.size(), 1u);
}

TEST(SseScannerTest, NamedEventsAreNotDeliveries) {
  SseScanner scanner;
  Scanned s = ScanAll(scanner, "event: presenca\ndata: " + Marked(0, 0, 1) + "\n\nevent: ping\ndata:\n\n");
  EXPECT_TRUE(s.deliveries.empty());
  EXPECT_EQ(s.counts.named, 2u);
}

TEST(SseScannerTest, EventNamedMessageIsTheDefaultType) {
  SseScanner scanner;
  Scanned s = ScanAll(scanner, "event: message\ndata: " + Marked(0, 0, 1) + "\n\n");
  EXPECT_EQ(s.deliveries.size(), 1u);
}

TEST(SseScannerTest, CommentsAndRetryAreCounted) {
  SseScanner scanner;
  Scanned s = ScanAll(scanner, "retry: 3000\n: papo\n\n: heartbeat\n\n");
  EXPECT_TRUE(s.deliveries.empty());
  EXPECT_EQ(s.counts.comments, 2u);
  EXPECT_EQ(s.counts.unmarked + s.counts.named + s.counts.marked, 0u);
}

TEST(SseScannerTest, DefaultEventWithoutMarkerIsCountedApart) {
  SseScanner scanner;
  Scanned s = ScanAll(scanner, "data: hello\n\n");
  EXPECT_TRUE(s.deliveries.empty());
  EXPECT_EQ(s.counts.unmarked, 1u);
}

TEST(SseScannerTest, FieldsWithoutDataDispatchNothing) {
  SseScanner scanner;
  Scanned s = ScanAll(scanner, "id: 4\n\n");
  EXPECT_EQ(s.counts.marked + s.counts.unmarked + s.counts.named, 0u);
  EXPECT_EQ(scanner.last_event_id(), "4");
}

TEST(SseScannerTest, NchanIdHasTimeAndTag) {
  SseScanner scanner;
  Scanned s = ScanAll(scanner, "id: 1795466716:3\ndata: " + Marked(0, 0, 1) + "\n\n");
  ASSERT_EQ(s.deliveries.size(), 1u);
  EXPECT_EQ(s.deliveries[0].id_major, 1795466716u);
  EXPECT_EQ(s.deliveries[0].id_minor, 3u);
  EXPECT_EQ(scanner.last_event_id(), "1795466716:3");
}

TEST(SseScannerTest, MarkerOnASecondDataLine) {
  SseScanner scanner;
  Scanned s = ScanAll(scanner, "data: first\ndata: " + Marked(1, 2, 3) + "\n\n");
  ASSERT_EQ(s.deliveries.size(), 1u);
  EXPECT_EQ(s.deliveries[0].marker.k, 2u);
}

TEST(SseScannerTest, IncompleteLineIsLeftForTheNextRead) {
  SseScanner scanner;
  std::string text = "id: 1\ndata: " + Marked(0, 0, 1);
  Scanned s = ScanAll(scanner, text);
  EXPECT_EQ(s.consumed, 6u);  // "id: 1\n"
  EXPECT_TRUE(s.deliveries.empty());
}

TEST(SseScannerTest, EverySplitPointFindsTheSameDeliveries) {
  std::string stream = ": hi\n\nid: 1\ndata: " + Marked(0, 0, 10) + "\n\nevent: digitando\ndata: {}\n\n" +
                       "id: 2\r\ndata: " + Marked(0, 1, 20) + "\r\n\r\n";
  for (size_t split = 0; split <= stream.size(); ++split) {
    SseScanner scanner;
    SseCounts counts;
    std::vector<uint32_t> ks;
    auto on = [&](const SseDelivery& d) { ks.push_back(d.marker.k); };
    std::string first = stream.substr(0, split);
    size_t consumed = scanner.Scan(first.data(), first.size(), counts, on);
    std::string rest = first.substr(consumed) + stream.substr(split);
    consumed = scanner.Scan(rest.data(), rest.size(), counts, on);
    EXPECT_EQ(consumed, rest.size()) << split;
    EXPECT_EQ(ks, (std::vector<uint32_t>{0, 1})) << split;
    EXPECT_EQ(counts.named, 1u) << split;
    EXPECT_EQ(counts.comments, 1u) << split;
  }
}

TEST(SseScannerTest, AbandonedEventIsNotDispatched) {
  SseScanner scanner;
  ScanAll(scanner, "id: 3\ndata: " + Marked(0, 0, 1) + "\n");
  scanner.AbandonEvent();
  Scanned s = ScanAll(scanner, "\n");
  EXPECT_TRUE(s.deliveries.empty());
  EXPECT_EQ(scanner.last_event_id(), "3");
}

TEST(BenchMarkerTest, RoundTripsThroughText) {
  Marker in{12, 345, 6789012345};
  std::string text = FormatMarkedText(in, 100);
  EXPECT_EQ(text.size(), 100u);
  Marker out;
  ASSERT_TRUE(FindMarker(text.data(), text.data() + text.size(), out));
  EXPECT_EQ(out.room_index, 12u);
  EXPECT_EQ(out.k, 345u);
  EXPECT_EQ(out.sent_ns, 6789012345u);
}

TEST(BenchMarkerTest, PassesOverABrokenMarker) {
  std::string text = "~pb~1.x ~pb~1.2.3~";
  Marker out;
  ASSERT_TRUE(FindMarker(text.data(), text.data() + text.size(), out));
  EXPECT_EQ(out.k, 2u);
}

TEST(BenchMarkerTest, NoMarker) {
  std::string text = "{\"mensagem\":\"Olá\"}";
  Marker out;
  EXPECT_FALSE(FindMarker(text.data(), text.data() + text.size(), out));
}

}  // namespace
}  // namespace papo::bench
