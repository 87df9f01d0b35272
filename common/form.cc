#include "common/form.h"

namespace papo {
int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void FormFields::Add(std::string name, std::string value, FieldType type) {
  fields_.try_emplace(std::move(name), Field{std::move(value), type});
}

std::optional<std::string_view> FormFields::Get(std::string_view name) const {
  auto it = fields_.find(name);
  if (it == fields_.end()) return std::nullopt;
  return std::string_view(it->second.value);
}

FieldType FormFields::TypeOf(std::string_view name) const {
  auto it = fields_.find(name);
  return it == fields_.end() ? FieldType::kText : it->second.type;
}

std::string_view FormFields::GetOr(std::string_view name, std::string_view fallback) const {
  auto value = Get(name);
  return value ? *value : fallback;
}

Result<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) {
        return Status::InvalidArgument("escape % incompleto");
      }
      int high = HexDigitValue(text[i + 1]);
      int low = HexDigitValue(text[i + 2]);
      if (high < 0 || low < 0) return Status::InvalidArgument("escape % inválido");
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

Result<FormFields> ParseForm(std::string_view text) {
  FormFields fields;
  while (!text.empty()) {
    auto amp = text.find('&');
    auto pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq));
    if (!name.ok()) return name.status();
    std::string value;
    if (eq != std::string_view::npos) {
      auto decoded = PercentDecode(pair.substr(eq + 1));
      if (!decoded.ok()) return decoded.status();
      value = std::move(decoded).value();
    }
    fields.Add(std::move(name).value(), std::move(value));
  }
  return fields;
}

}  // namespace papo
