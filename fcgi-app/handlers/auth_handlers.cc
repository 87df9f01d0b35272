#include "common/log.h"
#include "fcgi-app/app_services.h"
#include "fcgi-app/handlers/handlers.h"
#include "fcgi-app/http/cookies.h"
#include "fcgi-app/http/error_responses.h"

namespace papo {
namespace {

// "host:port" -> "host" (an IPv6 literal keeps its brackets).
std::string_view WithoutPort(std::string_view host) {
  auto colon = host.rfind(':');
  auto bracket = host.rfind(']');  // [::1]:8080
  if (colon == std::string_view::npos || (bracket != std::string_view::npos && colon < bracket)) return host;
  return host.substr(0, colon);
}

// Login and cadastro have no session to bind a CSRF token to; a cross-site
// form post is refused by its Origin header instead (browsers send it on
// every POST). Clients that send no Origin (curl, scripts) are not browsers
// being tricked, so they pass.
bool CrossSiteOrigin(const Request& request) {
  std::string_view origin = request.Header("origin");
  if (origin.empty() || origin == "null") return !origin.empty();
  auto scheme_end = origin.find("://");
  std::string_view origin_host = scheme_end == std::string_view::npos ? origin : origin.substr(scheme_end + 3);
  std::string_view host = request.Header("host");
  // Debian's fastcgi_params sends HTTP_HOST as nginx's $host, which drops
  // the port (a site on :8080 gets "127.0.0.1"): compare ports only when
  // Host has one.
  if (WithoutPort(host) == host) origin_host = WithoutPort(origin_host);
  return origin_host != host;
}

Response LoggedIn(RequestContext& context, const NewSession& created, const std::string& next) {
  Response response = Response::Redirect(next);
  int64_t max_age = int64_t{context.services.config.session_days} * 86400;
  response.AddHeader("Set-Cookie", SessionCookie(created.token, max_age, context.services.config.cookie_secure));
  return response;
}

// A login or cadastro turned away by its limits (DESIGN §11): the form
// again, with the reason, the status (429 or 503) and Retry-After.
int StatusOf(const AuthRefusal& refusal) { return HttpStatusFor(Status(refusal.code, refusal.message)); }

Response Refused(Response page, const AuthRefusal& refusal) {
  page.AddHeader("Retry-After", std::to_string(refusal.retry_after_seconds));
  return page;
}

// The session of a public page's visitor, if they have one.
std::optional<Session> CurrentSession(RequestContext& context) {
  auto session = context.services.auth.Authenticate(context.request.Cookie(kSessionCookieName));
  if (!session.ok()) return std::nullopt;
  return *session;
}

}  // namespace

Response GetRoot(RequestContext&) { return Response::Redirect("/chat/listar-salas"); }

Response GetLogin(RequestContext& context) {
  std::string next = SafeNextPath(context.params.GetOr("next", ""));
  if (CurrentSession(context)) return Response::Redirect(next);
  LoginPageModel model;
  model.next = next;
  if (context.params.GetOr("saiu", "") == "1") model.aviso = "Você saiu da sua conta.";
  return context.services.views.Login(200, model);
}

Response PostLogin(RequestContext& context) {
  if (CrossSiteOrigin(context.request)) {
    return ErrorResponse(context.services, false, 403, nullptr, "Requisição de outro site recusada.");
  }
  LoginInput input;
  FieldErrors errors = ValidateLogin(context.params, input);
  LoginPageModel model;
  model.email = std::string(TextOr(context.params, "email", ""));
  model.next = input.next;
  if (auto refused = context.services.auth.CountAttempt(context.request.remote_addr)) {
    model.erro = refused->message;
    return Refused(context.services.views.Login(StatusOf(*refused), model), *refused);
  }
  if (!errors.empty()) {
    model.erros = std::move(errors);
    return context.services.views.Login(422, model);
  }
  auto outcome = context.services.auth.Login(input);
  if (!outcome.ok()) {
    if (outcome.status().code() != Status::Code::kUnauthenticated) {
      return StatusResponse(context.services, false, outcome.status(), nullptr);
    }
    model.erro = outcome.status().message();
    return context.services.views.Login(401, model);
  }
  if (!outcome->created) {
    model.erro = outcome->refusal.message;
    return Refused(context.services.views.Login(StatusOf(outcome->refusal), model),
                  outcome->refusal);
  }
  return LoggedIn(context, *outcome->created, input.next);
}

Response GetRegistration(RequestContext& context) {
  std::string next = SafeNextPath(context.params.GetOr("next", ""));
  if (CurrentSession(context)) return Response::Redirect(next);
  RegistrationPageModel model;
  model.next = next;
  return context.services.views.Registration(200, model);
}

Response PostRegistration(RequestContext& context) {
  if (CrossSiteOrigin(context.request)) {
    return ErrorResponse(context.services, false, 403, nullptr, "Requisição de outro site recusada.");
  }
  RegistrationInput input;
  FieldErrors errors = ValidateRegistration(context.params, input);
  RegistrationPageModel model;
  model.nome = std::string(TextOr(context.params, "nome", ""));
  model.email = std::string(TextOr(context.params, "email", ""));
  model.next = SafeNextPath(TextOr(context.params, "next", ""));
  if (auto refused = context.services.auth.CountAttempt(context.request.remote_addr)) {
    model.erro = refused->message;
    return Refused(context.services.views.Registration(StatusOf(*refused), model), *refused);
  }
  if (errors.empty()) {
    auto outcome = context.services.auth.Register(input);
    if (outcome.ok() && outcome->created) return LoggedIn(context, *outcome->created, model.next);
    if (outcome.ok()) {
      model.erro = outcome->refusal.message;
      return Refused(context.services.views.Registration(StatusOf(outcome->refusal), model),
                     outcome->refusal);
    }
    if (outcome.status().code() != Status::Code::kConflict) {
      return StatusResponse(context.services, false, outcome.status(), nullptr);
    }
    errors["email"] = "Este e-mail já está cadastrado. Entre com ele ou use outro.";
  }
  model.erros = std::move(errors);
  return context.services.views.Registration(422, model);
}

Response PostLogout(RequestContext& context) {
  Status status = context.services.auth.Logout(*context.session);
  if (!status.ok()) return StatusResponse(context.services, false, status, &*context.session);
  Response response = Response::Redirect("/login");
  response.AddHeader("Set-Cookie", ExpiredSessionCookie(context.services.config.cookie_secure));
  return response;
}

}  // namespace papo
