// The parameters of a POST, from either body format papo accepts:
// application/x-www-form-urlencoded (forms, fetch with URLSearchParams) or
// application/json (an object). JSON values keep their type in the fields
// (FieldType): validation refuses a wrong type per field; nothing here
// converts `true` or `5` into text a form could have sent.
#pragma once

#include "common/form.h"
#include "common/result.h"
#include "fcgi-app/http/request.h"

namespace papo {

// InvalidArgument (pt-BR message) for a malformed body or an unsupported
// content type; an empty body gives no fields.
Result<FormFields> ParseBodyParams(const Request& request);

}  // namespace papo
