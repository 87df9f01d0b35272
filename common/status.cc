#include "common/status.h"

#include <cerrno>
#include <cstring>

namespace papo {

Status Status::FromErrno(std::string_view context, int error_number) {
  std::string message(context);
  message += ": ";
  char buffer[256];
  // GNU strerror_r returns the message pointer (maybe not `buffer`).
  message += strerror_r(error_number, buffer, sizeof buffer);
  if (error_number == ENOENT) return NotFound(std::move(message));
  return IOError(std::move(message));
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string text(CodeName(code_));
  text += ": ";
  text += message_;
  return text;
}

std::string_view CodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk: return "OK";
    case Status::Code::kInvalidArgument: return "InvalidArgument";
    case Status::Code::kNotFound: return "NotFound";
    case Status::Code::kPermissionDenied: return "PermissionDenied";
    case Status::Code::kUnauthenticated: return "Unauthenticated";
    case Status::Code::kConflict: return "Conflict";
    case Status::Code::kResourceExhausted: return "ResourceExhausted";
    case Status::Code::kUnavailable: return "Unavailable";
    case Status::Code::kIOError: return "IOError";
    case Status::Code::kInternal: return "Internal";
  }
  return "Unknown";
}

}  // namespace papo
