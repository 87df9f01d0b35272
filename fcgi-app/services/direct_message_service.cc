#include "fcgi-app/services/direct_message_service.h"

#include "common/bus/payloads.h"
#include "common/log.h"
#include "common/time_format.h"

namespace papo {
namespace {

constexpr int kHourSeconds = 3600;

std::string WaitText(int seconds) {
  if (seconds >= 60) return std::to_string((seconds + 59) / 60) + " min";
  return std::to_string(seconds) + " s";
}

}  // namespace

Result<std::optional<User>> DirectMessageService::Resolve(const DirectInput& input) {
  if (input.usuario_id > 0) return users_.FindById(input.usuario_id);
  return users_.FindByEmail(input.email);
}

Result<int64_t> DirectMessageService::Open(const Session& session, const DirectInput& input,
                                           int& retry_after_seconds) {
  auto other = Resolve(input);
  if (!other.ok()) return other.status();
  if (!other->has_value()) return Status::NotFound(std::string(kUnknownPerson));
  if ((*other)->id == session.usuario_id) {
    return Status::InvalidArgument("Você não pode abrir uma conversa direta consigo mesmo.");
  }
  UserPair pair = MakeUserPair(session.usuario_id, (*other)->id);
  auto found = direct_.Find(pair);
  if (!found.ok()) return found.status();
  if (found->has_value()) return **found;  // opening an existing one costs nothing
  RateDecision decision = limiter_.Hit("sala", session.usuario_id, config_.rooms_per_hour, kHourSeconds);
  if (!decision.allowed) {
    // The other person may have created it meanwhile: that one opens.
    auto again = direct_.Find(pair);
    if (again.ok() && again->has_value()) return **again;
    Log(LogLevel::kInfo, "room_limit_reached").Kv("usuario_id", session.usuario_id);
    retry_after_seconds = decision.retry_after_seconds;
    return Status::ResourceExhausted("Você criou salas demais na última hora. Aguarde " +
                                     WaitText(decision.retry_after_seconds) + " e tente de novo.");
  }
  int64_t criado_em = NowMillis();
  auto created = direct_.Create(pair, session.usuario_id, criado_em);
  if (!created.ok()) {
    // PostgreSQL: the other request committed the pair between our look-up
    // and our insert; its room is the one.
    if (created.status().code() != Status::Code::kConflict) return created.status();
    auto winner = direct_.Find(pair);
    if (!winner.ok()) return winner.status();
    if (!winner->has_value()) return created.status();
    return **winner;
  }
  if (created->created) {
    User self;
    self.id = session.usuario_id;
    self.nome = session.nome;
    Announce(created->sala_id, criado_em, self, **other);
    Log(LogLevel::kInfo, "direct_room_created").Kv("sala_id", created->sala_id);
  }
  return created->sala_id;
}

void DirectMessageService::Announce(int64_t sala_id, int64_t criado_em, const User& a, const User& b) {
  // The pushers' list streams learn of the new private room before its
  // `sala` event (as RoomService::IndexNewMembers).
  Status indexed = private_rooms_.Add({a.id, b.id}, sala_id);
  if (!indexed.ok()) {
    Log(LogLevel::kWarn, "private_rooms_not_indexed").Kv("sala_id", sala_id).Kv("error", indexed.message());
  }
  for (const auto& [viewer, other] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
    RoomFields fields;
    fields.id = sala_id;
    fields.nome = other->nome;
    fields.privada = true;
    fields.criado_em_ms = criado_em;
    fields.direta = true;
    fields.direta_com = other->id;
    Status published = publisher_.Publish(RoomAnnouncedEvent(fields, {viewer->id}));
    if (!published.ok()) Log(LogLevel::kWarn, "room_event_not_published").Kv("sala_id", sala_id);
  }
}

Result<std::vector<MentionCandidate>> DirectMessageService::FindPeople(const Session& session,
                                                                      std::string_view prefix) {
  // Users arrive by name: whole-name matches keep that order, word matches
  // follow. The scan stops once a page of whole-name matches is found.
  std::vector<MentionCandidate> whole, words;
  Status scanned = direct_.ForEachUserByName([&](int64_t id, std::string_view nome) {
    if (id == session.usuario_id) return true;
    switch (MatchNamePrefix(nome, prefix)) {
      case PrefixMatch::kWholeName: whole.push_back({id, std::string(nome)}); break;
      case PrefixMatch::kWord:
        if (words.size() < kMaxPeople) words.push_back({id, std::string(nome)});
        break;
      case PrefixMatch::kNone: break;
    }
    return whole.size() < kMaxPeople;
  });
  if (!scanned.ok()) return scanned;
  for (auto& person : words) {
    if (whole.size() >= kMaxPeople) break;
    whole.push_back(std::move(person));
  }
  return whole;
}

}  // namespace papo
