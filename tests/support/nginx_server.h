// NginxServer: a real nginx with the project's config (nginx/papo.conf.template)
// on a free port, under the test's directory; stopped by PID.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace papo::testing {

struct NginxOptions {
  std::string run_dir;                       // logs, pid, temp files
  std::vector<std::string> app_sockets;      // papo-app FastCGI unix sockets
  std::vector<std::string> pusher_sockets;   // papo-pusher unix sockets (or host:port)
  std::string pusher_secret;                 // sent as X-Papo-Pusher-Secret when set
  int worker_processes = 1;
  int worker_connections = 4096;
  std::string sse_read_timeout = "1h";
  // ProcessOptions::parent_death_signal for the master (0: none).
  int parent_death_signal = 0;
  // As deploy/render-nginx-conf reads CHAT_IP_RATE_LIMIT (0: no limit_req
  // on /login and /cadastro, no limit_conn on /chat/stream) and
  // CHAT_MAX_STREAMS_PER_USER (streams per address: 10 x this).
  int ip_rate_limit = 0;
  int max_streams_per_user = 20;
};

// Fills the @PLACEHOLDERS@ of the template (also used by deploy/, in shell).
std::string RenderNginxConf(const std::string& template_text, const std::map<std::string, std::string>& values);

class NginxServer final {
 public:
  explicit NginxServer(NginxOptions options);
  ~NginxServer() { process_.Stop(); }
  int port() const { return port_; }
  pid_t pid() const { return process_.pid(); }
  bool running() { return process_.Running(); }
  // Starts again with the same config and port (after it died).
  void Start();
  std::string ErrorLog() const;

 private:
  NginxOptions options_;
  int port_;
  Process process_;
};

}  // namespace papo::testing
