#include "tests/support/web_user.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "tests/support/net.h"

namespace papo::testing {

std::string UniqueEmail(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "@exemplo.com";
}

std::string CsrfFromPage(const std::string& html) {
  const std::string marker = "<meta name=\"csrf-token\" content=\"";
  auto start = html.find(marker);
  if (start == std::string::npos) return {};
  start += marker.size();
  auto end = html.find('"', start);
  return html.substr(start, end - start);
}

void WebUser::TakeSession(const HttpResponse& response) {
  for (const auto& value : response.Headers("set-cookie")) {
    if (value.rfind("papo_session=", 0) == 0) cookie_ = value.substr(0, value.find(';'));
  }
  if (cookie_.empty()) return;
  HttpResponse page = Get("/chat/listar-salas");
  csrf_ = CsrfFromPage(page.body);
  auto marker = page.body.find("data-usuario-id=\"");
  if (marker != std::string::npos) id_ = std::atoll(page.body.c_str() + marker + 17);
}

HttpResponse WebUser::Register(const std::string& nome, const std::string& email, const std::string& senha) {
  HttpResponse response = HttpCall(port_, "POST", "/cadastro", {},
                                   FormEncode({{"nome", nome}, {"email", email}, {"senha", senha},
                                               {"confirmar_senha", senha}}));
  if (response.status == 303) TakeSession(response);
  return response;
}

HttpResponse WebUser::Login(const std::string& email, const std::string& senha) {
  HttpResponse response = HttpCall(port_, "POST", "/login", {}, FormEncode({{"email", email}, {"senha", senha}}));
  if (response.status == 303) TakeSession(response);
  return response;
}

HttpResponse WebUser::Get(const std::string& target, const HeaderList& headers) const {
  HeaderList all = headers;
  if (!cookie_.empty()) all.emplace_back("Cookie", cookie_);
  return HttpCall(port_, "GET", target, all);
}

HttpResponse WebUser::Post(const std::string& path, Fields fields, bool with_csrf) const {
  if (with_csrf) fields.emplace_back("csrf_token", csrf_);
  HeaderList headers;
  if (!cookie_.empty()) headers.emplace_back("Cookie", cookie_);
  return HttpCall(port_, "POST", path, headers, FormEncode(fields));
}

HttpResponse WebUser::Send(int64_t sala_id, const std::string& mensagem, const std::string& client_id) const {
  Fields fields = {{"sala_id", std::to_string(sala_id)}, {"mensagem", mensagem}};
  if (!client_id.empty()) fields.emplace_back("client_id", client_id);
  return Post("/chat/enviar", fields);
}

std::unique_ptr<SseClient> WebUser::Stream(const std::string& query, const HeaderList& headers,
                                           int receive_buffer) const {
  HeaderList all = headers;
  if (!cookie_.empty()) all.emplace_back("Cookie", cookie_);
  return SseClient::Open(ConnectTcp(port_), "/chat/stream?" + query, all, std::chrono::milliseconds(10000),
                         receive_buffer);
}

}  // namespace papo::testing
