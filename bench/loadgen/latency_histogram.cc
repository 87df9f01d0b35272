#include "bench/loadgen/latency_histogram.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace papo::bench {
namespace {

constexpr int kSubBits = 10;                       // 1024 sub-buckets
constexpr uint64_t kSubCount = uint64_t{1} << kSubBits;
constexpr uint64_t kExact = kSubCount * 2;         // values below are their own bucket
constexpr int kMaxBits = 40;                       // 2^40 ns ~ 18 minutes
constexpr size_t kBucketCount = kExact + (kMaxBits - kSubBits) * kSubCount;

bool ParseU64(std::string_view text, uint64_t& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBucketCount, 0) {}

size_t LatencyHistogram::BucketIndex(uint64_t nanoseconds) {
  if (nanoseconds < kExact) return nanoseconds;
  int msb = 63 - __builtin_clzll(nanoseconds);
  if (msb > kMaxBits) return kBucketCount - 1;
  int shift = msb - kSubBits;  // >= 1: keeps the top 11 bits
  size_t index = kExact + (shift - 1) * kSubCount + ((nanoseconds >> shift) - kSubCount);
  return std::min(index, kBucketCount - 1);
}

uint64_t LatencyHistogram::BucketHighest(size_t index) {
  if (index < kExact) return index;
  uint64_t shift = (index - kExact) / kSubCount + 1;
  uint64_t sub = (index - kExact) % kSubCount + kSubCount;
  return ((sub + 1) << shift) - 1;
}

void LatencyHistogram::Record(uint64_t nanoseconds) {
  ++buckets_[BucketIndex(nanoseconds)];
  ++count_;
  max_ = std::max(max_, nanoseconds);
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < kBucketCount; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

uint64_t LatencyHistogram::Percentile(double percent) const {
  if (count_ == 0) return 0;
  auto target = static_cast<uint64_t>(std::ceil(percent / 100.0 * static_cast<double>(count_)));
  target = std::clamp<uint64_t>(target, 1, count_);
  uint64_t seen = 0;
  for (size_t i = 0; i < kBucketCount; ++i) {
    seen += buckets_[i];
    if (seen >= target) return std::min(BucketHighest(i), max_);
  }
  return max_;
}

std::string LatencyHistogram::Serialize() const {
  std::string out;
  for (size_t i = 0; i < kBucketCount; ++i) {
    if (buckets_[i] == 0) continue;
    if (!out.empty()) out += ',';
    out += std::to_string(i);
    out += ':';
    out += std::to_string(buckets_[i]);
  }
  out += ';';
  out += std::to_string(max_);
  return out;
}

bool LatencyHistogram::MergeSerialized(std::string_view text) {
  auto semicolon = text.rfind(';');
  if (semicolon == std::string_view::npos) return false;
  uint64_t max_value = 0;
  if (!ParseU64(text.substr(semicolon + 1), max_value)) return false;
  std::string_view rest = text.substr(0, semicolon);
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    auto colon = item.find(':');
    uint64_t index = 0;
    uint64_t n = 0;
    if (colon == std::string_view::npos || !ParseU64(item.substr(0, colon), index) ||
        !ParseU64(item.substr(colon + 1), n) || index >= kBucketCount) {
      return false;
    }
    buckets_[index] += n;
    count_ += n;
  }
  max_ = std::max(max_, max_value);
  return true;
}

}  // namespace papo::bench
