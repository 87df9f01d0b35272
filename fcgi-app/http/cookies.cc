#include "fcgi-app/http/cookies.h"

namespace papo {

std::string SessionCookie(std::string_view token, int64_t max_age_seconds, bool secure) {
  std::string cookie(kSessionCookieName);
  cookie += '=';
  cookie += token;
  cookie += "; Path=/; Max-Age=" + std::to_string(max_age_seconds) + "; HttpOnly; SameSite=Lax";
  if (secure) cookie += "; Secure";
  return cookie;
}

std::string ExpiredSessionCookie(bool secure) { return SessionCookie("", 0, secure); }

}  // namespace papo
