// Room owners, archiving, leaving and member removal (DESIGN §9: POST
// /chat/sala/{id}/editar, /arquivar, /sair, /membros/{usuario_id}/remover)
// through nginx → papo-app → the database → Redis → papo-pusher: who may,
// what is refused and changes nothing, and what the open streams see.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <string>

#include "common/bus/names.h"
#include "common/log.h"
#include "tests/integration/pusher_fixture.h"
#include "tests/support/json.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

constexpr std::string_view kArchivedText = "Esta sala está arquivada: não é possível enviar mensagens.";

class RoomAdminTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = new Stack(StackOptions{.env = {{"CHAT_RATE_LIMIT", "1000"}, {"CHAT_ROOMS_PER_HOUR", "0"},
                                            {"CHAT_INVITES_PER_HOUR", "0"}}});
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override {
    redis_ = stack_->redis().Client();
    ana_ = std::make_unique<WebUser>(stack_->port());
    ASSERT_EQ(ana_->Register("Ana Dona", UniqueEmail("ana")).status, 303) << stack_->Logs();
    bruno_email_ = UniqueEmail("bruno");
    bruno_ = std::make_unique<WebUser>(stack_->port());
    ASSERT_EQ(bruno_->Register("Bruno Membro", bruno_email_).status, 303);
    carla_email_ = UniqueEmail("carla");
    carla_ = std::make_unique<WebUser>(stack_->port());
    ASSERT_EQ(carla_->Register("Carla Membro", carla_email_).status, 303);
  }

  // A room of Ana's: private with Bruno and Carla, or public.
  int64_t CreateRoom(bool privada, const std::string& nome = "") {
    Fields fields = {{"nome", nome.empty() ? "Sala " + UniqueEmail("s") : nome}, {"privada", privada ? "1" : "0"}};
    if (privada) fields.emplace_back("membros", bruno_email_ + "," + carla_email_);
    auto created = ana_->Post("/chat/salas", fields);
    EXPECT_EQ(created.status, 303) << created.body;
    std::string location = created.Header("location");
    return std::stoll(location.substr(location.rfind('/') + 1));
  }
  static std::string RoomPath(int64_t sala, const std::string& action) {
    return "/chat/sala/" + std::to_string(sala) + "/" + action;
  }
  // How many messages `reader` sees in the room (200 expected).
  static size_t MessageCount(const WebUser& reader, int64_t sala) {
    auto response = reader.Get("/chat/mensagens?sala_id=" + std::to_string(sala) + "&limit=200");
    EXPECT_EQ(response.status, 200) << response.body;
    auto body = Json(response.body);
    return body.HasMember("mensagens") ? body["mensagens"].Size() : 0;
  }
  static std::string ErrorOf(const HttpResponse& response) {
    auto body = Json(response.body);
    return body.IsObject() && body.HasMember("erro") ? body["erro"].GetString() : "";
  }
  // A form post as a browser without script sends it (Accept: text/html).
  static HttpResponse BrowserPost(const WebUser& user, const std::string& path, Fields fields) {
    fields.emplace_back("csrf_token", user.csrf());
    return HttpCall(stack_->port(), "POST", path, {{"Cookie", user.cookie()}, {"Accept", "text/html"}},
                    FormEncode(fields));
  }
  // Opens `user`'s stream of room `sala` and waits until the pusher follows the room.
  std::unique_ptr<SseClient> RoomStream(const WebUser& user, int64_t sala) {
    auto stream = user.Stream("sala_id=" + std::to_string(sala));
    EXPECT_EQ(stream->status(), 200);
    EXPECT_TRUE(WaitSubscribed(*redis_, RoomChannel(sala)));
    return stream;
  }
  std::unique_ptr<SseClient> ListStream(const WebUser& user) {
    auto stream = user.Stream("lista=1");
    EXPECT_EQ(stream->status(), 200);
    EXPECT_TRUE(WaitSubscribed(*redis_, UserChannel(user.id())));
    return stream;
  }
  // After `user` left or was removed from `sala`: their open stream of it
  // got `sala_removida` and was closed; a new one, the history and a send
  // are refused; their list stream dropped the room.
  void ExpectRemoved(const WebUser& user, int64_t sala, SseClient& room_stream, SseClient& list_stream) {
    auto started = std::chrono::steady_clock::now();
    auto removed = room_stream.NextOf("sala_removida");
    ASSERT_TRUE(removed.has_value()) << stack_->Logs();
    auto event = Json(removed->data);
    EXPECT_EQ(event["sala_id"].GetInt64(), sala);
    EXPECT_EQ(event["usuario_id"].GetInt64(), user.id());
    EXPECT_TRUE(room_stream.WaitEnded(std::chrono::milliseconds(1000))) << "the room stream stayed open";
    auto closed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    Log(LogLevel::kInfo, "room_stream_closed_after_removal").Kv("ms", static_cast<int64_t>(closed_ms.count()));
    auto listed = list_stream.NextOf("sala_removida");
    ASSERT_TRUE(listed.has_value());
    EXPECT_EQ(Json(listed->data)["sala_id"].GetInt64(), sala);
    EXPECT_EQ(user.Stream("sala_id=" + std::to_string(sala))->status(), 403);
    EXPECT_EQ(user.Get("/chat/mensagens?sala_id=" + std::to_string(sala)).status, 403);
    EXPECT_EQ(user.Send(sala, "ainda aqui?").status, 403);
  }

  static Stack* stack_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<WebUser> ana_;
  std::unique_ptr<WebUser> bruno_;
  std::unique_ptr<WebUser> carla_;
  std::string bruno_email_;
  std::string carla_email_;
};
Stack* RoomAdminTest::stack_ = nullptr;

