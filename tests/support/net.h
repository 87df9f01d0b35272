// Sockets for tests: free ports, waiting for a server to listen, connecting.
#pragma once

#include <chrono>
#include <string>

#include "common/unique_fd.h"

namespace papo::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (bind to 0, read, close).
int FreePort();

// Polls until a connect succeeds (true) or `timeout` passes (false).
bool WaitForTcp(int port, std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
bool WaitForUnixSocket(const std::string& path, std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

// Blocking connections; an invalid UniqueFd on failure.
UniqueFd ConnectTcp(int port);
UniqueFd ConnectUnix(const std::string& path);

// Writes everything (false on error).
bool WriteAll(int fd, const std::string& data);

}  // namespace papo::testing
