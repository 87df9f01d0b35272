// PublishOrQueue: how every service hands an event to the bus after its
// transaction committed. A failed publish never fails the request (the
// change is stored): a new message's room is queued for the Republisher,
// anything else is logged.
#pragma once

#include "common/publisher.h"
#include "fcgi-app/services/republish_queue.h"

namespace papo {

void PublishOrQueue(Publisher& publisher, RepublishQueue& republish, const RoomEvent& event);

}  // namespace papo
