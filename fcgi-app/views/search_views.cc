#include "fcgi-app/views/search_views.h"

#include "common/form.h"
#include "common/json_writer.h"
#include "common/time_format.h"
#include "fcgi-app/views/page_views.h"
#include "fcgi-app/views/time_text.h"

namespace papo {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::list;

data ResultData(const SearchResult& result, int64_t now_ms) {
  const ChatMessage& message = result.message;
  data out;
  out.set("link", MessageLink(message.sala_id, message.seq));
  out.set("sala_nome", result.sala_nome);
  out.set("usuario_nome", message.usuario_nome);
  out.set("trecho", result.trecho);  // HTML built by SearchSnippet: already escaped
  out.set("data_envio", FormatIso8601(message.data_envio_ms));
  out.set("hora", ShortTimeText(message.data_envio_ms, now_ms));
  return out;
}

}  // namespace

std::string MessageLink(int64_t sala_id, int64_t seq) {
  return "/chat/sala/" + std::to_string(sala_id) + "?seq=" + std::to_string(seq);
}

std::string SearchResultsJson(const SearchPage& page) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("success");
  writer.Bool(true);
  writer.Key("resultados");
  writer.StartArray();
  for (const SearchResult& result : page.results) {
    // The message object as papo writes it everywhere, with two more keys.
    std::string object = ChatMessageToJson(result.message);
    object.pop_back();  // its closing brace
    rapidjson::StringBuffer extra_buffer;
    JsonWriter extra(extra_buffer);
    extra.StartObject();
    extra.Key("sala_nome");
    WriteString(extra, result.sala_nome);
    extra.Key("trecho");
    WriteString(extra, result.trecho);
    extra.EndObject();
    object += ',';
    object.append(extra_buffer.GetString() + 1, extra_buffer.GetSize() - 1);  // without its opening brace
    writer.RawValue(object.data(), object.size(), rapidjson::kObjectType);
  }
  writer.EndArray();
  writer.Key("proximo_antes_id");
  if (page.proximo_antes_id > 0) {
    writer.Int64(page.proximo_antes_id);
  } else {
    writer.Null();
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

Response PageViews::Search(int status, const Session& session, const SearchPageModel& model) {
  int64_t now = NowMillis();
  data page;
  page.set("q", model.q);
  if (model.sala_id > 0) page.set("sala_id", std::to_string(model.sala_id));
  data erros;
  for (const auto& [field, message] : model.erros) erros.set(field, message);
  page.set("erros", erros);
  if (!model.erros.empty()) page.set("tem_erros", true);
  if (model.page != nullptr) {
    list resultados;
    for (const SearchResult& result : model.page->results) resultados.push_back(ResultData(result, now));
    page.set("buscou", true);
    page.set("resultados", resultados);
    if (model.page->results.empty()) page.set("nada", true);
    if (model.page->proximo_antes_id > 0) {
      std::string next = "/chat/buscar?q=" + PercentEncode(model.q);
      if (model.sala_id > 0) next += "&sala_id=" + std::to_string(model.sala_id);
      next += "&antes_id=" + std::to_string(model.page->proximo_antes_id);
      page.set("proxima", next);
    }
  }
  std::string titulo = model.q.empty() ? std::string("Buscar") : "Buscar: " + model.q;
  return Render(status, "buscar", page, titulo, &session, "", "");
}

}  // namespace papo
