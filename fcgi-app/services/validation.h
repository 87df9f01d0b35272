// Input validation for every route (DESIGN §3 "Validation"). Each function
// reads the raw fields, fills a typed input and returns the pt-BR error per
// field; an empty FieldErrors means the input is valid. Nothing here
// touches storage: "the room exists" is the services' check (404).
//
// Types (JSON bodies keep them, FieldType): an id or count is a JSON integer
// or a string of digits (what a form sends); an integral number spelled 1.0
// or 1e0 counts as the integer (JSON has one number type); booleans, null,
// arrays, objects and fractions are refused. Text fields (mensagem,
// client_id, nome, email, senha, …) must be JSON strings: "<campo> deve ser
// um texto.". Flags (digitando, privada) are true/false, 0/1 or the form's
// "1"/"0". Each wrong type is an error on that field, never a coercion.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/form.h"
#include "fcgi-app/db/message_repository.h"
#include "fcgi-app/services/field_errors.h"

namespace papo {

// A positive decimal integer (no sign, no spaces, at most 15 digits).
std::optional<int64_t> ParsePositiveId(std::string_view text);
// A decimal integer >= 0 (same form).
std::optional<int64_t> ParseNonNegative(std::string_view text);

struct SendInput {
  int64_t sala_id = 0;
  std::string mensagem;   // trimmed
  std::string client_id;  // "" when absent
};
FieldErrors ValidateSend(const FormFields& fields, int max_length, SendInput& out);

// The message rules alone (trimmed, 1..max code points, valid UTF-8, not only
// white space, no control characters but line breaks and tabs).
std::optional<std::string> CheckMessageText(std::string_view raw, int max_length, std::string& trimmed);

// POST /chat/mensagens/{id}/editar: mensagem, by the rules of sending.
FieldErrors ValidateEdit(const FormFields& fields, int max_length, std::string& mensagem);

// POST /chat/mensagens/{id}/reacoes: emoji (IsReactionEmoji, emoji.h) and
// ativo, 1 (add, the default) or 0 (take back).
struct ReactionInput {
  std::string emoji;
  bool ativo = true;
};
FieldErrors ValidateReaction(const FormFields& fields, ReactionInput& out);

// sala_id, limit (1..200, default 50), offset >= 0 or antes_seq / apos_seq.
FieldErrors ValidateHistory(const FormFields& fields, HistoryQuery& out);

struct ReadInput {
  int64_t sala_id = 0;
  std::optional<int64_t> seq;  // absent: the room's latest
};
FieldErrors ValidateRead(const FormFields& fields, ReadInput& out);

struct TypingInput {
  int64_t sala_id = 0;
  bool digitando = false;
};
FieldErrors ValidateTyping(const FormFields& fields, TypingInput& out);

// The room of a stream request: sala_id or lista=1 (plus optional desde).
struct StreamInput {
  int64_t sala_id = 0;  // 0 with lista
  bool lista = false;
};
FieldErrors ValidateStream(const FormFields& query, StreamInput& out);

struct RegistrationInput {
  std::string nome;
  std::string email;   // trimmed, lower-case
  std::string senha;
};
FieldErrors ValidateRegistration(const FormFields& fields, RegistrationInput& out);

struct LoginInput {
  std::string email;
  std::string senha;
  std::string next;  // a local path, "" when absent or not local
};
FieldErrors ValidateLogin(const FormFields& fields, LoginInput& out);

struct RoomInput {
  std::string nome;
  std::string descricao;
  bool privada = false;
  std::vector<std::string> membros;  // e-mails to invite to a private room
};
FieldErrors ValidateRoom(const FormFields& fields, RoomInput& out);

// The value of `name` when it is text (a form value or a JSON string),
// otherwise `fallback`: for showing a form again as it was typed.
std::string_view TextOr(const FormFields& fields, std::string_view name, std::string_view fallback);

// `next` when it is a path on this site ("/..." but not "//..." or "/\..."),
// otherwise the room list.
std::string SafeNextPath(std::string_view next);

// Lower-cased, trimmed e-mail; nullopt when it does not look like one.
std::optional<std::string> NormalizeEmail(std::string_view raw);

}  // namespace papo
