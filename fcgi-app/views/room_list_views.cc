// PageViews::RoomList: the room list page (listar-salas.mustache) with its
// sections, filter links, name filter, pages and the "Nova conversa" and
// create-room forms.
#include "common/form.h"
#include "common/time_format.h"
#include "fcgi-app/views/page_views.h"
#include "fcgi-app/views/time_text.h"

namespace papo {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::list;

// The list's address for `secao`, `q` and `pagina` (0: none), the
// parameters in a fixed order so links compare equal.
std::string ListHref(RoomSection secao, std::string_view q, int pagina) {
  std::string query;
  auto add = [&query](std::string_view name, std::string_view value) {
    query += query.empty() ? "?" : "&";
    query += std::string(name) + "=" + PercentEncode(value);
  };
  if (secao != RoomSection::kPrincipal) add("secao", RoomSectionName(secao));
  if (!q.empty()) add("q", q);
  if (pagina > 0) add("pagina", std::to_string(pagina));
  return "/chat/listar-salas" + query;
}

data RoomCard(const RoomListItem& item, int64_t now) {
  const auto& summary = item.summary;
  data sala;
  sala.set("id", std::to_string(summary.room.id));
  sala.set("nome", summary.room.nome);
  sala.set("descricao", summary.room.descricao);
  // A direct message is private by nature: the padlock would say nothing.
  sala.set("privada", summary.room.privada && !summary.room.direta);
  sala.set("direta", summary.room.direta);
  sala.set("arquivada", summary.room.arquivada);
  sala.set("direta_com", std::to_string(summary.room.direta_com));
  sala.set("direta_online", item.direta_online);
  sala.set("usuarios_online", std::to_string(item.usuarios_online));
  sala.set("tem_online", item.usuarios_online > 0);
  // The list script counts unread messages live from these two positions.
  sala.set("ultimo_seq", std::to_string(summary.room.ultimo_seq));
  sala.set("ultimo_seq_lido", std::to_string(summary.ultimo_seq_lido));
  sala.set("mencoes", std::to_string(item.mencoes));  // unread mentions of the user (DESIGN §9)
  // Badge text and label as the list script writes them (cartoes.js):
  // hidden at zero, but its label still reads as a sentence.
  if (summary.nao_lidas > 0) sala.set("nao_lidas", true);
  sala.set("nao_lidas_texto", summary.nao_lidas > 99 ? std::string("99+") : std::to_string(summary.nao_lidas));
  sala.set("nao_lidas_rotulo", summary.nao_lidas == 1 ? std::string("1 mensagem não lida")
                                                      : std::to_string(summary.nao_lidas) + " mensagens não lidas");
  // Activity orders the list: the newest message, else the room's creation.
  int64_t atividade = summary.ultima_atividade > 0 ? summary.ultima_atividade : summary.room.criado_em;
  sala.set("ordem", std::to_string(atividade));
  if (summary.ultima_atividade > 0) {
    sala.set("ultima_atividade", FormatIso8601(summary.ultima_atividade));
    sala.set("ultima_atividade_texto", ShortTimeText(summary.ultima_atividade, now));
  } else {
    sala.set("ultima_atividade", "");
    sala.set("ultima_atividade_texto", "sem mensagens");
  }
  return sala;
}

// The links above the list: every section, the current one marked.
list FilterLinks(const RoomListing& rooms) {
  struct Link {
    RoomSection secao;
    const char* rotulo;
    int64_t contagem;
  };
  const Link links[] = {
      {RoomSection::kPrincipal, "Todas", rooms.diretas + rooms.salas},
      {RoomSection::kDiretas, "Conversas diretas", rooms.diretas},
      {RoomSection::kSalas, "Salas", rooms.salas},
      {RoomSection::kArquivadas, "Arquivadas", rooms.arquivadas},
  };
  list out;
  for (const auto& link : links) {
    data item;
    item.set("rotulo", link.rotulo);
    item.set("contagem", std::to_string(link.contagem));
    item.set("href", ListHref(link.secao, rooms.query.q, 0));
    item.set("secao", std::string(RoomSectionName(link.secao)));
    item.set("atual", link.secao == rooms.query.secao);
    out.push_back(item);
  }
  return out;
}

}  // namespace

Response PageViews::RoomList(int status, const Session& session, const RoomListing& rooms,
                             const RoomFormModel& form) {
  int64_t now = NowMillis();
  const RoomListQuery& query = rooms.query;
  list diretas;
  list salas;
  for (const auto& item : rooms.rooms) {
    // The main view splits the page's rooms into its two sections; a
    // section's own view shows them all in one.
    bool into_diretas = query.secao == RoomSection::kDiretas ||
                        (query.secao == RoomSection::kPrincipal && item.summary.room.direta);
    (into_diretas ? diretas : salas).push_back(RoomCard(item, now));
  }
  data page;
  page.set("diretas", diretas);
  page.set("salas", salas);
  // Which grids the page has (the main view has both, even when empty, so
  // rooms that appear live have a place).
  page.set("mostrar_diretas", query.secao == RoomSection::kPrincipal || query.secao == RoomSection::kDiretas);
  page.set("mostrar_salas", query.secao != RoomSection::kDiretas);
  page.set("titulo_salas", std::string(query.secao == RoomSection::kArquivadas ? "Arquivadas" : "Salas"));
  page.set("sem_diretas", diretas.empty());
  if (rooms.rooms.empty()) {
    if (query.pagina > 1) {
      page.set("pagina_vazia", true);
      page.set("primeira_pagina", ListHref(query.secao, query.q, 0));
    } else if (!query.q.empty()) {
      page.set("sem_resultados", true);
    } else if (query.secao == RoomSection::kArquivadas) {
      page.set("sem_arquivadas", true);
    } else if (query.secao != RoomSection::kDiretas) {
      page.set("sem_salas", true);
    }
  }
  page.set("filtros", FilterLinks(rooms));
  page.set("secao", std::string(RoomSectionName(query.secao)));
  // kainjow's mustache takes "" as true: the sections test these flags.
  page.set("tem_secao", query.secao != RoomSection::kPrincipal);
  page.set("filtrado", !query.q.empty());
  page.set("q", query.q);
  // Pages are links (?pagina=N): shareable, and they work without script.
  page.set("pagina", std::to_string(query.pagina));
  page.set("ultima_pagina", !rooms.tem_proxima);
  if (query.pagina > 1 || rooms.tem_proxima) {
    data paginas;
    paginas.set("atual", std::to_string(query.pagina));
    if (query.pagina > 1) paginas.set("anterior", ListHref(query.secao, query.q, query.pagina - 1));
    if (rooms.tem_proxima) paginas.set("proxima", ListHref(query.secao, query.q, query.pagina + 1));
    page.set("paginas", paginas);
  }
  page.set("usuario_id", std::to_string(session.usuario_id));
  page.set("csrf_token", session.csrf_token);
  data form_data;
  form_data.set("nome", form.nome);
  form_data.set("descricao", form.descricao);
  form_data.set("membros", form.membros);
  form_data.set("privada", form.privada);
  page.set("form", form_data);
  data erros;
  for (const auto& [field, message] : form.erros) erros.set(field, message);
  page.set("erros", erros);
  if (!form.erro.empty()) page.set("erro", form.erro);
  return Render(status, "listar-salas", page, "Salas", &session, "/static/js/salas/main.js", "");
}

}  // namespace papo
