// FieldErrors: pt-BR messages per input field, as returned in
// {"success":false,"erros":{...}} and shown beside form fields.
#pragma once

#include <map>
#include <string>

namespace papo {

using FieldErrors = std::map<std::string, std::string>;

}  // namespace papo
