#include "tests/integration/failover_load.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <iterator>

#include "tests/integration/pusher_fixture.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {
namespace {

int64_t SeqOf(const HttpResponse& sent) {
  rapidjson::Document json;
  json.Parse(sent.body.c_str());
  return json.IsObject() && json.HasMember("seq") ? json["seq"].GetInt64() : -1;
}

}  // namespace

StackOptions FailoverLoadStackOptions(const std::string& redis_url) {
  StackOptions options;
  options.app_processes = 2;
  options.app_threads = 4;
  options.redis_url = redis_url;
  options.env = {{"CHAT_RATE_LIMIT", "0"}, {"PAPO_PUSHER_REORDER_MS", "2000"}};
  return options;
}

FailoverLoad::FailoverLoad(Stack& stack, FailoverLoadOptions options) : stack_(stack), options_(options) {}

FailoverLoad::~FailoverLoad() {
  stop_posting_ = true;
  stop_reading_ = true;
  Join();
}

void FailoverLoad::Join() {
  for (auto& thread : posting_) {
    if (thread.joinable()) thread.join();
  }
  for (auto& thread : listening_) {
    if (thread.joinable()) thread.join();
  }
}

void FailoverLoad::Start() {
  for (int i = 0; i < options_.posters; ++i) {
    posters_.push_back(std::make_unique<WebUser>(stack_.port()));
    ASSERT_EQ(posters_.back()->Register("Autor " + std::to_string(i), UniqueEmail("autor")).status, 303);
  }
  for (int i = 0; i < options_.readers; ++i) {
    readers_.push_back(std::make_unique<WebUser>(stack_.port()));
    ASSERT_EQ(readers_.back()->Register("Leitor " + std::to_string(i), UniqueEmail("leitor")).status, 303);
  }
  const std::string query = "sala_id=" + std::to_string(options_.room) + "&desde=0";
  for (auto& reader : readers_) {
    for (int i = 0; i < options_.streams_per_reader; ++i) {
      streams_.push_back(reader->Stream(query));
      ASSERT_EQ(streams_.back()->status(), 200) << stack_.Logs();
    }
  }
  // Sized once: the listeners hold references into it.
  received_ = std::vector<Received>(streams_.size());
  for (auto& poster : posters_) posting_.emplace_back([this, user = poster.get()] { Post(*user); });
  for (size_t s = 0; s < streams_.size(); ++s) {
    listening_.emplace_back([this, s] { Listen(*streams_[s], received_[s]); });
  }
}

void FailoverLoad::Post(const WebUser& user) {
  for (int i = 0; !stop_posting_; ++i) {
    const auto sent_at = Clock::now();
    HttpResponse sent = user.Send(options_.room, "m" + std::to_string(i));
    if (sent.status == 200 && SeqOf(sent) > 0) {
      std::lock_guard lock(acked_mutex_);
      acked_.push_back(SeqOf(sent));
      sent_at_by_seq_[acked_.back()] = sent_at;
    } else {
      ++refused_;
    }
    std::this_thread::sleep_for(options_.pace);
  }
}

void FailoverLoad::Listen(SseClient& stream, Received& received) {
  auto deadline = Clock::now() + 120s;
  while (!stop_reading_ && Clock::now() < deadline) {
    auto event = stream.Next(200ms);
    if (!event) continue;
    if (event->event.empty()) {
      received.seqs.push_back(std::stoll(event->id));
      received.at.push_back(Clock::now());
      received.newest = std::max(received.newest.load(), received.seqs.back());
    } else if (event->event != "presenca") {
      received.others.push_back(event->event);
    }
  }
}

void FailoverLoad::Stop() {
  stop_posting_ = true;
  for (auto& thread : posting_) {
    if (thread.joinable()) thread.join();
  }
  {
    std::lock_guard lock(acked_mutex_);
    expected_ = acked_;
  }
  std::sort(expected_.begin(), expected_.end());
  if (expected_.empty()) {
    stop_reading_ = true;
    FAIL() << "papo acknowledged no message" << stack_.Logs();
  }
  const int64_t newest = expected_.back();
  // Everything acknowledged reaches the streams: wait for the newest on
  // each (the republisher retries every second; the window is 2 s).
  Eventually(
      [&] {
        return std::all_of(received_.begin(), received_.end(),
                           [&](const Received& got) { return got.newest >= newest; });
      },
      20000ms);
  std::this_thread::sleep_for(500ms);  // anything repeated after the newest would show now
  stop_reading_ = true;
  Join();
}

FailoverLoadResult FailoverLoad::Verify(Clock::time_point fault) {
  FailoverLoadResult result;
  result.acknowledged = expected_.size();
  result.newest = expected_.empty() ? 0 : expected_.back();
  result.refused = refused_.load();
  for (size_t s = 0; s < streams_.size(); ++s) {
    const Received& got = received_[s];
    SCOPED_TRACE("stream " + std::to_string(s));
    EXPECT_TRUE(got.others.empty()) << "unexpected events, first: " << (got.others.empty() ? "" : got.others[0]);
    EXPECT_TRUE(std::is_sorted(got.seqs.begin(), got.seqs.end()) &&
                std::adjacent_find(got.seqs.begin(), got.seqs.end()) == got.seqs.end())
        << "a seq repeated or out of order";
    std::vector<int64_t> missing;
    std::set_difference(expected_.begin(), expected_.end(), got.seqs.begin(), got.seqs.end(),
                        std::back_inserter(missing));
    EXPECT_TRUE(missing.empty()) << missing.size() << " acknowledged messages never arrived, first seq "
                                 << (missing.empty() ? 0 : missing[0]) << " (newest acknowledged " << result.newest
                                 << ")";
    for (size_t i = 0; i < got.seqs.size(); ++i) {
      auto sent = sent_at_by_seq_.find(got.seqs[i]);
      if (sent == sent_at_by_seq_.end() || sent->second <= fault) continue;
      const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(got.at[i] - fault).count();
      if (result.first_resume_ms < 0 || ms < result.first_resume_ms) result.first_resume_ms = ms;
      result.last_resume_ms = std::max(result.last_resume_ms, ms);
      break;
    }
  }
  if (::testing::Test::HasFailure()) ADD_FAILURE() << stack_.Logs();
  const std::string app_logs = AppLogs();
  for (size_t at = app_logs.find("event=publish_deferred"); at != std::string::npos;
       at = app_logs.find("event=publish_deferred", at + 1)) {
    ++result.deferred;
  }
  return result;
}

std::string FailoverLoad::AppLogs() const {
  std::string logs;
  for (int i = 0;; ++i) {
    const std::string path = stack_.dir() + "/app-" + std::to_string(i) + ".log";
    if (!std::filesystem::exists(path)) return logs;
    logs += ReadFile(path);
  }
}

}  // namespace papo::testing
