// The whole stack on a password-protected Redis topology (issue 15,
// deploy/README: requirepass + masterauth on every node, the password in
// PAPO_REDIS_URL): what a user sees must be unchanged, which proves papo
// sends AUTH on every path (papo-app's client, the republisher, the
// pusher's commander, subscribers and cluster-slot map reads). Shared by
// the Cluster and the Sentinel suites.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace papo::testing {

// Starts a Stack on `redis_url` and checks, with gtest assertions: a user
// registers (sessions go through Redis), opens the list stream and a room
// stream; the room stream's `presenca` counts the reader; another user
// sends a message, which reaches the room stream with id = its seq and
// the list stream as `atividade` carrying that seq. Then, when given,
// `fail_over` is called (it kills the node serving the room and waits for
// its replica to take over) and a second message must reach the still
// open room stream: papo authenticates again on the new node. Call under
// ASSERT_NO_FATAL_FAILURE.
void ExpectTheStackWorksOn(const std::string& redis_url, const std::function<void()>& fail_over = {});

// Checks that each node on `ports` refuses a command sent without the
// password (NOAUTH) or with a wrong one, and answers it with `password`.
void ExpectNodesRequire(const std::vector<int>& ports, const std::string& password);

}  // namespace papo::testing
