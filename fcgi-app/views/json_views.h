// JSON bodies of the JSON endpoints (DESIGN §3).
#pragma once

#include <string>
#include <vector>

#include "common/chat_message.h"
#include "fcgi-app/services/mention_finder.h"
#include "fcgi-app/services/field_errors.h"

namespace papo {

// {"success":true,"mensagem_id":N,"seq":S,"data_envio":"…","mensagem":{message object}}
std::string SendSuccessJson(const ChatMessage& message);
// {"success":true,"mensagem":{message object}}: a changed message (DESIGN §9).
std::string MessageSuccessJson(const ChatMessage& message);
// {"success":true,"mensagens":[…]}
std::string MessagesJson(const std::vector<ChatMessage>& messages);
// {"success":true,"membros":[{"id":N,"nome":"…"}]}: @-completion (never e-mails)
std::string MembersJson(const std::vector<MentionCandidate>& members);
// {"success":true,"pessoas":[{"id":N,"nome":"…"}]}: "Nova conversa" (never e-mails)
std::string PeopleJson(const std::vector<MentionCandidate>& people);
// {"success":true,"sala_id":N}: POST /chat/dm to a JSON caller
std::string DirectRoomJson(int64_t sala_id);
// {"success":true,"nao_lidas":N}
std::string ReadSuccessJson(int64_t nao_lidas);
// {"success":false,"erros":{"campo":"mensagem"}}
std::string FieldErrorsJson(const FieldErrors& errors);
// {"success":false,"erro":"…"}
std::string ErrorJson(std::string_view message);

}  // namespace papo
