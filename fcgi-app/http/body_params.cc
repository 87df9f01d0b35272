#include "fcgi-app/http/body_params.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

namespace papo {
namespace {

Result<FormFields> ParseJsonObject(std::string_view body) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (document.HasParseError() || !document.IsObject()) {
    return Status::InvalidArgument("O corpo da requisição não é um objeto JSON válido.");
  }
  FormFields fields;
  for (const auto& member : document.GetObject()) {
    std::string name(member.name.GetString(), member.name.GetStringLength());
    const auto& value = member.value;
    if (value.IsString()) {
      fields.Add(std::move(name), std::string(value.GetString(), value.GetStringLength()));
    } else if (value.IsInt64()) {
      fields.Add(std::move(name), std::to_string(value.GetInt64()));
    } else if (value.IsBool()) {
      fields.Add(std::move(name), value.GetBool() ? "1" : "0");
    } else if (value.IsNull()) {
      continue;
    } else {
      // Floats, arrays and objects are never valid papo parameters; keep
      // a marker so validation reports the field instead of ignoring it.
      fields.Add(std::move(name), std::string("\x01invalid"));
    }
  }
  return fields;
}

}  // namespace

Result<FormFields> ParseBodyParams(const Request& request) {
  std::string_view type = request.content_type;
  if (auto semicolon = type.find(';'); semicolon != std::string_view::npos) type = type.substr(0, semicolon);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (request.body.empty()) return FormFields{};
  if (type == "application/json") return ParseJsonObject(request.body);
  if (type == "application/x-www-form-urlencoded" || type.empty()) {
    auto fields = ParseForm(request.body);
    if (!fields.ok()) return Status::InvalidArgument("O formulário enviado está malformado.");
    return fields;
  }
  return Status::InvalidArgument("Tipo de conteúdo não suportado: use um formulário ou JSON.");
}

}  // namespace papo
