// Server-Sent Events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html).
//
// A frame is built once per event and shared by every subscriber, so these
// functions return complete byte strings ready for writev.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace papo {

// "event: <event>\n" (omitted when empty), "id: <id>\n" (omitted when
// empty), one "data: " line per line of `data` (LF, CR and CRLF all split),
// then the blank line that dispatches the event.
std::string FrameSseEvent(std::string_view event, std::string_view id, std::string_view data);

// ": <text>\n\n" — a comment, ignored by EventSource; used for heartbeats.
// Line breaks in `text` start new comment lines.
std::string FrameSseComment(std::string_view text);

// "retry: <ms>\n" — the reconnection delay the browser should use.
std::string FrameSseRetry(int64_t milliseconds);

}  // namespace papo