TEST_F(RoomAdminTest, ANonOwnerCannotRenameArchiveOrRemoveAndNothingChanges) {
  std::string nome = "Original " + UniqueEmail("s");
  int64_t sala = CreateRoom(true, nome);
  auto renamed = bruno_->Post(RoomPath(sala, "editar"), {{"nome", "Tomada"}, {"descricao", ""}});
  EXPECT_EQ(renamed.status, 403) << renamed.body;
  EXPECT_FALSE(ErrorOf(renamed).empty());
  EXPECT_EQ(bruno_->Post(RoomPath(sala, "arquivar"), {{"arquivada", "1"}}).status, 403);
  auto removed = bruno_->Post(RoomPath(sala, "membros/" + std::to_string(carla_->id()) + "/remover"), {});
  EXPECT_EQ(removed.status, 403) << removed.body;
  // Someone outside the private room is refused as for its page.
  WebUser dora(stack_->port());
  ASSERT_EQ(dora.Register("Dora Fora", UniqueEmail("dora")).status, 303);
  EXPECT_EQ(dora.Post(RoomPath(sala, "editar"), {{"nome", "Tomada"}}).status, 403);
  EXPECT_EQ(dora.Post(RoomPath(sala, "sair"), {}).status, 403);
  // Nothing changed: the name, the archive, Carla's membership.
  auto page = ana_->Get("/chat/sala/" + std::to_string(sala));
  EXPECT_NE(page.body.find(nome), std::string::npos);
  EXPECT_EQ(page.body.find("Tomada"), std::string::npos);
  EXPECT_EQ(carla_->Send(sala, "ainda sou membro").status, 200);
  // Unknown room, no CSRF token, no session.
  EXPECT_EQ(ana_->Post(RoomPath(999999, "editar"), {{"nome", "X"}}).status, 404);
  EXPECT_EQ(ana_->Post(RoomPath(sala, "editar"), {{"nome", "Sem token"}}, false).status, 403);
  EXPECT_EQ(HttpCall(stack_->port(), "POST", RoomPath(sala, "sair"), {}, "").status, 401);
}

TEST_F(RoomAdminTest, ASeedRoomHasNoOwnerAndNobodyRenamesIt) {
  auto refused = ana_->Post(RoomPath(1, "editar"), {{"nome", "Minha Geral"}, {"descricao", ""}});
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(ErrorOf(refused), "Esta sala não tem dono: ninguém pode alterá-la.");
  EXPECT_EQ(ana_->Post(RoomPath(1, "arquivar"), {{"arquivada", "1"}}).status, 403);
  EXPECT_EQ(ana_->Get("/chat/sala/1").body.find("Minha Geral"), std::string::npos);
}

