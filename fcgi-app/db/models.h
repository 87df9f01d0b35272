// Rows papo-app reads and writes (DESIGN §2), as plain values.
#pragma once

#include <cstdint>
#include <string>

namespace papo {

struct User {
  int64_t id = 0;
  std::string nome;
  std::string email;
  std::string senha_hash;
  int64_t criado_em = 0;
};

// A live session joined with its user.
struct Session {
  int64_t usuario_id = 0;
  std::string nome;
  std::string email;
  std::string csrf_token;
  std::string token_hash;
  int64_t expira_em = 0;  // epoch ms
};

struct Room {
  int64_t id = 0;
  std::string nome;
  std::string descricao;
  bool privada = false;
  bool ativa = true;
  int64_t criado_por = 0;  // 0 for the seed rooms
  int64_t criado_em = 0;
  int64_t ultimo_seq = 0;
  bool arquivada = false;  // read-only, listed under "Arquivadas" (DESIGN §9)
  bool direta = false;     // a direct message: a private two-person room
  // Read for one viewer (FindForUser, the list): a direct message's nome is
  // the other person's name and direta_com their id (0 otherwise). Without
  // a viewer (Find) nome is the internal key and direta_com 0.
  int64_t direta_com = 0;
};

// A room as one user may use it (one query: every request that names a
// room asks this, and on PostgreSQL each query is a round trip).
struct RoomForUser {
  Room room;
  bool member = false;  // of sala_membro (private rooms need it)
  bool dono = false;    // sala_membro.papel = 'dono': the room's owner
};

// A room as the room list shows it to one user.
struct RoomSummary {
  Room room;
  int64_t ultima_atividade = 0;  // data_envio of the newest message, 0 if none
  int64_t ultimo_seq_lido = 0;
  int64_t nao_lidas = 0;
};

// Where one user has read up to in a room (read receipts).
struct ReadReceipt {
  int64_t usuario_id = 0;
  std::string nome;
  int64_t ultimo_seq_lido = 0;
};

}  // namespace papo
