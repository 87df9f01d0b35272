// GET /chat/buscar?q=…[&sala_id=…][&antes_id=…] (DESIGN §9): message
// search. JSON callers (Accept: application/json) get the results; browsers
// get the search page, which also shows a refused query beside the box.
#include "common/utf8.h"
#include "fcgi-app/app_services.h"
#include "fcgi-app/handlers/handlers.h"
#include "fcgi-app/http/error_responses.h"
#include "fcgi-app/services/search_text.h"
#include "fcgi-app/services/validation.h"
#include "fcgi-app/views/json_views.h"
#include "fcgi-app/views/search_views.h"

namespace papo {
namespace {

// An optional positive id parameter: absent is 0.
void ParseOptionalId(const FormFields& params, const char* name, const char* label, int64_t& out,
                     FieldErrors& errors) {
  if (!params.Has(name)) return;
  auto id = params.TypeOf(name) == FieldType::kText ? ParsePositiveId(params.GetOr(name, "")) : std::nullopt;
  if (!id) {
    errors[name] = std::string(label) + " deve ser um número inteiro positivo.";
    return;
  }
  out = *id;
}

// q: a text, valid UTF-8, trimmed, 1..kMaxSearchQuery code points, with at
// least one word (letters or digits).
FieldErrors ValidateSearch(const FormFields& params, SearchInput& input) {
  FieldErrors errors;
  ParseOptionalId(params, "sala_id", "A sala", input.sala_id, errors);
  ParseOptionalId(params, "antes_id", "O parâmetro antes_id", input.antes_id, errors);
  if (params.Has("q") && params.TypeOf("q") != FieldType::kText) {
    errors["q"] = "A busca deve ser um texto.";
    return errors;
  }
  std::string_view raw = params.GetOr("q", "");
  if (!IsValidUtf8(raw)) {
    errors["q"] = "A busca não é um texto UTF-8 válido.";
    return errors;
  }
  raw = TrimUnicodeSpace(raw);
  input.q = std::string(raw);
  if (raw.empty()) {
    errors["q"] = "Digite o que você procura.";
  } else if (CountCodePoints(raw) > kMaxSearchQuery) {
    errors["q"] = "A busca deve ter no máximo " + std::to_string(kMaxSearchQuery) + " caracteres.";
  } else {
    input.words = SearchWords(raw);
    if (input.words.empty()) errors["q"] = "A busca precisa de ao menos uma palavra (letras ou números).";
  }
  return errors;
}

}  // namespace

Response GetSearch(RequestContext& context) {
  bool json = context.request.WantsJson();
  const Session& session = *context.session;
  SearchInput input;
  FieldErrors errors = ValidateSearch(context.params, input);
  SearchPageModel model;
  model.q = input.q;
  model.sala_id = input.sala_id;
  // The page without a query is the empty search box, not an error.
  bool blank = !context.params.Has("q");
  if (!errors.empty()) {
    if (json) return Response::Json(422, FieldErrorsJson(errors));
    if (blank && errors.size() == 1 && errors.count("q") == 1) return context.services.views.Search(200, session, model);
    model.erros = std::move(errors);
    return context.services.views.Search(422, session, model);
  }
  auto page = context.services.search.Search(session, input);
  if (!page.ok()) return StatusResponse(context.services, json, page.status(), &session);
  if (json) {
    Response response = Response::Json(200, SearchResultsJson(*page));
    response.AddHeader("Cache-Control", "no-store");
    return response;
  }
  model.page = &*page;
  return context.services.views.Search(200, session, model);
}

}  // namespace papo
