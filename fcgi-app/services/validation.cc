#include "fcgi-app/services/validation.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "common/utf8.h"
#include "fcgi-app/services/emoji.h"

namespace papo {
namespace {

constexpr int kMaxNameLength = 80;
constexpr int kMaxRoomNameLength = 60;
constexpr int kMaxRoomDescriptionLength = 280;
constexpr int kMinPasswordLength = 8;
constexpr size_t kMaxPasswordBytes = 1024;
constexpr int kMaxClientIdLength = 64;
constexpr int64_t kMaxInteger = std::numeric_limits<int64_t>::max();

std::optional<int64_t> ParseDecimal(std::string_view text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

bool HasControlCharacters(std::string_view text, bool allow_line_breaks) {
  for (unsigned char c : text) {
    if (c == 0x7F) return true;
    if (c < 0x20) {
      if (allow_line_breaks && (c == '\n' || c == '\r' || c == '\t')) continue;
      return true;
    }
  }
  return false;
}

// `what` ("o nome") at the start of a sentence ("O nome").
std::string Sentence(std::string_view what) {
  std::string out(what);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// Trimmed single-line text of 1..max code points, for names. `what` is the
// field with its article, lower-case ("o nome").
std::optional<std::string> CheckName(std::string_view raw, int max_length, std::string_view what,
                                     std::string& out, bool required = true) {
  if (!IsValidUtf8(raw)) return Sentence(what) + " contém caracteres inválidos (UTF-8 inválido).";
  std::string_view trimmed = TrimUnicodeSpace(raw);
  if (trimmed.empty()) {
    if (!required) {
      out.clear();
      return std::nullopt;
    }
    return "Informe " + std::string(what) + ".";
  }
  if (HasControlCharacters(trimmed, false)) return Sentence(what) + " contém caracteres não permitidos.";
  if (CountCodePoints(trimmed) > static_cast<size_t>(max_length)) {
    return Sentence(what) + " pode ter no máximo " + std::to_string(max_length) + " caracteres.";
  }
  out = std::string(trimmed);
  return std::nullopt;
}

// A text field: a form value or a JSON string; nullopt when absent. Any
// other JSON value is refused with "<What> deve ser um texto." under the
// field's name (and also reads as nullopt: check `errors` first).
std::optional<std::string_view> ReadText(const FormFields& fields, const std::string& name, std::string_view what,
                                         FieldErrors& errors) {
  auto value = fields.Get(name);
  if (!value) return std::nullopt;
  if (fields.TypeOf(name) != FieldType::kText) {
    errors[name] = Sentence(what) + " deve ser um texto.";
    return std::nullopt;
  }
  return value;
}

// An integer field: a form's digits or a JSON integer (FieldType::kInteger).
// `present` is false when the field is absent or an empty text (forms send
// empty inputs); `value` is nullopt for anything else that is not a
// decimal integer >= 0 of at most 15 digits, booleans and null included.
struct IntegerField {
  bool present = false;
  std::optional<int64_t> value;
};

IntegerField ReadInteger(const FormFields& fields, std::string_view name) {
  auto raw = fields.Get(name);
  FieldType type = fields.TypeOf(name);
  if (!raw || (type == FieldType::kText && raw->empty())) return {};
  if (type != FieldType::kText && type != FieldType::kInteger) return {true, std::nullopt};
  return {true, ParseDecimal(*raw)};
}

// A yes/no field: JSON true/false, the integers 0/1, or the text a form
// sends ("1"/"0", "true"/"false"; a checkbox's default "on"). `absent` when
// the field is missing; nullopt for anything else.
std::optional<bool> ReadFlag(const FormFields& fields, std::string_view name, bool absent) {
  auto raw = fields.Get(name);
  if (!raw) return absent;
  switch (fields.TypeOf(name)) {
    case FieldType::kBoolean:
    case FieldType::kInteger:
    case FieldType::kText: break;
    default: return std::nullopt;
  }
  if (*raw == "1" || *raw == "true" || *raw == "on") return true;
  if (*raw == "0" || *raw == "false") return false;
  return std::nullopt;
}

// Reads sala_id into `out`; adds its error to `errors`.
void ReadSalaId(const FormFields& fields, FieldErrors& errors, int64_t& out) {
  IntegerField field = ReadInteger(fields, "sala_id");
  if (!field.present) {
    errors["sala_id"] = "Informe a sala (sala_id).";
    return;
  }
  if (!field.value || *field.value == 0) {
    errors["sala_id"] = "A sala (sala_id) deve ser um número inteiro positivo.";
    return;
  }
  out = *field.value;
}

// Reads an optional integer field in [minimum, maximum] into `out`; adds
// `message` to `errors` when it is present but not such a number.
template <typename T>
void ReadOptionalInteger(const FormFields& fields, const std::string& name, int64_t minimum, int64_t maximum,
                         const char* message, FieldErrors& errors, T& out) {
  IntegerField field = ReadInteger(fields, name);
  if (!field.present) return;
  if (!field.value || *field.value < minimum || *field.value > maximum) {
    errors[name] = message;
    return;
  }
  out = static_cast<T>(*field.value);
}

}  // namespace

std::optional<int64_t> ParsePositiveId(std::string_view text) {
  auto value = ParseDecimal(text);
  if (!value || *value == 0) return std::nullopt;
  return value;
}

std::optional<int64_t> ParseNonNegative(std::string_view text) { return ParseDecimal(text); }

std::optional<std::string> CheckMessageText(std::string_view raw, int max_length, std::string& trimmed) {
  if (!IsValidUtf8(raw)) return "A mensagem contém caracteres inválidos (UTF-8 inválido).";
  std::string_view text = TrimUnicodeSpace(raw);
  if (text.empty()) return "A mensagem não pode estar vazia ou conter apenas espaços.";
  if (HasControlCharacters(text, true)) return "A mensagem contém caracteres de controle não permitidos.";
  if (CountCodePoints(text) > static_cast<size_t>(max_length)) {
    return "A mensagem pode ter no máximo " + std::to_string(max_length) + " caracteres.";
  }
  trimmed = std::string(text);
  return std::nullopt;
}

// The mensagem field of a send or an edit, trimmed into `out`.
void ReadMessageField(const FormFields& fields, int max_length, FieldErrors& errors, std::string& out) {
  auto mensagem = ReadText(fields, "mensagem", "a mensagem", errors);
  if (errors.count("mensagem")) {
    // A JSON value that is not a string: its error is already there.
  } else if (!mensagem) {
    errors["mensagem"] = "Informe a mensagem.";
  } else if (auto error = CheckMessageText(*mensagem, max_length, out)) {
    errors["mensagem"] = *error;
  }
}

FieldErrors ValidateSend(const FormFields& fields, int max_length, SendInput& out) {
  FieldErrors errors;
  ReadSalaId(fields, errors, out.sala_id);
  ReadMessageField(fields, max_length, errors, out.mensagem);
  auto client_id = ReadText(fields, "client_id", "o client_id", errors);
  if (client_id && !client_id->empty()) {
    if (!IsValidUtf8(*client_id) || HasControlCharacters(*client_id, false)) {
      errors["client_id"] = "O client_id contém caracteres inválidos.";
    } else if (CountCodePoints(*client_id) > kMaxClientIdLength) {
      errors["client_id"] = "O client_id pode ter no máximo 64 caracteres.";
    } else {
      out.client_id = std::string(*client_id);
    }
  }
  return errors;
}

FieldErrors ValidateEdit(const FormFields& fields, int max_length, std::string& mensagem) {
  FieldErrors errors;
  ReadMessageField(fields, max_length, errors, mensagem);
  return errors;
}

FieldErrors ValidateReaction(const FormFields& fields, ReactionInput& out) {
  FieldErrors errors;
  auto emoji = ReadText(fields, "emoji", "o emoji", errors);
  if (errors.count("emoji")) {
    // Not a text: already said.
  } else if (!emoji || emoji->empty()) {
    errors["emoji"] = "Escolha o emoji da reação.";
  } else if (!IsReactionEmoji(*emoji)) {
    errors["emoji"] = "A reação deve ser um único emoji (por exemplo 👍).";
  } else {
    out.emoji = std::string(*emoji);
  }
  auto raw = fields.Get("ativo");
  FieldType type = fields.TypeOf("ativo");
  bool typed = type == FieldType::kText || type == FieldType::kInteger || type == FieldType::kBoolean;
  if (!raw) {
    out.ativo = true;
  } else if (typed && (*raw == "1" || *raw == "0")) {
    out.ativo = *raw == "1";
  } else {
    errors["ativo"] = "O campo ativo deve ser 1 (reagir) ou 0 (retirar a reação).";
  }
  return errors;
}

FieldErrors ValidateHistory(const FormFields& fields, HistoryQuery& out) {
  FieldErrors errors;
  ReadSalaId(fields, errors, out.sala_id);
  ReadOptionalInteger(fields, "limit", 1, 200, "O limite (limit) deve ser um número inteiro entre 1 e 200.", errors,
                      out.limit);
  ReadOptionalInteger(fields, "offset", 0, kMaxInteger,
                      "O deslocamento (offset) deve ser um número inteiro maior ou igual a zero.", errors, out.offset);
  ReadOptionalInteger(fields, "antes_seq", 1, kMaxInteger, "O parâmetro antes_seq deve ser um número inteiro positivo.",
                      errors, out.antes_seq);
  ReadOptionalInteger(fields, "apos_seq", 0, kMaxInteger,
                      "O parâmetro apos_seq deve ser um número inteiro maior ou igual a zero.", errors, out.apos_seq);
  int modes = (out.offset > 0) + (out.antes_seq > 0) + (out.apos_seq >= 0);
  if (modes > 1 && errors.empty()) {
    // Under the field that conflicts: the later of the ones given.
    const char* field = out.apos_seq >= 0 ? "apos_seq" : "antes_seq";
    errors[field] = "Use apenas um de offset, antes_seq ou apos_seq.";
  }
  return errors;
}

FieldErrors ValidateRead(const FormFields& fields, ReadInput& out) {
  FieldErrors errors;
  ReadSalaId(fields, errors, out.sala_id);
  ReadOptionalInteger(fields, "seq", 0, kMaxInteger, "O parâmetro seq deve ser um número inteiro maior ou igual a zero.",
                      errors, out.seq);
  return errors;
}

FieldErrors ValidateTyping(const FormFields& fields, TypingInput& out) {
  FieldErrors errors;
  ReadSalaId(fields, errors, out.sala_id);
  if (auto digitando = ReadFlag(fields, "digitando", true)) {
    out.digitando = *digitando;
  } else {
    errors["digitando"] = "O campo digitando deve ser verdadeiro ou falso (true/false ou 1/0).";
  }
  return errors;
}

FieldErrors ValidateStream(const FormFields& query, StreamInput& out) {
  FieldErrors errors;
  if (query.GetOr("lista", "") == "1") {
    out.lista = true;
    return errors;
  }
  ReadSalaId(query, errors, out.sala_id);
  int64_t desde = 0;
  ReadOptionalInteger(query, "desde", 0, kMaxInteger,
                      "O parâmetro desde deve ser um número inteiro maior ou igual a zero.", errors, desde);
  return errors;
}

std::optional<std::string> NormalizeEmail(std::string_view raw) {
  if (!IsValidUtf8(raw)) return std::nullopt;
  std::string email(TrimUnicodeSpace(raw));
  std::transform(email.begin(), email.end(), email.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) {
    return std::nullopt;
  }
  auto domain = std::string_view(email).substr(at + 1);
  auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.') return std::nullopt;
  for (unsigned char c : email) {
    if (c <= ' ' || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == 0x7F) return std::nullopt;
  }
  return email;
}

FieldErrors ValidateRegistration(const FormFields& fields, RegistrationInput& out) {
  FieldErrors errors;
  auto nome = ReadText(fields, "nome", "o nome", errors);
  if (!errors.count("nome")) {
    if (auto error = CheckName(nome.value_or(""), kMaxNameLength, "o nome", out.nome)) errors["nome"] = *error;
  }
  auto email_raw = ReadText(fields, "email", "o e-mail", errors).value_or("");
  if (errors.count("email")) {
    // Not a JSON string: already refused.
  } else if (TrimUnicodeSpace(IsValidUtf8(email_raw) ? email_raw : "x").empty()) {
    errors["email"] = "Informe o e-mail.";
  } else if (auto email = NormalizeEmail(email_raw)) {
    out.email = *email;
  } else {
    errors["email"] = "Informe um e-mail válido, como nome@exemplo.com.";
  }
  auto senha = ReadText(fields, "senha", "a senha", errors).value_or("");
  if (errors.count("senha")) {
    // Not a JSON string: already refused.
  } else if (senha.empty()) {
    errors["senha"] = "Informe uma senha.";
  } else if (!IsValidUtf8(senha)) {
    errors["senha"] = "A senha contém caracteres inválidos (UTF-8 inválido).";
  } else if (CountCodePoints(senha) < kMinPasswordLength) {
    errors["senha"] = "A senha deve ter pelo menos 8 caracteres.";
  } else if (senha.size() > kMaxPasswordBytes) {
    errors["senha"] = "A senha é longa demais.";
  } else {
    out.senha = std::string(senha);
  }
  auto confirmacao = ReadText(fields, "confirmar_senha", "a confirmação da senha", errors);
  if (!errors.count("confirmar_senha") && confirmacao.value_or("") != senha) {
    errors["confirmar_senha"] = "A confirmação não confere com a senha.";
  }
  return errors;
}

FieldErrors ValidateLogin(const FormFields& fields, LoginInput& out) {
  FieldErrors errors;
  auto email = ReadText(fields, "email", "o e-mail", errors).value_or("");
  auto senha = ReadText(fields, "senha", "a senha", errors).value_or("");
  if (email.empty() && !errors.count("email")) errors["email"] = "Informe o e-mail.";
  if (senha.empty() && !errors.count("senha")) errors["senha"] = "Informe a senha.";
  if (senha.size() > kMaxPasswordBytes) errors["senha"] = "A senha é longa demais.";
  out.email = NormalizeEmail(email).value_or(std::string(email));
  out.senha = std::string(senha);
  // Like a next that leads off the site, one that is not text is replaced
  // by the room list rather than refused: the user only wants to log in.
  out.next = SafeNextPath(TextOr(fields, "next", ""));
  return errors;
}

FieldErrors ValidateRoom(const FormFields& fields, RoomInput& out) {
  FieldErrors errors;
  auto nome = ReadText(fields, "nome", "o nome da sala", errors);
  if (!errors.count("nome")) {
    if (auto error = CheckName(nome.value_or(""), kMaxRoomNameLength, "o nome da sala", out.nome)) {
      errors["nome"] = *error;
    }
  }
  auto descricao = ReadText(fields, "descricao", "a descrição", errors);
  if (!errors.count("descricao")) {
    if (auto error = CheckName(descricao.value_or(""), kMaxRoomDescriptionLength, "a descrição", out.descricao,
                               false)) {
      errors["descricao"] = *error;
    }
  }
  // An empty text is an unchecked box too (a form may send privada=).
  bool empty_text = fields.TypeOf("privada") == FieldType::kText && fields.GetOr("privada", "0").empty();
  if (auto privada = empty_text ? std::optional<bool>(false) : ReadFlag(fields, "privada", false)) {
    out.privada = *privada;
  } else {
    errors["privada"] = "Indique se a sala é privada com 1 (sim) ou 0 (não).";
  }
  std::string_view membros = ReadText(fields, "membros", "a lista de membros", errors).value_or("");
  while (!membros.empty()) {
    auto cut = membros.find_first_of(",; \n\r\t");
    auto item = membros.substr(0, cut);
    membros = cut == std::string_view::npos ? std::string_view() : membros.substr(cut + 1);
    if (item.empty()) continue;
    if (auto email = NormalizeEmail(item)) {
      out.membros.push_back(*email);
    } else {
      errors["membros"] = "E-mail inválido na lista de membros: " + std::string(item.substr(0, 80)) + ".";
      break;
    }
  }
  if (!out.membros.empty() && !out.privada && !errors.count("membros")) {
    errors["membros"] = "Convide membros apenas para salas privadas.";
  }
  return errors;
}

std::string_view TextOr(const FormFields& fields, std::string_view name, std::string_view fallback) {
  auto value = fields.Get(name);
  if (!value || fields.TypeOf(name) != FieldType::kText) return fallback;
  return *value;
}

std::string SafeNextPath(std::string_view next) {
  bool local = next.size() >= 1 && next[0] == '/' && !(next.size() >= 2 && (next[1] == '/' || next[1] == '\\'));
  for (unsigned char c : next) {
    if (c < 0x20 || c == 0x7F) local = false;  // no header injection through Location
  }
  return local ? std::string(next) : std::string("/chat/listar-salas");
}

}  // namespace papo
