#include "fcgi-app/db/database.h"

namespace papo {

Status Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

}  // namespace papo
