#include "fcgi-app/http/response.h"

namespace papo {
namespace {

void AddSecurityHeaders(Response& response) {
  for (const auto& [name, value] : kSecurityHeaders) response.AddHeader(std::string(name), std::string(value));
}

}  // namespace

Response Response::Html(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.AddHeader("Content-Type", "text/html; charset=utf-8");
  AddSecurityHeaders(response);
  return response;
}

Response Response::Json(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.AddHeader("Content-Type", "application/json; charset=utf-8");
  AddSecurityHeaders(response);
  return response;
}

Response Response::NoContent() {
  Response response;
  response.status = 204;
  return response;
}

Response Response::Redirect(std::string location) {
  Response response;
  response.status = 303;
  response.AddHeader("Location", std::move(location));
  return response;
}

Response& Response::AddHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string_view Response::HeaderValue(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

std::string_view StatusReason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 303: return "See Other";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

std::string SerializeCgi(const Response& response) {
  std::string out;
  out.reserve(response.body.size() + 256);
  out += "Status: ";
  out += std::to_string(response.status);
  out += ' ';
  out += StatusReason(response.status);
  out += "\r\n";
  for (const auto& [name, value] : response.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  out += "\r\n";
  out += response.body;
  return out;
}

}  // namespace papo
