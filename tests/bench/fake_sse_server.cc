#include "fake_sse_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "common/form.h"

namespace papo::bench::testing {
namespace {

struct Client {
  int fd;
  std::string in;
  bool subscriber = false;
  int number = -1;  // X-Sub
  int room = 0;
};

class FakeServer {
 public:
  FakeServer(int listen_fd, const FakeFaults& faults) : listen_fd_(listen_fd), faults_(faults) {}
  [[noreturn]] void Run();

 private:
  void Accept();
  bool OnData(Client& client);  // false: close it
  void Request(Client& client, const std::string& head, const std::string& body);
  void Publish(int room, const std::string& data);
  void SendFrame(Client& client, const std::string& frame);
  std::string MessageFrame(int n, const std::string& data) const {
    return "id: " + std::to_string(n) + "\ndata: " + data + "\n\n";
  }
  static std::string Header(const std::string& head, const std::string& name);
  static void WriteAll(int fd, const std::string& text);

  int listen_fd_;
  FakeFaults faults_;
  std::vector<Client> clients_;
  std::map<int, std::vector<std::string>> history_;  // room -> data by seq - 1
  std::string held_;                                 // the swapped frame
  bool closed_once_ = false;
};

void FakeServer::WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

std::string FakeServer::Header(const std::string& head, const std::string& name) {
  auto at = head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return head.substr(at, head.find("\r\n", at) - at);
}

void FakeServer::SendFrame(Client& client, const std::string& frame) {
  if (!faults_.chunked) {
    WriteAll(client.fd, frame);
    return;
  }
  char size[32];
  size_t half = frame.size() / 2;
  std::string wire;
  std::snprintf(size, sizeof(size), "%zx\r\n", half);
  wire += size + frame.substr(0, half) + "\r\n";
  std::snprintf(size, sizeof(size), "%zX\r\n", frame.size() - half);
  wire += size + frame.substr(half) + "\r\n";
  WriteAll(client.fd, wire);
}

void FakeServer::Publish(int room, const std::string& data) {
  auto& history = history_[room];
  history.push_back(data);
  int n = static_cast<int>(history.size());
  auto k = static_cast<uint32_t>(n - 1);
  for (auto& c : clients_) {
    if (!c.subscriber || c.room != room || c.fd < 0) continue;
    SendFrame(c, "event: presenca\ndata: {\"usuarios_online\":1}\n\n: ping\n\n");
    std::string frame = MessageFrame(n, data);
    if (c.number == faults_.drop_subscriber && k == faults_.drop_k) continue;
    if (c.number == faults_.swap_subscriber && k == faults_.swap_k) {
      held_ = frame;
      continue;
    }
    SendFrame(c, frame);
    if (c.number == faults_.duplicate_subscriber && k == faults_.duplicate_k) SendFrame(c, frame);
    if (c.number == faults_.swap_subscriber && k == faults_.swap_k + 1) SendFrame(c, held_);
    if (c.number == faults_.close_subscriber && k == faults_.close_k && !closed_once_) {
      closed_once_ = true;
      close(c.fd);
      c.fd = -1;
    }
  }
}

void FakeServer::Request(Client& client, const std::string& head, const std::string& body) {
  auto space = head.find(' ');
  std::string method = head.substr(0, space);
  std::string target = head.substr(space + 1, head.find(' ', space + 1) - space - 1);
  auto id_at = target.find("id=");
  int room = id_at == std::string::npos ? 0 : std::atoi(target.c_str() + id_at + 3);
  if (method == "GET" && target.rfind("/sub", 0) == 0) {
    int number = std::atoi(Header(head, "X-Sub").c_str());
    if (number == faults_.refuse_subscriber) {
      WriteAll(client.fd, "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    client.subscriber = true;
    client.room = room;
    client.number = number;
    std::string te = faults_.chunked ? "Transfer-Encoding: chunked\r\n" : "";
    WriteAll(client.fd, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n" + te + "\r\n");
    SendFrame(client, ": hi\n\n");
    std::string last = Header(head, "Last-Event-ID");
    auto& history = history_[room];
    for (size_t n = last.empty() ? history.size() : std::stoul(last); n < history.size(); ++n) {
      SendFrame(client, MessageFrame(static_cast<int>(n + 1), history[n]));
    }
    return;
  }
  std::string answer = "{\"success\":true}";
  int status = 201;
  if (target == "/chat/enviar") {
    auto form = ParseForm(body);
    bool allowed = Header(head, "Cookie") == "papo_session=ok" && Header(head, "X-CSRF-Token") == "ok";
    if (!allowed || !form.ok()) {
      status = 403;
      answer = "{\"success\":false}";
    } else {
      room = std::atoi(std::string(form->GetOr("sala_id", "0")).c_str());
      Publish(room, "{\"mensagem\":\"" + std::string(form->GetOr("mensagem", "")) + "\"}");
      status = 200;
    }
  } else {
    Publish(room, body);
  }
  WriteAll(client.fd, "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " +
                          std::to_string(answer.size()) + "\r\n\r\n" + answer);
}

bool FakeServer::OnData(Client& client) {
  char buffer[65536];
  ssize_t n = read(client.fd, buffer, sizeof(buffer));
  if (n <= 0) return false;
  client.in.append(buffer, static_cast<size_t>(n));
  for (;;) {
    auto end = client.in.find("\r\n\r\n");
    if (end == std::string::npos) return true;
    std::string head = client.in.substr(0, end + 2);
    std::string length = Header(head, "Content-Length");
    size_t body_size = length.empty() ? 0 : std::stoul(length);
    if (client.in.size() < end + 4 + body_size) return true;
    std::string body = client.in.substr(end + 4, body_size);
    client.in.erase(0, end + 4 + body_size);
    Request(client, head, body);
    if (client.fd < 0) return true;
  }
}

void FakeServer::Run() {
  for (;;) {
    std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
    for (const auto& c : clients_) fds.push_back({c.fd, POLLIN, 0});
    poll(fds.data(), fds.size(), 1000);
    if (fds[0].revents & POLLIN) Accept();
    for (size_t i = 1; i < fds.size(); ++i) {
      Client& c = clients_[i - 1];
      if (c.fd >= 0 && fds[i].revents && !OnData(c)) {
        close(c.fd);
        c.fd = -1;
      }
    }
    std::erase_if(clients_, [](const Client& c) { return c.fd < 0; });
  }
}

void FakeServer::Accept() {
  int fd = accept(listen_fd_, nullptr, nullptr);
  if (fd >= 0) clients_.push_back(Client{fd, "", false, -1, 0});
}

}  // namespace

void RunFakeSseServer(int listen_fd, const FakeFaults& faults) {
  FakeServer server(listen_fd, faults);
  server.Run();
}

int StartFakeSseServer(const FakeFaults& faults, int& port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  listen(fd, 512);
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  pid_t pid = fork();
  if (pid == 0) RunFakeSseServer(fd, faults);
  close(fd);
  return pid;
}

}  // namespace papo::bench::testing
