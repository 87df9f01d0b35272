// The Set-Cookie values of the papo_session cookie (DESIGN §3: HttpOnly,
// SameSite=Lax, Secure when PAPO_COOKIE_SECURE=1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace papo {

inline constexpr std::string_view kSessionCookieName = "papo_session";

std::string SessionCookie(std::string_view token, int64_t max_age_seconds, bool secure);
std::string ExpiredSessionCookie(bool secure);

}  // namespace papo
