// One command on one Redis process of a test topology (Sentinel, Cluster),
// over raw hiredis on 127.0.0.1: the fixtures poll nodes while they start,
// fail over or migrate, and a RedisClient would log every connect and
// follow redirections the fixtures must see.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/redis_handle.h"

namespace papo::testing {

// The reply of `command` on 127.0.0.1:`port` (an error reply included);
// null when the node cannot be reached or does not answer within
// `timeout` (for the connect and again for the reply). A non-empty
// `password` is sent with AUTH first (a node with requirepass refuses
// everything else); a refused AUTH is returned as the reply.
RedisReplyPtr NodeReply(int port, const std::vector<std::string>& command, std::chrono::milliseconds timeout,
                        const std::string& password = "");

}  // namespace papo::testing
