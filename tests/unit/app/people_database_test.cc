#include "tests/unit/app/people_database_test.h"

#include "fcgi-app/db/migrations.h"
#include "fcgi-app/db/room_repository.h"
#include "fcgi-app/db/user_repository.h"

namespace papo::testing {

void PeopleDatabaseTest::SetUp() {
  db_ = test_db_.Open();
  ASSERT_NE(db_, nullptr);
  ASSERT_TRUE(ApplyMigrations(*db_).ok());
  UserRepository users(*db_);
  auto ana = users.Create("Ana", "ana@exemplo.com", "hash", 1);
  auto bruno = users.Create("Bruno", "bruno@exemplo.com", "hash", 1);
  auto carla = users.Create("Carla", "carla@exemplo.com", "hash", 1);
  ASSERT_TRUE(ana.ok() && bruno.ok() && carla.ok());
  ana_ = *ana;
  bruno_ = *bruno;
  carla_ = *carla;
}

int64_t PeopleDatabaseTest::NewRoom(const std::string& nome, bool privada, int64_t criado_em,
                                    const std::vector<int64_t>& members) {
  Room room;
  room.nome = nome;
  room.privada = privada;
  room.criado_por = ana_;
  room.criado_em = criado_em;
  auto id = RoomRepository(*db_).Create(room, members);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return id.ok() ? *id : 0;
}

Result<InsertedMessage> PeopleDatabaseTest::Store(int64_t sala, int64_t user, const std::string& text,
                                                  int64_t data_envio) {
  NewMessage message{sala, user, "n", text, "", data_envio};
  return MessageRepository(*db_).Insert(message);
}

}  // namespace papo::testing
