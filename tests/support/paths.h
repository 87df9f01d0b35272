// Where the tests find the project's files and binaries (set by CMake).
#pragma once

#include <string>

namespace papo::testing {

std::string SourceDir();     // the repository root
std::string AppBinary();     // papo-app
std::string PusherBinary();  // papo-pusher ("" when it is not built)

}  // namespace papo::testing
