// Result<T>: a value or the Status that explains why there is none
// (std::expected arrives with C++23). Check ok() before value().
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "common/status.h"

namespace papo {

template <typename T>
class [[nodiscard]] Result final {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(state_).ok() && "Result needs a value or an error");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(state_);
  }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace papo

// Propagates a failed Status (or the Status of a failed Result) to the caller.
#define PAPO_RETURN_IF_ERROR(expr)                 \
  do {                                             \
    ::papo::Status papo_status_ = (expr);          \
    if (!papo_status_.ok()) return papo_status_;   \
  } while (false)
