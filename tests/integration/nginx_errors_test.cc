// Refusals nginx answers itself (the stream's auth_request, a body over
// client_max_body_size) keep papo's JSON error shape and pt-BR text
// (DESIGN §3): a browser or script reading them never sees nginx's English
// HTML page.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/json.h"
#include "tests/support/stack.h"
#include "tests/support/web_user.h"

namespace papo::testing {
namespace {

void ExpectJsonError(const HttpResponse& response, int status, const std::string& text) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.Header("content-type"), "application/json; charset=utf-8");
  auto body = Json(response.body);
  ASSERT_TRUE(body.IsObject()) << response.body;
  EXPECT_FALSE(body["success"].GetBool());
  EXPECT_EQ(std::string(body["erro"].GetString()), text);
}

TEST(NginxErrorsTest, StreamRefusalsAreJson) {
  Stack stack;
  ExpectJsonError(HttpCall(stack.port(), "GET", "/chat/stream?sala_id=1"), 401,
                  "Sessão inválida ou expirada. Entre novamente.");
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  ExpectJsonError(ana.Get("/chat/stream?sala_id=999999"), 404, "Sala não encontrada.");
  ExpectJsonError(ana.Get("/chat/stream?sala_id=abc"), 400, "Parâmetros inválidos para o stream.");
  auto put = HttpCall(stack.port(), "PUT", "/chat/stream", {{"Cookie", ana.cookie()}});
  ExpectJsonError(put, 405, "Método não permitido.");
  EXPECT_EQ(put.Header("allow"), "GET");
  WebUser bruno(stack.port());
  ASSERT_EQ(bruno.Register("Bruno", UniqueEmail("bruno")).status, 303);
  auto created = bruno.Post("/chat/salas", {{"nome", "Só do Bruno"}, {"privada", "1"}});
  ASSERT_EQ(created.status, 303) << created.body;
  std::string sala = created.Header("location").substr(std::string("/chat/sala/").size());
  ExpectJsonError(ana.Get("/chat/stream?sala_id=" + sala), 403, "Esta sala é privada: você não é membro dela.");
}

TEST(NginxErrorsTest, StreamWithoutAPusherIsJson502) {
  Stack stack(WithoutPusher());
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  auto response = ana.Get("/chat/stream?sala_id=1");
  ExpectJsonError(response, 502,
                  "Serviço de mensagens ao vivo indisponível no momento; tente novamente em instantes.");
  EXPECT_EQ(response.Header("retry-after"), "5");
}

TEST(NginxErrorsTest, OversizedBodyIsRefusedAsJsonAndNothingIsStored) {
  Stack stack;
  WebUser ana(stack.port());
  ASSERT_EQ(ana.Register("Ana", UniqueEmail("ana")).status, 303);
  std::string huge(200 * 1024, 'a');
  ExpectJsonError(ana.Post("/chat/enviar", {{"sala_id", "1"}, {"mensagem", huge}}), 413,
                  "A requisição é grande demais.");
  // A browser's own form (no JavaScript) gets a page in pt-BR.
  HeaderList browser = {{"Cookie", ana.cookie()}, {"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}};
  auto page = HttpCall(stack.port(), "POST", "/chat/enviar", browser,
                       FormEncode({{"sala_id", "1"}, {"mensagem", huge}, {"csrf_token", ana.csrf()}}));
  EXPECT_EQ(page.status, 413);
  EXPECT_EQ(page.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("Conteúdo grande demais"), std::string::npos) << page.body;
  auto history = Json(ana.Get("/chat/mensagens?sala_id=1").body);
  EXPECT_EQ(history["mensagens"].Size(), 0u);
}

}  // namespace
}  // namespace papo::testing
