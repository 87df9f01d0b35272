#include "fcgi-app/http/request.h"

namespace papo {

std::string_view Request::Header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string_view() : std::string_view(it->second);
}

std::string Request::Cookie(std::string_view name) const {
  std::string_view rest = Header("cookie");
  while (!rest.empty()) {
    auto semicolon = rest.find(';');
    auto pair = rest.substr(0, semicolon);
    rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    if (pair.substr(0, eq) == name) {
      auto value = pair.substr(eq + 1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      return std::string(value);
    }
  }
  return {};
}

bool Request::WantsJson() const {
  return Header("accept").find("application/json") != std::string_view::npos;
}

bool Request::IsBrowserNavigation() const {
  return Header("accept").find("text/html") != std::string_view::npos && !WantsJson();
}

}  // namespace papo
