#include "fcgi-app/services/event_publishing.h"

#include "common/log.h"

namespace papo {

void PublishOrQueue(Publisher& publisher, RepublishQueue& republish, const RoomEvent& event) {
  Status status = publisher.Publish(event);
  if (status.ok()) return;
  if (event.kind == EventKind::kMessage) {
    republish.MarkDirty(event.sala_id);
    Log(LogLevel::kWarn, "publish_deferred").Kv("sala_id", event.sala_id).Kv("seq", event.seq)
        .Kv("error", status.message());
  } else if (IsMessageChange(event.kind)) {
    // Stored, but open streams miss it live; a page reload or /chat/mensagens
    // shows the current version (the database is the source of truth).
    Log(LogLevel::kWarn, "change_not_published").Kv("kind", EventKindName(event.kind)).Kv("sala_id", event.sala_id)
        .Kv("seq", event.seq).Kv("error", status.message());
  } else {
    // Typing and read events are ephemeral: not worth replaying later.
    Log(LogLevel::kDebug, "publish_dropped").Kv("kind", EventKindName(event.kind)).Kv("error", status.message());
  }
}

}  // namespace papo
