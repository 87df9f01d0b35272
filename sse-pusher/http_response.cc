#include "sse-pusher/http_response.h"

#include "common/sse_frame.h"

namespace papo::pusher {
namespace {

std::string_view ErrorText(int status) {
  switch (status) {
    case 400: return "Requisição inválida.";
    case 401: return "Sessão ausente ou expirada.";
    case 403: return "Acesso negado.";
    case 404: return "Recurso não encontrado.";
    case 405: return "Método não permitido.";
    case 414: return "Endereço longo demais.";
    case 431: return "Cabeçalhos grandes demais.";
    case 501: return "Recurso não suportado.";
    case 503: return "Serviço indisponível no momento; tente novamente em instantes.";
    case 505: return "Versão de HTTP não suportada.";
    default: return "Erro.";
  }
}

}  // namespace

std::string_view StatusText(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Error";
  }
}

std::string MakeHttpResponse(int status, std::string_view content_type, std::string_view body,
                             std::string_view extra_headers, bool head_only) {
  std::string out;
  out.reserve(160 + extra_headers.size() + body.size());
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += StatusText(status);
  out += "\r\nContent-Type: ";
  out += content_type;
  out += "\r\nContent-Length: ";
  out += std::to_string(body.size());
  out += "\r\nCache-Control: no-store\r\nConnection: close\r\n";
  out += extra_headers;
  out += "\r\n";
  if (!head_only) out += body;
  return out;
}

std::string MakeErrorResponse(int status, std::string_view extra_headers) {
  return MakeErrorResponseSaying(status, ErrorText(status), extra_headers);  // constant text: nothing to escape
}

std::string MakeErrorResponseSaying(int status, std::string_view erro, std::string_view extra_headers) {
  // The same shape as papo-app's and nginx's refusals (DESIGN §3).
  std::string body = "{\"success\":false,\"erro\":\"";
  body += erro;
  body += "\"}";
  return MakeHttpResponse(status, "application/json; charset=utf-8", body, extra_headers);
}

std::string MakeStreamHead(int retry_ms) {
  std::string out =
      "HTTP/1.1 200 OK\r\n"
      "Content-Type: text/event-stream\r\n"
      "Cache-Control: no-cache\r\n"
      "X-Accel-Buffering: no\r\n"
      "Connection: close\r\n"
      "\r\n";
  out += FrameSseRetry(retry_ms);
  out += FrameSseComment("papo");
  return out;
}

}  // namespace papo::pusher
