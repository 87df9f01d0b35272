// Decoding of application/x-www-form-urlencoded bodies and query strings.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace papo {

// What a value was before it became text. A form or query value is always
// kText; a JSON body keeps each member's JSON type, so validation can refuse
// `true` where an id belongs instead of reading it as "1".
enum class FieldType {
  kText,
  kInteger,  // a JSON number with an integral value; the text is its decimal form
  kNumber,   // any other JSON number
  kBoolean,  // the text is "1" or "0"
  kNull,     // the text is ""
  kArray,    // the text is ""
  kObject,   // the text is ""
};

// Name → value. A repeated name keeps its first value, so a copy appended
// later (by a proxy or a crafted link) cannot override what came first.
class FormFields final {
 public:
  void Add(std::string name, std::string value, FieldType type = FieldType::kText);
  std::optional<std::string_view> Get(std::string_view name) const;
  std::string_view GetOr(std::string_view name, std::string_view fallback) const;
  // kText for an absent field.
  FieldType TypeOf(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  size_t size() const { return fields_.size(); }

 private:
  struct Field {
    std::string value;
    FieldType type;
  };
  std::map<std::string, Field, std::less<>> fields_;
};

// The value of one hexadecimal digit (0-15), or -1.
int HexDigitValue(char c);

// Decodes %XX and '+'. Returns InvalidArgument for a truncated or non-hex
// escape. The result may hold any bytes: validate UTF-8 where it matters.
Result<std::string> PercentDecode(std::string_view text);

// Encodes everything but unreserved characters (RFC 3986) for URLs and headers.
std::string PercentEncode(std::string_view text);

// Parses "a=1&b=x+y". Empty pairs are ignored; a name without '=' has "".
Result<FormFields> ParseForm(std::string_view text);

}  // namespace papo