TEST_F(RoomAdminTest, ARenameReachesTheOtherMembersListAndTheOpenRoomStream) {
  int64_t sala = CreateRoom(true);
  auto list = ListStream(*bruno_);
  auto room = RoomStream(*bruno_, sala);
  std::string novo = "Renomeada " + UniqueEmail("s");
  auto renamed = ana_->Post(RoomPath(sala, "editar"), {{"nome", novo}, {"descricao", "Nova descrição"}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  auto body = Json(renamed.body);
  EXPECT_TRUE(body["success"].GetBool());
  EXPECT_EQ(body["sala"]["id"].GetInt64(), sala);
  EXPECT_EQ(body["sala"]["nome"].GetString(), novo);
  EXPECT_EQ(body["sala"]["descricao"].GetString(), std::string("Nova descrição"));
  EXPECT_TRUE(body["sala"]["privada"].GetBool());
  EXPECT_FALSE(body["sala"]["arquivada"].GetBool());

  auto listed = list->NextOf("sala");
  ASSERT_TRUE(listed.has_value()) << stack_->Logs();
  auto announced = Json(listed->data);
  EXPECT_EQ(announced["id"].GetInt64(), sala);
  EXPECT_EQ(announced["nome"].GetString(), novo);
  auto updated = room->NextOf("sala_atualizada");
  ASSERT_TRUE(updated.has_value());
  auto fields = Json(updated->data);
  EXPECT_EQ(fields["nome"].GetString(), novo);
  EXPECT_EQ(fields["descricao"].GetString(), std::string("Nova descrição"));
  EXPECT_FALSE(fields["arquivada"].GetBool());

  // Validation as when creating: an empty name, a taken one (any case).
  auto empty = ana_->Post(RoomPath(sala, "editar"), {{"nome", "  "}});
  EXPECT_EQ(empty.status, 422);
  EXPECT_TRUE(Json(empty.body)["erros"].HasMember("nome"));
  std::string other = "Outra " + UniqueEmail("s");
  CreateRoom(false, other);
  auto taken = ana_->Post(RoomPath(sala, "editar"), {{"nome", other}});
  EXPECT_EQ(taken.status, 422) << taken.body;
  EXPECT_EQ(std::string(Json(taken.body)["erros"]["nome"].GetString()), "Já existe uma sala com esse nome.");
  // A browser form post goes back to the room.
  auto form = BrowserPost(*ana_, RoomPath(sala, "editar"), {{"nome", novo + " 2"}, {"descricao", ""}});
  EXPECT_EQ(form.status, 303);
  EXPECT_EQ(form.Header("location"), "/chat/sala/" + std::to_string(sala));
}

TEST_F(RoomAdminTest, AnArchivedRoomIsReadOnlyUntilUnarchived) {
  int64_t sala = CreateRoom(true);
  auto sent = bruno_->Send(sala, "antes do arquivo");
  ASSERT_EQ(sent.status, 200) << sent.body;
  int64_t mensagem = Json(sent.body)["mensagem_id"].GetInt64();
  auto room = RoomStream(*carla_, sala);

  auto archived = ana_->Post(RoomPath(sala, "arquivar"), {{"arquivada", "1"}});
  ASSERT_EQ(archived.status, 200) << archived.body;
  EXPECT_TRUE(Json(archived.body)["sala"]["arquivada"].GetBool());
  auto updated = room->NextOf("sala_atualizada");
  ASSERT_TRUE(updated.has_value());
  EXPECT_TRUE(Json(updated->data)["arquivada"].GetBool());

  auto refused = bruno_->Send(sala, "depois do arquivo");
  EXPECT_EQ(refused.status, 403) << refused.body;
  auto error = Json(refused.body);
  EXPECT_FALSE(error["success"].GetBool());
  EXPECT_EQ(std::string(error["erro"].GetString()), kArchivedText);
  EXPECT_EQ(ana_->Send(sala, "nem a dona").status, 403);
  std::string id = std::to_string(mensagem);
  EXPECT_EQ(bruno_->Post("/chat/mensagens/" + id + "/editar", {{"mensagem", "editada"}}).status, 403);
  EXPECT_EQ(bruno_->Post("/chat/mensagens/" + id + "/excluir", {}).status, 403);
  EXPECT_EQ(carla_->Post("/chat/mensagens/" + id + "/reacoes", {{"emoji", "👍"}, {"ativo", "1"}}).status, 403);
  EXPECT_EQ(carla_->Post("/chat/digitando", {{"sala_id", std::to_string(sala)}, {"digitando", "1"}}).status, 403);
  // Still readable, and marking it read works.
  EXPECT_EQ(MessageCount(*carla_, sala), 1u);
  EXPECT_EQ(carla_->Post("/chat/lida", {{"sala_id", std::to_string(sala)}}).status, 200);
  EXPECT_NE(carla_->Get("/chat/sala/" + std::to_string(sala)).body.find("Sala arquivada — somente leitura"),
            std::string::npos);
  EXPECT_EQ(ana_->Post(RoomPath(sala, "arquivar"), {{"arquivada", "talvez"}}).status, 422);
  // Nobody joins a read-only room either.
  auto invited = ana_->Post(RoomPath(sala, "membros"), {{"email", "outra.pessoa@example.com"}});
  EXPECT_EQ(invited.status, 403);
  EXPECT_NE(invited.body.find("não é possível convidar"), std::string::npos) << invited.body;

  auto restored = ana_->Post(RoomPath(sala, "arquivar"), {{"arquivada", "0"}});
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_FALSE(Json(restored.body)["sala"]["arquivada"].GetBool());
  EXPECT_EQ(bruno_->Send(sala, "de volta").status, 200);
  EXPECT_EQ(MessageCount(*carla_, sala), 2u);
  EXPECT_EQ(bruno_->Post("/chat/mensagens/" + id + "/editar", {{"mensagem", "editada"}}).status, 200);
}

TEST_F(RoomAdminTest, LeavingClosesTheRoomStreamAndForgetsTheReadPosition) {
  int64_t sala = CreateRoom(true);
  ASSERT_EQ(ana_->Send(sala, "bem-vindos").status, 200);
  ASSERT_EQ(bruno_->Post("/chat/lida", {{"sala_id", std::to_string(sala)}}).status, 200);
  auto list = ListStream(*bruno_);
  auto room = RoomStream(*bruno_, sala);

  auto left = bruno_->Post(RoomPath(sala, "sair"), {});
  ASSERT_EQ(left.status, 200) << left.body;
  EXPECT_TRUE(Json(left.body)["success"].GetBool());
  ExpectRemoved(*bruno_, sala, *room, *list);
  // Leaving twice: no longer a member.
  EXPECT_EQ(bruno_->Post(RoomPath(sala, "sair"), {}).status, 403);
  // Invited again, Bruno starts afresh: the read position was forgotten.
  ASSERT_EQ(ana_->Post("/chat/sala/" + std::to_string(sala) + "/membros", {{"email", bruno_email_}}).status, 303);
  auto page = bruno_->Get("/chat/sala/" + std::to_string(sala));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("\"lido_antes\":0"), std::string::npos);
  // Carla, still a member, never noticed: she can write.
  EXPECT_EQ(carla_->Send(sala, "continuo aqui").status, 200);
  // A browser form post goes to the room list.
  auto form = BrowserPost(*carla_, RoomPath(sala, "sair"), {});
  EXPECT_EQ(form.status, 303);
  EXPECT_EQ(form.Header("location"), "/chat/listar-salas");
}

TEST_F(RoomAdminTest, TheOwnerRemovesAMemberAsIfTheyHadLeft) {
  int64_t sala = CreateRoom(true);
  ASSERT_EQ(ana_->Send(sala, "oi").status, 200);
  ASSERT_EQ(carla_->Post("/chat/lida", {{"sala_id", std::to_string(sala)}}).status, 200);
  auto list = ListStream(*carla_);
  auto room = RoomStream(*carla_, sala);
  auto bruno_room = RoomStream(*bruno_, sala);

  std::string path = RoomPath(sala, "membros/" + std::to_string(carla_->id()) + "/remover");
  auto removed = ana_->Post(path, {});
  ASSERT_EQ(removed.status, 200) << removed.body;
  ExpectRemoved(*carla_, sala, *room, *list);
  // Bruno's stream of the room stays open and live.
  ASSERT_EQ(ana_->Send(sala, "só nós dois").status, 200);
  auto message = bruno_room->NextOf("");
  ASSERT_TRUE(message.has_value());
  EXPECT_NE(message->data.find("só nós dois"), std::string::npos);
  EXPECT_FALSE(bruno_room->ended());

  auto again = ana_->Post(path, {});
  EXPECT_EQ(again.status, 404);
  EXPECT_EQ(ErrorOf(again), "Essa pessoa não é membro desta sala.");
  auto self = ana_->Post(RoomPath(sala, "membros/" + std::to_string(ana_->id()) + "/remover"), {});
  EXPECT_EQ(self.status, 422) << self.body;
  auto form = BrowserPost(*ana_, RoomPath(sala, "membros/" + std::to_string(bruno_->id()) + "/remover"), {});
  EXPECT_EQ(form.status, 303);
  EXPECT_EQ(form.Header("location"), "/chat/sala/" + std::to_string(sala));
  EXPECT_EQ(bruno_->Send(sala, "fui removido?").status, 403);
}

TEST_F(RoomAdminTest, TheOwnerCannotLeaveAndPublicRoomsHaveNoMembershipToEnd) {
  int64_t privada = CreateRoom(true);
  auto owner = ana_->Post(RoomPath(privada, "sair"), {});
  EXPECT_EQ(owner.status, 422) << owner.body;
  EXPECT_EQ(ErrorOf(owner), "Você é o dono desta sala: arquive-a em vez de sair.");
  EXPECT_EQ(ana_->Send(privada, "ainda dona").status, 200);

  int64_t publica = CreateRoom(false);
  EXPECT_EQ(bruno_->Post(RoomPath(publica, "sair"), {}).status, 422);
  EXPECT_EQ(ana_->Post(RoomPath(publica, "sair"), {}).status, 422);
  auto remove = ana_->Post(RoomPath(publica, "membros/" + std::to_string(bruno_->id()) + "/remover"), {});
  EXPECT_EQ(remove.status, 422) << remove.body;
  EXPECT_EQ(bruno_->Send(publica, "pública segue aberta").status, 200);
}

TEST_F(RoomAdminTest, ADirectConversationIsNoOnesToRenameArchiveOrLeave) {
  auto opened = ana_->Post("/chat/dm", {{"usuario_id", std::to_string(bruno_->id())}});
  ASSERT_EQ(opened.status, 303) << opened.body;
  std::string location = opened.Header("location");
  int64_t sala = std::stoll(location.substr(location.rfind('/') + 1));
  for (WebUser* user : {ana_.get(), bruno_.get()}) {
    EXPECT_EQ(user->Post(RoomPath(sala, "editar"), {{"nome", "Nossa conversa"}}).status, 403);
    EXPECT_EQ(user->Post(RoomPath(sala, "arquivar"), {{"arquivada", "1"}}).status, 403);
    auto left = user->Post(RoomPath(sala, "sair"), {});
    EXPECT_EQ(left.status, 403) << left.body;
    EXPECT_EQ(ErrorOf(left), "Não é possível sair de uma conversa direta.");
  }
  int64_t other = bruno_->id();
  EXPECT_EQ(ana_->Post(RoomPath(sala, "membros/" + std::to_string(other) + "/remover"), {}).status, 403);
  // Nor does a third person join it.
  auto invited = ana_->Post(RoomPath(sala, "membros"), {{"email", carla_email_}});
  EXPECT_EQ(invited.status, 403) << invited.body;
  EXPECT_EQ(carla_->Get("/chat/sala/" + std::to_string(sala)).status, 403);
  EXPECT_EQ(bruno_->Send(sala, "ainda conversamos").status, 200);
  EXPECT_EQ(MessageCount(*ana_, sala), 1u);
}

}  // namespace
}  // namespace papo::testing
