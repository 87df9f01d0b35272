#include "bench/loadgen/chunked_decoder.h"

#include <algorithm>
#include <cstring>

#include "common/form.h"

namespace papo::bench {

bool ChunkedDecoder::SizeByte(char c) {
  int value = HexDigitValue(c);
  if (value >= 0) {
    if (remaining_ >> 59) return false;  // would overflow
    remaining_ = remaining_ * 16 + static_cast<uint64_t>(value);
    have_digit_ = true;
    return true;
  }
  if (!have_digit_) return false;
  if (c == ';' || c == ' ' || c == '\t') {
    state_ = State::kExtension;
  } else if (c == '\r') {
    state_ = State::kSizeLf;
  } else if (c == '\n') {
    EndSizeLine();
  } else {
    return false;
  }
  return true;
}

void ChunkedDecoder::EndSizeLine() {
  state_ = remaining_ == 0 ? State::kDone : State::kData;
  have_digit_ = false;
}

size_t ChunkedDecoder::Decode(char* data, size_t size) {
  size_t out = 0;
  size_t i = 0;
  while (i < size) {
    switch (state_) {
      case State::kSize:
        if (!SizeByte(data[i++])) state_ = State::kError;
        break;
      case State::kExtension:
        if (data[i] == '\r') state_ = State::kSizeLf;
        if (data[i] == '\n') EndSizeLine();
        ++i;
        break;
      case State::kSizeLf:
        if (data[i++] != '\n') {
          state_ = State::kError;
        } else {
          EndSizeLine();
        }
        break;
      case State::kData: {
        size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, size - i));
        if (out != i) std::memmove(data + out, data + i, n);
        out += n;
        i += n;
        remaining_ -= n;
        if (remaining_ == 0) state_ = State::kDataCr;
        break;
      }
      case State::kDataCr:
        if (data[i] == '\r') {
          state_ = State::kDataLf;
        } else if (data[i] == '\n') {
          state_ = State::kSize;
        } else {
          state_ = State::kError;
        }
        ++i;
        break;
      case State::kDataLf:
        state_ = data[i++] == '\n' ? State::kSize : State::kError;
        break;
      case State::kDone:
      case State::kError:
        return out;
    }
  }
  return out;
}

}  // namespace papo::bench
