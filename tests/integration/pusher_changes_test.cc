// Messages after sending, through the whole chain (DESIGN §9, issue 16):
// edits, deletions and reactions reach open streams once each and a
// resuming stream replays what it missed; the author's status moves
// enviada → entregue (a pusher wrote it to another member's stream) →
// lida (another member read it), live and in history, never back.
#include <rapidjson/document.h>

#include <map>

#include "tests/integration/pusher_fixture.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

constexpr int64_t kGeral = 1;

rapidjson::Document Parse(const std::string& body) {
  rapidjson::Document json;
  json.Parse(body.c_str());
  return json;
}

struct Sent {
  int64_t id = 0;
  int64_t seq = 0;
};

class PusherChangesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StackOptions options;
    options.env.emplace("CHAT_RATE_LIMIT", "0");
    stack_ = std::make_unique<Stack>(options);
  }
  std::unique_ptr<WebUser> NewUser(const std::string& nome) { return RegisteredUser(stack_->port(), nome); }
  Sent Send(const WebUser& user, const std::string& text) {
    HttpResponse sent = user.Send(kGeral, text);
    EXPECT_EQ(sent.status, 200) << sent.body;
    auto json = Parse(sent.body);
    if (!json.IsObject() || !json.HasMember("mensagem_id")) return {};
    return {json["mensagem_id"].GetInt64(), json["seq"].GetInt64()};
  }
  HttpResponse Change(const WebUser& user, int64_t id, const std::string& action, Fields fields = {}) {
    return user.Post("/chat/mensagens/" + std::to_string(id) + "/" + action, std::move(fields));
  }
  // The message `seq` of the room as `user`'s history shows it.
  rapidjson::Document HistoryEntry(const WebUser& user, int64_t seq) {
    HttpResponse page = user.Get("/chat/mensagens?sala_id=1&apos_seq=" + std::to_string(seq - 1) + "&limit=1");
    EXPECT_EQ(page.status, 200) << page.body;
    auto json = Parse(page.body);
    rapidjson::Document entry;
    if (json.IsObject() && json.HasMember("mensagens") && json["mensagens"].Size() == 1) {
      entry.CopyFrom(json["mensagens"][0], entry.GetAllocator());
    }
    return entry;
  }
  std::string StatusInHistory(const WebUser& user, int64_t seq) {
    auto entry = HistoryEntry(user, seq);
    return entry.IsObject() && entry.HasMember("status") ? entry["status"].GetString() : "";
  }
  // Every named event of the change kinds the stream gets within `window`.
  static std::vector<SseEvent> ChangesWithin(SseClient& stream, std::chrono::milliseconds window) {
    std::vector<SseEvent> events;
    auto until = std::chrono::steady_clock::now() + window;
    while (true) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      auto event = stream.Next(left);
      if (!event) break;
      if (event->event == "mensagem_editada" || event->event == "mensagem_excluida" || event->event == "reacao" ||
          event->event == "status") {
        events.push_back(*event);
      }
    }
    return events;
  }

  std::unique_ptr<Stack> stack_;
};

TEST_F(PusherChangesTest, AnOpenStreamGetsEachEditDeletionAndReactionOnce) {
  auto ana = NewUser("Ana");
  auto bia = NewUser("Bia");
  auto stream = bia->Stream("sala_id=1");
  ASSERT_EQ(stream->status(), 200) << stack_->Logs();
  Sent sent = Send(*ana, "primeira versão");
  ASSERT_TRUE(stream->NextOf("", 10000ms).has_value()) << stack_->Logs();

  ASSERT_EQ(Change(*ana, sent.id, "editar", {{"mensagem", "segunda versão, ação"}}).status, 200);
  ASSERT_EQ(Change(*bia, sent.id, "reacoes", {{"emoji", "👍"}, {"ativo", "1"}}).status, 200);
  ASSERT_EQ(Change(*ana, sent.id, "excluir").status, 200);

  std::map<std::string, std::vector<std::string>> seen;
  for (const SseEvent& event : ChangesWithin(*stream, 3000ms)) seen[event.event].push_back(event.data);
  ASSERT_EQ(seen["mensagem_editada"].size(), 1u) << stack_->Logs();
  auto edit = Parse(seen["mensagem_editada"][0]);
  EXPECT_EQ(edit["id"].GetInt64(), sent.id);
  EXPECT_EQ(edit["seq"].GetInt64(), sent.seq);
  EXPECT_STREQ(edit["mensagem"].GetString(), "segunda versão, ação");
  EXPECT_TRUE(edit["editada_em"].IsString());
  ASSERT_EQ(seen["reacao"].size(), 1u);
  auto reaction = Parse(seen["reacao"][0]);
  EXPECT_EQ(reaction["mensagem_id"].GetInt64(), sent.id);
  EXPECT_STREQ(reaction["emoji"].GetString(), "👍");
  EXPECT_EQ(reaction["total"].GetInt64(), 1);
  EXPECT_EQ(reaction["usuario_id"].GetInt64(), bia->id());
  EXPECT_TRUE(reaction["ativo"].GetBool());
  ASSERT_EQ(seen["mensagem_excluida"].size(), 1u);
  EXPECT_EQ(Parse(seen["mensagem_excluida"][0])["id"].GetInt64(), sent.id);
  // The tombstone in history: text gone, seq kept.
  auto entry = HistoryEntry(*bia, sent.seq);
  ASSERT_TRUE(entry.IsObject());
  EXPECT_TRUE(entry["excluida"].GetBool());
  EXPECT_STREQ(entry["mensagem"].GetString(), "");
}

