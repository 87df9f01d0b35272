// PeopleDatabaseTest: where the repository tests start. A migrated test
// database (on the backend the environment chooses: test_database.h) with
// three people, Ana, Bruno and Carla, and the two writes every suite
// needs: a room and a message.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "fcgi-app/db/message_repository.h"
#include "tests/unit/app/test_database.h"

namespace papo::testing {

class PeopleDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // A room Ana creates (its owner); `members` join a private one. 0 when
  // the repository refused (the test has failed then).
  int64_t NewRoom(const std::string& nome, bool privada, int64_t criado_em = 5,
                  const std::vector<int64_t>& members = {});
  // `text` by `user` in `sala`, stored as papo-app stores a message.
  Result<InsertedMessage> Store(int64_t sala, int64_t user, const std::string& text, int64_t data_envio = 1000);

  TestDatabase test_db_;
  std::unique_ptr<Database> db_;
  int64_t ana_ = 0;
  int64_t bruno_ = 0;
  int64_t carla_ = 0;
};

}  // namespace papo::testing
