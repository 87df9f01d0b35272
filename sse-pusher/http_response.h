// The HTTP answers papo-pusher writes. Every answer closes the connection
// (nginx opens one upstream connection per stream), so none needs chunked
// encoding: an SSE stream simply ends when the socket closes.
#pragma once

#include <string>
#include <string_view>

namespace papo::pusher {

std::string_view StatusText(int status);

// A complete response with Content-Length and `Connection: close`.
// `extra_headers` are full lines, each ending in "\r\n". head_only: the
// answer to HEAD, the same head (Content-Length of `body`) without the body.
std::string MakeHttpResponse(int status, std::string_view content_type, std::string_view body,
                             std::string_view extra_headers = {}, bool head_only = false);

// An error answer with a short JSON body {"success":false,"erro":"..."} in pt-BR.
std::string MakeErrorResponse(int status, std::string_view extra_headers = {});
// The same with its own message; `erro` must need no JSON escaping.
std::string MakeErrorResponseSaying(int status, std::string_view erro, std::string_view extra_headers = {});

// The head of an SSE stream (DESIGN §4): 200, text/event-stream, no-cache,
// X-Accel-Buffering: no, then the first frame: `retry:` and a comment.
std::string MakeStreamHead(int retry_ms);

}  // namespace papo::pusher
