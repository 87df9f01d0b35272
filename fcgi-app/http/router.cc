#include "fcgi-app/http/router.h"

#include <exception>

#include "common/log.h"
#include "fcgi-app/app_services.h"
#include "fcgi-app/http/body_params.h"
#include "fcgi-app/http/cookies.h"
#include "fcgi-app/http/error_responses.h"
#include "fcgi-app/services/crypto.h"
#include "fcgi-app/services/validation.h"

namespace papo {
namespace {

std::string_view NextSegment(std::string_view& rest) {
  if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  auto slash = rest.find('/');
  auto segment = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  return segment;
}

bool IsJsonPath(const Request& request) {
  return request.WantsJson() || request.path == "/chat/enviar" || request.path == "/chat/mensagens" ||
         request.path == "/chat/lida" || request.path == "/chat/digitando";
}

// The path of the Referer when it is a page of this site ("" otherwise):
// its host must be the request's Host (ports aside: nginx's $host has none).
std::string SameSiteRefererPath(const Request& request) {
  std::string_view referer = request.Header("referer");
  auto scheme_end = referer.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view rest = referer.substr(scheme_end + 3);
  auto path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  if (authority.find('@') != std::string_view::npos) return {};
  auto without_port = [](std::string_view host) {
    auto colon = host.rfind(':');
    if (colon == std::string_view::npos || host.find(']', colon) != std::string_view::npos) return host;
    return host.substr(0, colon);
  };
  std::string_view host = request.Header("host");
  if (host.empty() || without_port(authority) != without_port(host)) return {};
  if (path_start == std::string_view::npos) return "/";
  std::string_view path = rest.substr(path_start);
  return std::string(path.substr(0, path.find('#')));
}

}  // namespace

std::string Router::AllowedMethods(std::string_view path) const {
  bool get = false;
  bool post = false;
  int64_t id = 0;
  for (const auto& route : routes_) {
    if (!MatchRoute(route.pattern, path, id)) continue;
    get = get || route.method == "GET";
    post = post || route.method == "POST";
  }
  std::string allow;
  if (get) allow = "GET, HEAD";
  if (post) allow += allow.empty() ? "POST" : ", POST";
  return allow;
}

// After login the browser GETs `next`, so it must name a page: a GET or
// HEAD keeps its own URL; any other method (a form post whose session had
// expired) returns to the page the form was on, when the Referer names one
// of this site's GET pages, else to /login alone (then the room list).
std::string Router::LoginRedirect(const Request& request) const {
  std::string next;
  if (request.method == "GET" || request.method == "HEAD") {
    next = request.path;
    if (!request.query_string.empty()) next += "?" + request.query_string;
  } else {
    next = SameSiteRefererPath(request);
    std::string_view path = std::string_view(next).substr(0, next.find('?'));
    if (next.empty() || SafeNextPath(next) != next || AllowedMethods(path).find("GET") == std::string::npos) {
      return "/login";
    }
  }
  return "/login?next=" + PercentEncode(next);
}

bool MatchRoute(std::string_view pattern, std::string_view path, int64_t& id) {
  int64_t usuario_id = 0;
  return MatchRoute(pattern, path, id, usuario_id);
}

bool MatchRoute(std::string_view pattern, std::string_view path, int64_t& id, int64_t& usuario_id) {
  if (pattern.find('{') == std::string_view::npos) return pattern == path;
  std::string_view pattern_rest = pattern;
  std::string_view path_rest = path;
  while (!pattern_rest.empty() || !path_rest.empty()) {
    if (pattern_rest.empty() || path_rest.empty()) return false;
    auto expected = NextSegment(pattern_rest);
    auto actual = NextSegment(path_rest);
    if (expected == "{id}" || expected == "{usuario_id}") {
      auto parsed = ParsePositiveId(actual);
      if (!parsed) return false;
      (expected == "{id}" ? id : usuario_id) = *parsed;
    } else if (expected != actual) {
      return false;
    }
  }
  return true;
}

Response Router::Dispatch(const Request& request, AppServices& services) const {
  std::string_view method = request.method == "HEAD" ? std::string_view("GET") : std::string_view(request.method);
  const Route* found = nullptr;
  bool path_known = false;
  int64_t id = 0;
  int64_t usuario_id = 0;
  for (const auto& route : routes_) {
    int64_t candidate = 0;
    int64_t candidate_user = 0;
    if (!MatchRoute(route.pattern, request.path, candidate, candidate_user)) continue;
    path_known = true;
    if (route.method == method) {
      found = &route;
      id = candidate;
      usuario_id = candidate_user;
      break;
    }
  }
  if (found == nullptr) {
    bool json = IsJsonPath(request);
    if (path_known) {
      Response response = ErrorResponse(services, json, 405, nullptr, "Método não permitido para este endereço.");
      response.AddHeader("Allow", AllowedMethods(request.path));
      return response;
    }
    return ErrorResponse(services, json, 404, nullptr, "O endereço que você procurou não existe.");
  }
  RequestContext context{request, services, std::nullopt, {}, id, usuario_id};
  try {
    return Run(*found, context);
  } catch (const std::exception& error) {
    Log(LogLevel::kError, "handler_exception").Kv("path", request.path).Kv("error", error.what());
  } catch (...) {
    Log(LogLevel::kError, "handler_exception").Kv("path", request.path).Kv("error", "unknown");
  }
  return ErrorResponse(services, found->access == Access::kJson, 500, nullptr,
                       "Não foi possível concluir a operação.");
}

Response Router::Run(const Route& route, RequestContext& context) const {
  const Request& request = context.request;
  // A page route a script calls with Accept: application/json (POST
  // /chat/dm) answers its refusals in JSON too, 401 instead of the login
  // redirect included.
  bool json = route.access == Access::kJson || (route.access == Access::kPage && request.WantsJson());
  if (route.access != Access::kPublic) {
    auto session = context.services.auth.Authenticate(request.Cookie(kSessionCookieName));
    if (!session.ok()) return StatusResponse(context.services, json, session.status(), nullptr);
    context.session = std::move(*session);
    if (!context.session) {
      if (route.access == Access::kPage && !json) return Response::Redirect(LoginRedirect(request));
      if (route.access == Access::kInternal) return Response::Json(401, ErrorJson("Sessão inválida ou expirada."));
      return Response::Json(401, ErrorJson("Sessão inválida ou expirada. Entre novamente."));
    }
  }
  const Session* session = context.session ? &*context.session : nullptr;
  if (request.method == "POST") {
    auto params = ParseBodyParams(request);
    if (!params.ok()) return ErrorResponse(context.services, json, 400, session, params.status().message());
    context.params = std::move(params).value();
    if (session != nullptr) {
      std::string_view token = context.params.GetOr("csrf_token", request.Header("x-csrf-token"));
      if (!TokensEqual(token, session->csrf_token)) {
        return ErrorResponse(context.services, json, 403, session,
                             "Token de segurança (CSRF) ausente ou inválido. Recarregue a página e tente de novo.");
      }
    }
  } else {
    auto query = ParseForm(request.query_string);
    if (!query.ok()) return ErrorResponse(context.services, json, 400, session, "Parâmetros da URL malformados.");
    context.params = std::move(query).value();
  }
  return route.handler(context);
}

}  // namespace papo