TEST_F(PusherChangesTest, AStreamResumingAfterAMissedEditSeesTheEditedText) {
  auto ana = NewUser("Ana");
  auto bia = NewUser("Bia");
  Sent first = Send(*ana, "texto original");
  Sent second = Send(*ana, "outra mensagem");
  {
    auto stream = bia->Stream("sala_id=1&desde=" + std::to_string(first.seq - 1));
    ASSERT_EQ(stream->status(), 200) << stack_->Logs();
    auto event = stream->NextOf("", 10000ms);
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(event->id, std::to_string(first.seq));
    ASSERT_TRUE(stream->NextOf("", 10000ms).has_value());
  }  // Bia's connection drops after seq `second`
  ASSERT_EQ(Change(*ana, first.id, "editar", {{"mensagem", "texto corrigido"}}).status, 200);

  // The browser reconnects with the last id it saw.
  auto resumed = bia->Stream("sala_id=1", {{"Last-Event-ID", std::to_string(second.seq)}});
  ASSERT_EQ(resumed->status(), 200) << stack_->Logs();
  auto edit = resumed->NextOf("mensagem_editada", 10000ms);
  ASSERT_TRUE(edit.has_value()) << stack_->Logs();
  auto json = Parse(edit->data);
  EXPECT_EQ(json["id"].GetInt64(), first.id);
  EXPECT_STREQ(json["mensagem"].GetString(), "texto corrigido");

  // A stream resuming from before the message gets the message, then the
  // edit replayed after it (the pusher's in-memory timeline may hold the
  // text as first published; Redis's cache holds the current one).
  auto older = bia->Stream("sala_id=1", {{"Last-Event-ID", std::to_string(first.seq - 1)}});
  ASSERT_EQ(older->status(), 200);
  auto message = older->NextOf("", 10000ms);
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->id, std::to_string(first.seq));
  auto replayed = older->NextOf("mensagem_editada", 10000ms);
  ASSERT_TRUE(replayed.has_value());
  EXPECT_EQ(Parse(replayed->data)["id"].GetInt64(), first.id);
  EXPECT_STREQ(Parse(replayed->data)["mensagem"].GetString(), "texto corrigido");
}

TEST_F(PusherChangesTest, TheAuthorsStatusMovesFromEnviadaToEntregueToLidaAndNeverBack) {
  auto ana = NewUser("Ana");
  auto bia = NewUser("Bia");
  auto ana_stream = ana->Stream("sala_id=1");
  ASSERT_EQ(ana_stream->status(), 200) << stack_->Logs();
  // Nobody else is streaming the room: stored, not delivered.
  Sent alone = Send(*ana, "ninguém aqui");
  ASSERT_TRUE(ana_stream->NextOf("", 10000ms).has_value());
  EXPECT_EQ(StatusInHistory(*ana, alone.seq), "enviada");
  EXPECT_TRUE(ChangesWithin(*ana_stream, 500ms).empty());

  auto bia_stream = bia->Stream("sala_id=1");
  ASSERT_EQ(bia_stream->status(), 200);
  Sent seen = Send(*ana, "oi, Bia");
  ASSERT_TRUE(bia_stream->NextOf("", 10000ms).has_value());
  auto delivered = ana_stream->NextOf("status", 10000ms);
  ASSERT_TRUE(delivered.has_value()) << stack_->Logs();
  auto status = Parse(delivered->data);
  EXPECT_EQ(status["mensagem_id"].GetInt64(), seen.id);
  EXPECT_EQ(status["usuario_id"].GetInt64(), ana->id());
  EXPECT_STREQ(status["status"].GetString(), "entregue");
  EXPECT_EQ(StatusInHistory(*ana, seen.seq), "entregue");
  EXPECT_EQ(StatusInHistory(*ana, alone.seq), "enviada");

  ASSERT_EQ(bia->Post("/chat/lida", {{"sala_id", "1"}}).status, 200);
  auto read = ana_stream->NextOf("status", 10000ms);
  ASSERT_TRUE(read.has_value());
  auto read_json = Parse(read->data);
  EXPECT_EQ(read_json["mensagem_id"].GetInt64(), seen.id);
  EXPECT_STREQ(read_json["status"].GetString(), "lida");
  EXPECT_EQ(StatusInHistory(*ana, seen.seq), "lida");
  EXPECT_EQ(StatusInHistory(*ana, alone.seq), "lida");  // read positions cover every earlier seq

  // Another delivery later (a third member's stream) reports nothing new
  // and the history stays at lida.
  auto carla = NewUser("Carla");
  auto carla_stream = carla->Stream("sala_id=1&desde=0");
  ASSERT_EQ(carla_stream->status(), 200);
  ASSERT_TRUE(carla_stream->NextOf("", 10000ms).has_value());
  for (const SseEvent& event : ChangesWithin(*ana_stream, 1000ms)) {
    EXPECT_NE(Parse(event.data)["status"].GetString(), std::string("enviada")) << event.data;
  }
  EXPECT_EQ(StatusInHistory(*ana, seen.seq), "lida");
  EXPECT_EQ(StatusInHistory(*ana, alone.seq), "lida");
}

}  // namespace
}  // namespace papo::testing
