// Decoding of application/x-www-form-urlencoded bodies and query strings.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace papo {

// Name → value. A repeated name keeps its first value, so a copy appended
// later (by a proxy or a crafted link) cannot override what came first.
class FormFields final {
 public:
  void Add(std::string name, std::string value);
  std::optional<std::string_view> Get(std::string_view name) const;
  std::string_view GetOr(std::string_view name, std::string_view fallback) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  size_t size() const { return fields_.size(); }

 private:
  std::map<std::string, std::string, std::less<>> fields_;
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
