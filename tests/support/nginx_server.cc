#include "tests/support/nginx_server.h"

#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "tests/support/net.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {

std::string RenderNginxConf(const std::string& template_text, const std::map<std::string, std::string>& values) {
  std::string out = template_text;
  for (const auto& [name, value] : values) {
    std::string placeholder = "@" + name + "@";
    for (size_t pos = out.find(placeholder); pos != std::string::npos; pos = out.find(placeholder, pos + value.size())) {
      out.replace(pos, placeholder.size(), value);
    }
  }
  return out;
}

namespace {

std::string UpstreamLines(const std::vector<std::string>& sockets) {
  std::string lines;
  // max_fails=0 as deploy/render-nginx-conf (the template says why).
  for (const auto& socket : sockets) {
    lines += "        server " + (socket.starts_with("/") ? "unix:" + socket : socket) + " max_fails=0;\n";
  }
  // An upstream block needs a server; a closed port answers 502 at once.
  if (lines.empty()) lines = "        server 127.0.0.1:9 down;\n";
  return lines;
}

// The per-address limit lines, as deploy/render-nginx-conf writes them.
std::map<std::string, std::string> LimitLines(const NginxOptions& options) {
  int rate = options.ip_rate_limit;
  if (rate <= 0) return {{"LOGIN_LIMIT_ZONE", ""}, {"LOGIN_LIMIT", ""}, {"STREAM_LIMIT_ZONE", ""}, {"STREAM_LIMIT", ""}};
  int per_address = options.max_streams_per_user > 0 ? 10 * options.max_streams_per_user : 200;
  return {
      {"LOGIN_LIMIT_ZONE",
       "    limit_req_zone $papo_login_address zone=papo_login:10m rate=" + std::to_string(rate) + "r/m;"},
      {"LOGIN_LIMIT", "            limit_req zone=papo_login burst=" + std::to_string(2 * rate) + " nodelay;"},
      {"STREAM_LIMIT_ZONE", "    limit_conn_zone $binary_remote_addr zone=papo_streams:10m;"},
      {"STREAM_LIMIT", "            limit_conn papo_streams " + std::to_string(per_address) + ";"},
  };
}

}  // namespace

NginxServer::NginxServer(NginxOptions options) : options_(std::move(options)), port_(FreePort()) {
  const std::string& dir = options_.run_dir;
  for (const char* sub : {"/logs", "/nginx-tmp"}) std::filesystem::create_directories(dir + sub);
  std::map<std::string, std::string> values = LimitLines(options_);
  values.merge(std::map<std::string, std::string>{
      {"USER_LINE", ::geteuid() == 0 ? "user root;" : ""},
      {"WORKER_PROCESSES", std::to_string(options_.worker_processes)},
      {"WORKER_CONNECTIONS", std::to_string(options_.worker_connections)},
      {"RUN_DIR", dir},
      {"ACCESS_LOG", dir + "/logs/nginx-access.log"},
      {"APP_SERVERS", UpstreamLines(options_.app_sockets)},
      {"PUSHER_SERVERS", UpstreamLines(options_.pusher_sockets)},
      {"PUSHER_SECRET_LINE", options_.pusher_secret.empty() ? ""
                             : "            proxy_set_header X-Papo-Pusher-Secret " + options_.pusher_secret + ";"},
      {"LISTEN", "127.0.0.1:" + std::to_string(port_)},
      {"STATIC_DIR", SourceDir() + "/static"},
      {"BOOTSTRAP_DIR", "/usr/share/javascript/bootstrap5"},
      {"SSE_READ_TIMEOUT", options_.sse_read_timeout}});
  std::string conf = RenderNginxConf(ReadFile(SourceDir() + "/nginx/papo.conf.template"), values);
  WriteFile(dir + "/nginx.conf", conf);
  Start();
}

void NginxServer::Start() {
  const std::string& dir = options_.run_dir;
  ProcessOptions process_options;
  process_options.parent_death_signal = options_.parent_death_signal;
  process_ = Process({"/usr/sbin/nginx", "-p", dir, "-c", dir + "/nginx.conf", "-e", dir + "/logs/nginx-error.log"},
                     {}, dir + "/logs/nginx-stdout.log", process_options);
  if (!WaitForTcp(port_)) throw std::runtime_error("nginx did not start: " + ErrorLog());
}

std::string NginxServer::ErrorLog() const { return ReadFile(options_.run_dir + "/logs/nginx-error.log"); }

}  // namespace papo::testing
