#include "fcgi-app/views/page_views.h"

#include "common/form.h"
#include "common/bus/payloads.h"
#include "common/json_writer.h"
#include "common/time_format.h"
#include "fcgi-app/views/room_admin_views.h"
#include "fcgi-app/views/time_text.h"

namespace papo {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::list;

data ErrorsData(const FieldErrors& errors) {
  data out;
  for (const auto& [field, message] : errors) out.set(field, message);
  return out;
}

data MessageData(const ChatMessage& message, int64_t reader_id, int64_t now_ms) {
  data out;
  out.set("id", std::to_string(message.id));
  out.set("seq", std::to_string(message.seq));
  out.set("usuario_id", std::to_string(message.usuario_id));
  out.set("usuario_nome", message.usuario_nome);
  out.set("mensagem", message.mensagem);
  out.set("data_envio", FormatIso8601(message.data_envio_ms));
  out.set("hora", ShortTimeText(message.data_envio_ms, now_ms));
  out.set("propria", message.usuario_id == reader_id);
  // DESIGN §9: a tombstone's text is already ""; the template says so.
  out.set("excluida", message.excluida);
  if (message.editada_em_ms != 0) out.set("editada_em", FormatIso8601(message.editada_em_ms));
  out.set("status", std::string(MessageStatusName(message.status)));
  return out;
}

// What the room page's script needs to start, embedded as JSON.
std::string RoomScriptData(const Session& session, const RoomPageData& page, int max_length) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("sala_id");
  writer.Int64(page.room.id);
  writer.Key("sala_nome");
  WriteString(writer, page.room.nome);
  writer.Key("privada");
  writer.Bool(page.room.privada);
  writer.Key("usuario_id");
  writer.Int64(session.usuario_id);
  writer.Key("usuario_nome");
  WriteString(writer, session.nome);
  // The room's owner (its creator, DESIGN §9) may delete anyone's message: the page offers it.
  writer.Key("dono");
  writer.Bool(page.room.criado_por != 0 && page.room.criado_por == session.usuario_id);
  writer.Key("max_mensagem");
  writer.Int(max_length);
  writer.Key("primeiro_seq");
  writer.Int64(page.messages.empty() ? 0 : page.messages.front().seq);
  writer.Key("ultimo_seq");
  writer.Int64(page.messages.empty() ? page.room.ultimo_seq : page.messages.back().seq);
  // Opened at a message (search): the page scrolls to it (sala/ancora.js);
  // without mais_recentes the stream waits until the newest is loaded.
  writer.Key("ancora_seq");
  writer.Int64(page.ancora_seq);
  writer.Key("mais_recentes");
  writer.Bool(page.mais_recentes);
  writer.Key("lido_antes");
  writer.Int64(page.read_before);
  writer.Key("leituras");
  writer.StartArray();
  for (const auto& read : page.reads) WriteReadPosition(writer, read.usuario_id, read.nome, read.ultimo_seq_lido);
  writer.EndArray();
  writer.Key("online");
  writer.StartArray();
  for (const auto& user : page.online) WriteOnlineUser(writer, user.id, user.nome);
  writer.EndArray();
  writer.EndObject();
  return EmbedJsonInHtml(std::string_view(buffer.GetString(), buffer.GetSize()));
}

}  // namespace

Response PageViews::Render(int status, const std::string& page, const data& page_data, const std::string& titulo,
                           const Session* session, const std::string& script, const std::string& classe_main) {
  data layout;
  layout.set("titulo", titulo);
  layout.set("classe_main", classe_main);
  if (session != nullptr) {
    data usuario;
    usuario.set("nome", session->nome);
    usuario.set("email", session->email);
    usuario.set("csrf_token", session->csrf_token);
    layout.set("usuario", usuario);
    layout.set("csrf_token", session->csrf_token);
  }
  list scripts;
  if (!script.empty()) {
    data entry;
    entry.set("src", script);
    scripts.push_back(entry);
  }
  layout.set("scripts", scripts);
  Response response = Response::Html(status, templates_->RenderPage(page, page_data, layout));
  // Pages carry per-user data and a CSRF token: never cache them.
  response.AddHeader("Cache-Control", "no-store");
  return response;
}

Response PageViews::Login(int status, const LoginPageModel& model) {
  data page;
  page.set("email", model.email);
  page.set("next", model.next);
  if (!model.next.empty() && model.next != "/chat/listar-salas") page.set("next_query", PercentEncode(model.next));
  if (!model.erro.empty()) page.set("erro", model.erro);
  if (!model.aviso.empty()) page.set("aviso", model.aviso);
  page.set("erros", ErrorsData(model.erros));
  return Render(status, "login", page, "Entrar", nullptr, "", "");
}

Response PageViews::Registration(int status, const RegistrationPageModel& model) {
  data page;
  page.set("nome", model.nome);
  page.set("email", model.email);
  page.set("next", model.next);
  if (!model.erro.empty()) page.set("erro", model.erro);
  page.set("erros", ErrorsData(model.erros));
  return Render(status, "cadastro", page, "Criar conta", nullptr, "", "");
}

// PageViews::RoomList: room_list_views.cc.

Response PageViews::Room(const Session& session, const RoomPageData& room_page, const std::string& erro_membro,
                         const std::string& aviso_membro) {
  int64_t now = NowMillis();
  data sala;
  sala.set("id", std::to_string(room_page.room.id));
  sala.set("nome", room_page.room.nome);
  sala.set("descricao", room_page.room.descricao);
  sala.set("privada", room_page.room.privada);
  list mensagens;
  for (const auto& message : room_page.messages) mensagens.push_back(MessageData(message, session.usuario_id, now));
  std::string online_names;
  for (const auto& user : room_page.online) {
    if (!online_names.empty()) online_names += ", ";
    online_names += user.nome;
  }
  data page;
  AddRoomAdminData(session, room_page, sala, page);
  page.set("sala", sala);
  page.set("mensagens", mensagens);
  page.set("usuarios_online", std::to_string(room_page.online.size()));
  page.set("online_nomes", online_names);
  page.set("csrf_token", session.csrf_token);
  page.set("max_mensagem", std::to_string(config_.message_max_length));
  page.set("dados_json", RoomScriptData(session, room_page, config_.message_max_length));
  page.set("mais_recentes", room_page.mais_recentes);
  if (!erro_membro.empty()) page.set("erro_membro", erro_membro);
  if (!aviso_membro.empty()) page.set("aviso_membro", aviso_membro);
  return Render(erro_membro.empty() ? 200 : 422, "sala", page, room_page.room.nome, &session, "/static/js/sala/main.js",
                "papo-main-sala");
}

Response PageViews::Error(int status, const Session* session, const std::string& message) {
  data page;
  page.set("mensagem", message);
  std::string name = "erro";
  std::string titulo = "Erro";
  switch (status) {
    case 403: name = "erro-403"; titulo = "Acesso negado"; break;
    case 404: name = "erro-404"; titulo = "Página não encontrada"; break;
    case 500: name = "erro-500"; titulo = "Erro interno"; break;
    case 405: titulo = "Método não permitido"; break;
    case 429: titulo = "Muitas requisições"; break;
    default: titulo = "Requisição inválida"; break;
  }
  page.set("titulo", titulo);
  return Render(status, name, page, titulo, session, "", "");
}

}  // namespace papo
