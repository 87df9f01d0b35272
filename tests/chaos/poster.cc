#include "tests/chaos/poster.h"

#include <thread>

#include "tests/support/json.h"

namespace papo::chaos {

namespace {
std::atomic<int> in_flight{0};
}  // namespace

int PostsInFlight() { return in_flight.load(); }

void Poster::Run(const std::atomic<bool>& stop, int finish_ms) {
  std::optional<Clock::time_point> stopped_at;
  for (int64_t n = 0; !stop; ++n) {
    int64_t sala = rooms_[static_cast<size_t>(index_ + n) % rooms_.size()];
    std::string client_id = "p" + std::to_string(index_) + "-" + std::to_string(n);
    std::string text = "chaos " + client_id;
    while (true) {
      ++in_flight;
      testing::HttpResponse response = user_.Send(sala, text, client_id);
      --in_flight;
      auto now = Clock::now();
      if (response.status == 200) {
        auto json = testing::Json(response.body);
        Ack ack;
        ack.usuario_id = user_.id();
        ack.client_id = client_id;
        ack.sala_id = sala;
        if (!json.HasParseError() && json.IsObject() && json.HasMember("seq") && json["seq"].IsInt64() &&
            json.HasMember("mensagem_id") && json["mensagem_id"].IsInt64()) {
          ack.seq = json["seq"].GetInt64();
          ack.mensagem_id = json["mensagem_id"].GetInt64();
        }
        ack.at = now;
        acks_.push_back(std::move(ack));
        break;
      }
      if (response.status == 422) {
        ++rejected_;
        break;
      }
      failures_.emplace_back(now, response.status);
      if (stop) {
        if (!stopped_at) stopped_at = now;
        if (now - *stopped_at > std::chrono::milliseconds(finish_ms)) {
          ++abandoned_;
          break;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms_));
  }
}

}  // namespace papo::chaos
