// Error answers in the form the caller expects: a JSON body for JSON
// endpoints, the error page (403/404/500 templates) for pages.
#pragma once

#include <string>

#include "common/status.h"
#include "fcgi-app/db/models.h"
#include "fcgi-app/http/response.h"
#include "fcgi-app/services/field_errors.h"
#include "fcgi-app/views/json_views.h"

namespace papo {

struct AppServices;

Response ErrorResponse(AppServices& services, bool json, int status, const Session* session,
                       const std::string& message);

// Maps a service Status: NotFound 404, PermissionDenied 403,
// Unauthenticated 401, InvalidArgument 422, Conflict 409,
// ResourceExhausted 429, anything else 500 (logged; the user sees a
// generic text, never internals).
Response StatusResponse(AppServices& services, bool json, const Status& status, const Session* session);

int HttpStatusFor(const Status& status);

}  // namespace papo
