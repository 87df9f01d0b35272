#include "tests/chaos/room_client.h"

#include <algorithm>
#include <random>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/json.h"
#include "tests/support/net.h"
#include "tests/support/sse_client.h"

namespace papo::chaos {

namespace {

constexpr std::chrono::milliseconds kPollEvery{3000};  // main.js SONDAGEM_MS
constexpr int kGapPage = 200;                          // historico.js PAGINA_LACUNA

// fluxo.js esperaComJitter: half fixed, half random, 1 s doubling up to 30 s.
std::chrono::milliseconds Backoff(int attempt) {
  thread_local std::mt19937 random{std::random_device{}()};
  int ceiling = std::min(30000, 1000 << std::min(attempt, 5));
  std::uniform_int_distribution<int> half(0, ceiling / 2);
  return std::chrono::milliseconds(ceiling / 2 + half(random));
}

bool ParseSeq(const std::string& text, int64_t& seq) {
  if (text.empty() || text.size() > 18) return false;
  seq = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    seq = seq * 10 + (c - '0');
  }
  return true;
}

}  // namespace

void RoomClient::Receive(int64_t seq, Source source) {
  if (source == Source::kStream) ++stats_.stream_events;
  else ++stats_.fetched;
  if (page_.count(seq) != 0) {
    if (source == Source::kStream) ++stats_.stream_duplicates;
    else ++stats_.fetch_duplicates;
    return;
  }
  if (seq < confirmed_) ++stats_.page_out_of_order;
  page_.insert(seq);
  confirmed_ = std::max(confirmed_, seq);
  int64_t before = prefix_;
  while (page_.count(prefix_ + 1) != 0) ++prefix_;
  if (prefix_ != before) {
    timeline_.emplace_back(Clock::now(), prefix_);
    prefix_atomic_ = prefix_;
  }
}

void RoomClient::FetchAfter(int64_t after, const std::atomic<bool>& stop) {
  int64_t apos = after;
  while (!stop) {
    testing::HttpResponse response =
        testing::HttpCall(port_, "GET",
                          "/chat/mensagens?sala_id=" + std::to_string(sala_id_) + "&apos_seq=" + std::to_string(apos) +
                              "&limit=" + std::to_string(kGapPage),
                          {{"Cookie", cookie_}});
    if (response.status != 200) return;
    auto json = testing::Json(response.body);
    if (json.HasParseError() || !json.IsObject() || !json.HasMember("mensagens") || !json["mensagens"].IsArray()) return;
    const auto& list = json["mensagens"];
    for (const auto& message : list.GetArray()) {
      if (message.IsObject() && message.HasMember("seq") && message["seq"].IsInt64()) {
        Receive(message["seq"].GetInt64(), Source::kFetch);
        apos = message["seq"].GetInt64();
      }
    }
    if (list.Size() < static_cast<rapidjson::SizeType>(kGapPage)) return;
  }
}

bool RoomClient::Sleep(std::chrono::milliseconds duration, const std::atomic<bool>& stop, bool polling) {
  auto until = Clock::now() + duration;
  while (!stop && Clock::now() < until) {
    if (polling && Clock::now() >= next_poll_) {
      FetchAfter(confirmed_, stop);
      next_poll_ += kPollEvery;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return !stop;
}

void RoomClient::EventSource(const std::atomic<bool>& stop) {
  // The URL is fixed for the EventSource's life (main.js: desdeDoFluxo).
  const int64_t desde = confirmed_;
  std::string last_event_id;
  while (!stop) {
    testing::HeaderList headers = {{"Cookie", cookie_}};
    if (!last_event_id.empty()) headers.emplace_back("Last-Event-ID", last_event_id);
    auto stream = testing::SseClient::Open(
        testing::ConnectTcp(port_),
        "/chat/stream?sala_id=" + std::to_string(sala_id_) + "&desde=" + std::to_string(desde), headers,
        std::chrono::milliseconds(10000));
    if (stream->status() != 200) return;  // EventSource fails for good
    attempt_ = 0;
    next_poll_ = {};
    // What this connection must send next: the seq after where it resumed.
    int64_t resumed = desde;
    if (!last_event_id.empty()) ParseSeq(last_event_id, resumed);
    int64_t previous = resumed;
    bool gap_allowed = false;
    while (!stop) {
      auto event = stream->Next(std::chrono::milliseconds(300));
      if (!event) {
        if (stream->ended()) break;
        continue;
      }
      if (!event->id.empty()) last_event_id = event->id;
      if (event->event.empty()) {
        int64_t seq = 0;
        if (!ParseSeq(event->id, seq)) continue;
        if (seq <= previous) ++stats_.stream_out_of_order;
        else if (seq > previous + 1 && !gap_allowed) ++stats_.stream_gaps;
        previous = std::max(previous, seq);
        gap_allowed = false;
        Receive(seq, Source::kStream);
      } else if (event->event == "ressincronizar") {
        ++stats_.ressincronizar;
        auto json = testing::Json(event->data);
        int64_t apos = 0;
        if (!json.HasParseError() && json.IsObject() && json.HasMember("apos_seq") && json["apos_seq"].IsInt64()) {
          apos = json["apos_seq"].GetInt64();
        }
        // ressincronizar.js: below the stream's desde the page reloads.
        if (apos < desde) {
          ++stats_.reloads;
          FetchAfter(0, stop);
        } else {
          FetchAfter(std::min(apos, confirmed_), stop);
        }
        gap_allowed = true;
      }
    }
    if (stop) return;
    // EventSource reconnects by itself after the server's retry.
    ++stats_.reconnects;
    if (!Sleep(std::chrono::milliseconds(stream->retry().value_or(3000)), stop, false)) return;
  }
}

void RoomClient::Run(const std::atomic<bool>& stop) {
  while (!stop) {
    EventSource(stop);
    if (stop) return;
    ++stats_.give_ups;
    // aoCair: poll every 3 s until a stream opens again.
    if (next_poll_ == Clock::time_point{}) next_poll_ = Clock::now() + kPollEvery;
    Sleep(Backoff(attempt_++), stop, true);
  }
}

}  // namespace papo::chaos
