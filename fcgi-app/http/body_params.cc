#include "fcgi-app/http/body_params.h"

#include <rapidjson/document.h>

#include <cmath>
#include <cstdint>

namespace papo {
namespace {

// An integral JSON number up to 15 digits becomes kInteger whatever its
// spelling (7, 7.0, 7e0): JSON has one number type and JavaScript cannot
// tell 7 from 7.0, so refusing 7.0 would only punish the spelling. A
// fraction or a bigger magnitude is kNumber, which no papo field takes.
void AddNumber(FormFields& fields, std::string name, const rapidjson::Value& value) {
  constexpr double kMaxExactInteger = 999'999'999'999'999.0;  // 15 digits: what the id parser reads
  if (value.IsInt64()) {
    fields.Add(std::move(name), std::to_string(value.GetInt64()), FieldType::kInteger);
    return;
  }
  double number = value.GetDouble();
  if (std::isfinite(number) && std::trunc(number) == number && std::fabs(number) <= kMaxExactInteger) {
    fields.Add(std::move(name), std::to_string(static_cast<int64_t>(number)), FieldType::kInteger);
    return;
  }
  fields.Add(std::move(name), "", FieldType::kNumber);
}

void AddMember(FormFields& fields, std::string name, const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kStringType:
      fields.Add(std::move(name), std::string(value.GetString(), value.GetStringLength()));
      break;
    case rapidjson::kNumberType: AddNumber(fields, std::move(name), value); break;
    case rapidjson::kTrueType: fields.Add(std::move(name), "1", FieldType::kBoolean); break;
    case rapidjson::kFalseType: fields.Add(std::move(name), "0", FieldType::kBoolean); break;
    case rapidjson::kNullType: fields.Add(std::move(name), "", FieldType::kNull); break;
    case rapidjson::kArrayType: fields.Add(std::move(name), "", FieldType::kArray); break;
    case rapidjson::kObjectType: fields.Add(std::move(name), "", FieldType::kObject); break;
  }
}

Result<FormFields> ParseJsonObject(std::string_view body) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (document.HasParseError() || !document.IsObject()) {
    return Status::InvalidArgument("O corpo da requisição não é um objeto JSON válido.");
  }
  FormFields fields;
  for (const auto& member : document.GetObject()) {
    AddMember(fields, std::string(member.name.GetString(), member.name.GetStringLength()), member.value);
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
