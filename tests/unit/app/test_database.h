// TestDatabase: the database one unit test works on, on the backend the
// environment chooses (DESIGN §7: every repository test runs on both):
// PAPO_TEST_DB=postgres takes a fresh database on the process's shared
// throwaway PostgreSQL cluster (tests/support/pg_server.h); anything else
// an SQLite file in a TempDir. ctest registers each suite once per backend.
#pragma once

#include <memory>
#include <string>

#include "fcgi-app/db/database.h"
#include "tests/support/temp_dir.h"

namespace papo::testing {

bool TestingOnPostgres();

class TestDatabase final {
 public:
  TestDatabase();
  // A new connection (fails the test and returns nullptr when it cannot).
  std::unique_ptr<Database> Open() const;
  // What PAPO_DB would be: the file path or the URI.
  const std::string& target() const { return target_; }
  Backend backend() const { return TestingOnPostgres() ? Backend::kPostgres : Backend::kSqlite; }

 private:
  TempDir dir_;
  std::string target_;
};

// The first column of the first row of `sql` as text ("NULL" for null);
// fails the test when there is no row.
std::string QueryText(Database& db, const std::string& sql);
int64_t QueryInt(Database& db, const std::string& sql);

}  // namespace papo::testing
