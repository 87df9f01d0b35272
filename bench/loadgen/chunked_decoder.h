// ChunkedDecoder: removes HTTP/1.1 chunked transfer coding (RFC 9112 §7.1)
// in place, one read at a time, keeping its state between reads.
//
// nginx answers an HTTP/1.1 client with chunks whenever the length is not
// known (proxied SSE, FastCGI replies), and a chunk boundary may fall
// anywhere in a read, also inside an SSE line. Allocation-free.
#pragma once

#include <cstddef>
#include <cstdint>

namespace papo::bench {

class ChunkedDecoder final {
 public:
  // Decodes data[0, size) in place and returns n: the payload is now
  // data[0, n). Bytes after the last chunk are ignored; after an error
  // nothing more is decoded (failed() is true).
  size_t Decode(char* data, size_t size);

  bool failed() const { return state_ == State::kError; }
  // The last (zero-size) chunk has been seen: the body is complete.
  bool finished() const { return state_ == State::kDone; }
  void Reset() { *this = ChunkedDecoder(); }

 private:
  enum class State : uint8_t { kSize, kExtension, kSizeLf, kData, kDataCr, kDataLf, kDone, kError };

  // Handles one byte of the size line; returns false on a syntax error.
  bool SizeByte(char c);
  void EndSizeLine();

  State state_ = State::kSize;
  bool have_digit_ = false;
  uint64_t remaining_ = 0;
};

}  // namespace papo::bench
