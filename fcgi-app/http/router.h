// Router: maps method + path to a handler and applies what every route of
// DESIGN §3 shares, before the handler runs: the session (303 to
// /login?next=… for pages, 401 for JSON), the body parameters, and the CSRF
// token on every POST (403). Handlers only see a ready RequestContext.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/form.h"
#include "fcgi-app/db/models.h"
#include "fcgi-app/http/request.h"
#include "fcgi-app/http/response.h"

namespace papo {

struct AppServices;

enum class Access {
  kPublic,    // no session needed (login, cadastro)
  kPage,      // session required; without it 303 to /login?next=…
  kJson,      // session required; without it 401 JSON
  kInternal,  // nginx's auth_request subrequest; answers 401 itself
};

struct RequestContext {
  const Request& request;
  AppServices& services;
  std::optional<Session> session;  // set for kPage/kJson routes
  FormFields params;               // POST: body parameters; GET: query parameters
  int64_t path_id = 0;             // the {id} of the path, when the route has one
  int64_t path_usuario_id = 0;     // the {usuario_id} of the path, when the route has one
};

using Handler = Response (*)(RequestContext&);

struct Route {
  std::string_view method;   // "GET" also answers HEAD
  std::string_view pattern;  // literal segments, at most one "{id}" and one "{usuario_id}" (positive integers)
  Access access;
  Handler handler;
};

class Router final {
 public:
  explicit Router(std::vector<Route> routes) : routes_(std::move(routes)) {}
  // Never throws: a handler's exception becomes a 500.
  Response Dispatch(const Request& request, AppServices& services) const;
  // The Allow header of a 405 for `path`: every method a route of the path
  // takes ("GET, HEAD, POST"; GET brings HEAD); "" for an unknown path.
  std::string AllowedMethods(std::string_view path) const;
  // Where a page route sends a visitor without a session: /login?next=….
  std::string LoginRedirect(const Request& request) const;

 private:
  Response Run(const Route& route, RequestContext& context) const;
  std::vector<Route> routes_;
};

// True when `path` matches `pattern`; stores the {id} segment in `id`.
bool MatchRoute(std::string_view pattern, std::string_view path, int64_t& id);
// The same, also reading a "{usuario_id}" segment into `usuario_id`.
bool MatchRoute(std::string_view pattern, std::string_view path, int64_t& id, int64_t& usuario_id);

}  // namespace papo
