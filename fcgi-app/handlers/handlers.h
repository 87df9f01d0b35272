// Every route handler of papo-app (DESIGN §3, §4 auth_request). Each one:
// validate the parameters → call a service → render a page or JSON.
// routes.cc maps them to methods and paths.
#pragma once

#include "fcgi-app/http/router.h"

namespace papo {

// auth_handlers.cc
Response GetRoot(RequestContext& context);
Response GetLogin(RequestContext& context);
Response PostLogin(RequestContext& context);
Response GetRegistration(RequestContext& context);
Response PostRegistration(RequestContext& context);
Response PostLogout(RequestContext& context);

// room_handlers.cc
Response GetRoomList(RequestContext& context);
Response PostRoom(RequestContext& context);
Response GetRoom(RequestContext& context);
Response PostRoomMember(RequestContext& context);

// message_handlers.cc
Response PostSend(RequestContext& context);
Response GetMessages(RequestContext& context);
Response PostRead(RequestContext& context);
Response PostTyping(RequestContext& context);

// message_change_handlers.cc
Response PostEditMessage(RequestContext& context);
Response PostDeleteMessage(RequestContext& context);
Response PostReaction(RequestContext& context);

// mention_handlers.cc
Response GetRoomMembers(RequestContext& context);

// direct_message_handlers.cc
Response PostDirectMessage(RequestContext& context);
Response GetPeople(RequestContext& context);

// room_admin_handlers.cc
Response PostEditRoom(RequestContext& context);
Response PostArchiveRoom(RequestContext& context);
Response PostLeaveRoom(RequestContext& context);
Response PostRemoveRoomMember(RequestContext& context);

// search_handlers.cc
Response GetSearch(RequestContext& context);

// stream_auth_handler.cc
Response GetStreamAuth(RequestContext& context);

// The route table.
std::vector<Route> AppRoutes();

}  // namespace papo
