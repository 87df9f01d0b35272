#include "fcgi-app/services/validation.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/utf8.h"

namespace papo {
namespace {

constexpr int kMaxNameLength = 80;
constexpr int kMaxRoomNameLength = 60;
constexpr int kMaxRoomDescriptionLength = 280;
constexpr int kMinPasswordLength = 8;
constexpr size_t kMaxPasswordBytes = 1024;
constexpr int kMaxClientIdLength = 64;

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

// Trimmed single-line text of 1..max code points, for names.
std::optional<std::string> CheckName(std::string_view raw, int max_length, std::string_view what,
                                     std::string& out, bool required = true) {
  if (!IsValidUtf8(raw)) return std::string(what) + " contém caracteres inválidos.";
  std::string_view trimmed = TrimUnicodeSpace(raw);
  if (trimmed.empty()) {
    if (!required) {
      out.clear();
      return std::nullopt;
    }
    return "Informe " + std::string(what) + ".";
  }
  if (HasControlCharacters(trimmed, false)) return std::string(what) + " contém caracteres não permitidos.";
  if (CountCodePoints(trimmed) > static_cast<size_t>(max_length)) {
    return std::string(what) + " pode ter no máximo " + std::to_string(max_length) + " caracteres.";
  }
  out = std::string(trimmed);
  return std::nullopt;
}

// Reads sala_id into `out`; adds its error to `errors`.
void ReadSalaId(const FormFields& fields, FieldErrors& errors, int64_t& out) {
  auto raw = fields.Get("sala_id");
  if (!raw || raw->empty()) {
    errors["sala_id"] = "Informe a sala (sala_id).";
    return;
  }
  auto id = ParsePositiveId(*raw);
  if (!id) {
    errors["sala_id"] = "A sala (sala_id) deve ser um número inteiro positivo.";
    return;
  }
  out = *id;
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

FieldErrors ValidateSend(const FormFields& fields, int max_length, SendInput& out) {
  FieldErrors errors;
  ReadSalaId(fields, errors, out.sala_id);
  auto mensagem = fields.Get("mensagem");
  if (!mensagem) {
    errors["mensagem"] = "Informe a mensagem.";
  } else if (auto error = CheckMessageText(*mensagem, max_length, out.mensagem)) {
    errors["mensagem"] = *error;
  }
  if (auto client_id = fields.Get("client_id"); client_id && !client_id->empty()) {
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

FieldErrors ValidateHistory(const FormFields& fields, HistoryQuery& out) {
  FieldErrors errors;
  ReadSalaId(fields, errors, out.sala_id);
  if (auto limit = fields.Get("limit"); limit && !limit->empty()) {
    auto value = ParseDecimal(*limit);
    if (!value || *value < 1 || *value > 200) {
      errors["limit"] = "O limite (limit) deve ser um número inteiro entre 1 e 200.";
    } else {
      out.limit = static_cast<int>(*value);
    }
  }
  if (auto offset = fields.Get("offset"); offset && !offset->empty()) {
    auto value = ParseDecimal(*offset);
    if (!value) {
      errors["offset"] = "O deslocamento (offset) deve ser um número inteiro maior ou igual a zero.";
    } else {
      out.offset = *value;
    }
  }
  if (auto antes = fields.Get("antes_seq"); antes && !antes->empty()) {
    auto value = ParsePositiveId(*antes);
    if (!value) {
      errors["antes_seq"] = "antes_seq deve ser um número inteiro positivo.";
    } else {
      out.antes_seq = *value;
    }
  }
  if (auto apos = fields.Get("apos_seq"); apos && !apos->empty()) {
    auto value = ParseDecimal(*apos);
    if (!value) {
      errors["apos_seq"] = "apos_seq deve ser um número inteiro maior ou igual a zero.";
    } else {
      out.apos_seq = *value;
    }
  }
  int modes = (out.offset > 0) + (out.antes_seq > 0) + (out.apos_seq >= 0);
  if (modes > 1 && errors.empty()) {
    errors["offset"] = "Use apenas um de offset, antes_seq ou apos_seq.";
  }
  return errors;
}

FieldErrors ValidateRead(const FormFields& fields, ReadInput& out) {
  FieldErrors errors;
  ReadSalaId(fields, errors, out.sala_id);
  if (auto seq = fields.Get("seq"); seq && !seq->empty()) {
    auto value = ParseDecimal(*seq);
    if (!value) {
      errors["seq"] = "seq deve ser um número inteiro maior ou igual a zero.";
    } else {
      out.seq = *value;
    }
  }
  return errors;
}

FieldErrors ValidateTyping(const FormFields& fields, TypingInput& out) {
  FieldErrors errors;
  ReadSalaId(fields, errors, out.sala_id);
  auto digitando = fields.GetOr("digitando", "1");
  if (digitando == "1" || digitando == "true") {
    out.digitando = true;
  } else if (digitando == "0" || digitando == "false") {
    out.digitando = false;
  } else {
    errors["digitando"] = "digitando deve ser 1 ou 0.";
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
  if (auto desde = query.Get("desde"); desde && !desde->empty() && !ParseDecimal(*desde)) {
    errors["desde"] = "desde deve ser um número inteiro maior ou igual a zero.";
  }
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
  if (auto error = CheckName(fields.GetOr("nome", ""), kMaxNameLength, "o nome", out.nome)) {
    errors["nome"] = *error;
  }
  auto email_raw = fields.GetOr("email", "");
  if (TrimUnicodeSpace(IsValidUtf8(email_raw) ? email_raw : "x").empty()) {
    errors["email"] = "Informe o e-mail.";
  } else if (auto email = NormalizeEmail(email_raw)) {
    out.email = *email;
  } else {
    errors["email"] = "Informe um e-mail válido, como nome@exemplo.com.";
  }
  auto senha = fields.GetOr("senha", "");
  if (senha.empty()) {
    errors["senha"] = "Informe uma senha.";
  } else if (!IsValidUtf8(senha) || CountCodePoints(senha) < kMinPasswordLength) {
    errors["senha"] = "A senha deve ter pelo menos 8 caracteres.";
  } else if (senha.size() > kMaxPasswordBytes) {
    errors["senha"] = "A senha é longa demais.";
  } else {
    out.senha = std::string(senha);
  }
  if (fields.GetOr("confirmar_senha", "") != senha) {
    errors["confirmar_senha"] = "A confirmação não confere com a senha.";
  }
  return errors;
}

FieldErrors ValidateLogin(const FormFields& fields, LoginInput& out) {
  FieldErrors errors;
  auto email = fields.GetOr("email", "");
  auto senha = fields.GetOr("senha", "");
  if (email.empty()) errors["email"] = "Informe o e-mail.";
  if (senha.empty()) errors["senha"] = "Informe a senha.";
  if (senha.size() > kMaxPasswordBytes) errors["senha"] = "A senha é longa demais.";
  out.email = NormalizeEmail(email).value_or(std::string(email));
  out.senha = std::string(senha);
  out.next = SafeNextPath(fields.GetOr("next", ""));
  return errors;
}

FieldErrors ValidateRoom(const FormFields& fields, RoomInput& out) {
  FieldErrors errors;
  if (auto error = CheckName(fields.GetOr("nome", ""), kMaxRoomNameLength, "o nome da sala", out.nome)) {
    errors["nome"] = *error;
  }
  if (auto error = CheckName(fields.GetOr("descricao", ""), kMaxRoomDescriptionLength, "a descrição",
                             out.descricao, false)) {
    errors["descricao"] = *error;
  }
  auto privada = fields.GetOr("privada", "0");
  if (privada == "1" || privada == "on" || privada == "true") {
    out.privada = true;
  } else if (privada == "0" || privada.empty() || privada == "false") {
    out.privada = false;
  } else {
    errors["privada"] = "privada deve ser 1 ou 0.";
  }
  std::string_view membros = fields.GetOr("membros", "");
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

std::string SafeNextPath(std::string_view next) {
  bool local = next.size() >= 1 && next[0] == '/' && !(next.size() >= 2 && (next[1] == '/' || next[1] == '\\'));
  for (unsigned char c : next) {
    if (c < 0x20 || c == 0x7F) local = false;  // no header injection through Location
  }
  return local ? std::string(next) : std::string("/chat/listar-salas");
}

}  // namespace papo
