// LatencyHistogram: counts of durations in nanoseconds, in log-linear buckets
// (HdrHistogram's layout with 1024 sub-buckets per power of two, so a
// reported value is within 0.1% of the recorded one; exact below 2048 ns).
//
// Fixed size (256 KiB), allocated once; Record() never allocates, so the
// subscriber loop can call it per delivery. Values above ~18 minutes are
// clamped. Thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace papo::bench {

class LatencyHistogram final {
 public:
  LatencyHistogram();

  void Record(uint64_t nanoseconds);
  void Merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  // The value at `percent` (0..100], the highest value its bucket holds but
  // never above max(); 0 when empty.
  uint64_t Percentile(double percent) const;

  // "index:count,index:count..." of the non-empty buckets, then ";max".
  std::string Serialize() const;
  // Adds a Serialize()d histogram into this one; false when malformed.
  [[nodiscard]] bool MergeSerialized(std::string_view text);

  static size_t BucketIndex(uint64_t nanoseconds);
  static uint64_t BucketHighest(size_t index);

 private:
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  uint64_t max_ = 0;
};

}  // namespace papo::bench
