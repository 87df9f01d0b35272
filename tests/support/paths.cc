#include "tests/support/paths.h"

namespace papo::testing {

std::string SourceDir() { return PAPO_SOURCE_DIR; }
std::string AppBinary() { return PAPO_APP_BINARY; }
std::string PusherBinary() { return PAPO_PUSHER_BINARY; }

}  // namespace papo::testing
