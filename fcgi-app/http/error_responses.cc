#include "fcgi-app/http/error_responses.h"

#include "common/log.h"
#include "fcgi-app/app_services.h"

namespace papo {

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk: return 200;
    case Status::Code::kInvalidArgument: return 422;
    case Status::Code::kNotFound: return 404;
    case Status::Code::kPermissionDenied: return 403;
    case Status::Code::kUnauthenticated: return 401;
    case Status::Code::kConflict: return 409;
    case Status::Code::kResourceExhausted: return 429;
    case Status::Code::kUnavailable: return 503;
    default: return 500;
  }
}

Response ErrorResponse(AppServices& services, bool json, int status, const Session* session,
                       const std::string& message) {
  if (json) return Response::Json(status, ErrorJson(message));
  return services.views.Error(status, session, message);
}

Response StatusResponse(AppServices& services, bool json, const Status& status, const Session* session) {
  int code = HttpStatusFor(status);
  if (code == 503) {
    // The database is restarting, failing over or out of connections: the
    // request changed nothing that was reported, and a retry (the page's
    // send retries with the same client_id) will store it once.
    Log(LogLevel::kWarn, "request_unavailable").Kv("error", status.ToString());
    Response response = ErrorResponse(services, json, 503, session,
                                      "O serviço está momentaneamente indisponível. Tente de novo em alguns segundos.");
    response.AddHeader("Retry-After", "2");
    return response;
  }
  if (code == 500) {
    Log(LogLevel::kError, "request_failed").Kv("error", status.ToString());
    return ErrorResponse(services, json, 500, session, "Não foi possível concluir a operação.");
  }
  return ErrorResponse(services, json, code, session, status.message());
}

}  // namespace papo
