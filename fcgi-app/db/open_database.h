// Opens papo's database the way every papo-app connection does: PAPO_DB is
// a file path (SQLite) or a postgresql:// URI (DESIGN §7).
#pragma once

#include <memory>
#include <string>

#include "common/config.h"
#include "fcgi-app/db/database.h"

namespace papo {

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& target, const std::string& sqlite_synchronous);
Result<std::unique_ptr<Database>> OpenDatabase(const Config& config);

// PAPO_DB as logs may show it: a URI's password replaced by "***".
std::string RedactedDatabaseTarget(const std::string& target);

}  // namespace papo
