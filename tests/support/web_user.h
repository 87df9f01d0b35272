// WebUser: what a browser does over HTTP, for integration tests: registers
// or logs in through nginx, keeps the session cookie and the CSRF token
// (read from the page, as the browser's script does), and calls the routes.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/http_client.h"
#include "tests/support/sse_client.h"

namespace papo::testing {

using Fields = std::vector<std::pair<std::string, std::string>>;

// An e-mail no other test uses ("ana-<pid>-<n>@exemplo.com").
std::string UniqueEmail(const std::string& prefix);

class WebUser final {
 public:
  explicit WebUser(int port) : port_(port) {}

  // POST /cadastro; on success keeps the cookie and loads the CSRF token.
  HttpResponse Register(const std::string& nome, const std::string& email, const std::string& senha = "segredo123");
  HttpResponse Login(const std::string& email, const std::string& senha = "segredo123");

  HttpResponse Get(const std::string& target, const HeaderList& headers = {}) const;
  // POST a form with the CSRF token added (unless with_csrf is false).
  HttpResponse Post(const std::string& path, Fields fields, bool with_csrf = true) const;
  HttpResponse Send(int64_t sala_id, const std::string& mensagem, const std::string& client_id = "") const;
  // GET /chat/stream?<query> through nginx.
  std::unique_ptr<SseClient> Stream(const std::string& query, const HeaderList& headers = {},
                                    int receive_buffer = 0) const;

  const std::string& cookie() const { return cookie_; }
  const std::string& csrf() const { return csrf_; }
  int64_t id() const { return id_; }
  void set_cookie(std::string cookie) { cookie_ = std::move(cookie); }

 private:
  void TakeSession(const HttpResponse& response);
  int port_;
  std::string cookie_;  // "papo_session=…"
  std::string csrf_;
  int64_t id_ = 0;
};

// The value of <meta name="csrf-token" content="…"> in a page, "" if none.
std::string CsrfFromPage(const std::string& html);

}  // namespace papo::testing
