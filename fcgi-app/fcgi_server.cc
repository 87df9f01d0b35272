#include "fcgi-app/fcgi_server.h"

#include <fcgiapp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>

#include "common/log.h"
#include "fcgi-app/worker.h"

namespace papo {
namespace {

constexpr int kListenBacklog = 1024;

std::string Param(const FCGX_Request& request, const char* name) {
  const char* value = FCGX_GetParam(name, request.envp);
  return value != nullptr ? std::string(value) : std::string();
}

// HTTP_X_CSRF_TOKEN -> x-csrf-token
std::string HeaderName(std::string_view cgi_name) {
  std::string name;
  name.reserve(cgi_name.size());
  for (char c : cgi_name) name += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

Request ReadRequest(FCGX_Request& fcgi, bool& body_too_large) {
  Request request;
  request.method = Param(fcgi, "REQUEST_METHOD");
  request.query_string = Param(fcgi, "QUERY_STRING");
  request.content_type = Param(fcgi, "CONTENT_TYPE");
  request.remote_addr = Param(fcgi, "REMOTE_ADDR");
  request.original_uri = Param(fcgi, "PAPO_ORIGINAL_URI");
  // DOCUMENT_URI is nginx's decoded, normalized path; REQUEST_URI is the raw one.
  request.path = Param(fcgi, "DOCUMENT_URI");
  if (request.path.empty()) {
    request.path = Param(fcgi, "REQUEST_URI");
    if (auto question = request.path.find('?'); question != std::string::npos) request.path.resize(question);
  }
  for (char** env = fcgi.envp; env != nullptr && *env != nullptr; ++env) {
    std::string_view entry(*env);
    if (!entry.starts_with("HTTP_")) continue;
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    request.headers.emplace(HeaderName(entry.substr(5, eq - 5)), std::string(entry.substr(eq + 1)));
  }
  size_t length = std::strtoul(Param(fcgi, "CONTENT_LENGTH").c_str(), nullptr, 10);
  body_too_large = length > kMaxBodyBytes;
  if (length > 0 && !body_too_large) {
    request.body.resize(length);
    int read = FCGX_GetStr(request.body.data(), static_cast<int>(length), fcgi.in);
    request.body.resize(read > 0 ? static_cast<size_t>(read) : 0);
  }
  return request;
}

void WriteResponse(FCGX_Request& fcgi, const Response& response, bool head) {
  std::string out = SerializeCgi(head ? Response{response.status, response.headers, ""} : response);
  FCGX_PutStr(out.data(), static_cast<int>(out.size()), fcgi.out);
}

}  // namespace

Result<std::unique_ptr<FcgiServer>> FcgiServer::Listen(const std::string& address) {
  if (FCGX_Init() != 0) return Status::Internal("FCGX_Init failed");
  std::string unix_path;
  if (!address.empty() && address[0] == '/') {
    unix_path = address;
    ::unlink(unix_path.c_str());  // a socket left by a crashed process
  }
  int fd = FCGX_OpenSocket(address.c_str(), kListenBacklog);
  if (fd < 0) return Status::IOError("PAPO_FCGI_LISTEN: cannot listen on " + address);
  if (!unix_path.empty()) ::chmod(unix_path.c_str(), 0660);
  return std::unique_ptr<FcgiServer>(new FcgiServer(fd, unix_path));
}

FcgiServer::~FcgiServer() {
  ::close(fd_);
  if (!unix_path_.empty()) ::unlink(unix_path_.c_str());
}

void FcgiServer::ServeThread(Worker& worker, const Router& router) {
  FCGX_Request fcgi;
  FCGX_InitRequest(&fcgi, fd_, FCGI_FAIL_ACCEPT_ON_INTR);
  while (!stopping_.load()) {
    if (FCGX_Accept_r(&fcgi) < 0) {
      if (stopping_.load()) break;
      continue;  // interrupted or a failed connection: keep serving
    }
    bool too_large = false;
    Request request = ReadRequest(fcgi, too_large);
    Response response = too_large ? Response::Json(413, "{\"success\":false,\"erro\":\"Requisição grande demais.\"}")
                                  : router.Dispatch(request, worker.services());
    WriteResponse(fcgi, response, request.method == "HEAD");
    FCGX_Finish_r(&fcgi);
  }
  FCGX_Free(&fcgi, 1);
}

void FcgiServer::Shutdown() {
  stopping_.store(true);
  FCGX_ShutdownPending();
  // Wakes every thread blocked in accept(2) on this socket (EINVAL).
  ::shutdown(fd_, SHUT_RDWR);
}

}  // namespace papo
