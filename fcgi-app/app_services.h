// AppServices: what a handler may use — services and views, never storage
// or the bus directly. One per worker thread (see worker.h).
#pragma once

#include "common/config.h"
#include "fcgi-app/services/auth_service.h"
#include "fcgi-app/services/direct_message_service.h"
#include "fcgi-app/services/mention_service.h"
#include "fcgi-app/services/message_change_service.h"
#include "fcgi-app/services/message_service.h"
#include "fcgi-app/services/room_admin_service.h"
#include "fcgi-app/services/room_list_service.h"
#include "fcgi-app/services/room_service.h"
#include "fcgi-app/services/search_service.h"
#include "fcgi-app/views/page_views.h"

namespace papo {

struct AppServices {
  const Config& config;
  AuthService& auth;
  RoomService& rooms;
  MessageService& messages;
  PageViews& views;
  MessageChangeService& message_changes;
  MentionService& mentions;
  SearchService& search;
  DirectMessageService& direct_messages;
  RoomListService& room_list;
  RoomAdminService& room_admin;
};

}  // namespace papo
