// Status: the outcome of an operation that can fail, as a value.
//
// Errors that come from user input (InvalidArgument, NotFound, Conflict,
// PermissionDenied, ...) are ordinary values that handlers map to 4xx; only
// kInternal/kIOError/kUnavailable describe a fault of the server or a peer.
// A Status is cheap to copy when ok(). Thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace papo {

class [[nodiscard]] Status final {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,
    kNotFound,
    kPermissionDenied,
    kUnauthenticated,
    kConflict,
    kResourceExhausted,
    kUnavailable,
    kIOError,
    kInternal,
  };

  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status PermissionDenied(std::string m) { return {Code::kPermissionDenied, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {Code::kUnauthenticated, std::move(m)}; }
  static Status Conflict(std::string m) { return {Code::kConflict, std::move(m)}; }
  static Status ResourceExhausted(std::string m) { return {Code::kResourceExhausted, std::move(m)}; }
  static Status Unavailable(std::string m) { return {Code::kUnavailable, std::move(m)}; }
  static Status IOError(std::string m) { return {Code::kIOError, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  // Maps an errno value to IOError (or NotFound for ENOENT), with `context`
  // (what was being done) in front of strerror's text.
  static Status FromErrno(std::string_view context, int error_number);

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

std::string_view CodeName(Status::Code code);

}  // namespace papo
