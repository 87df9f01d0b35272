// ResolveSentinelMaster: where the master of a redis-sentinel:// address is
// now (DESIGN §8).
//
// Asks each sentinel in turn `SENTINEL get-master-addr-by-name <master>`,
// then asks the node it named for `ROLE`: a sentinel's answer lags a
// failover (it still names the old master until the switch is done, and a
// minority sentinel may name it for longer), so only a node that says
// "master" itself is returned; otherwise the next sentinel is asked.
// Synchronous and short: each connect and each reply waits at most
// `timeout_ms`, so a dead sentinel or node costs that much. Callers resolve
// before each (re)connect; nothing is cached here. Thread-safe (no state).
#pragma once

#include "common/config.h"
#include "common/result.h"

namespace papo {

inline constexpr int kSentinelTimeoutMs = 300;

// REQUIRES: address.mode == RedisMode::kSentinel (InvalidArgument
// otherwise). Unavailable, naming what each sentinel said, when no
// sentinel answered with a node that confirms it is the master.
Result<RedisHostPort> ResolveSentinelMaster(const RedisAddress& address, int timeout_ms = kSentinelTimeoutMs);

}  // namespace papo
