// PageViews: turns service results into the view-model of each page
// (mustache data) and renders it inside the layout. One per worker thread
// (it owns the thread's TemplateSet).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/config.h"
#include "fcgi-app/db/models.h"
#include "fcgi-app/http/response.h"
#include "fcgi-app/services/field_errors.h"
#include "fcgi-app/services/room_list_service.h"
#include "fcgi-app/services/room_service.h"
#include "fcgi-app/views/search_views.h"
#include "fcgi-app/views/template_set.h"

namespace papo {

struct LoginPageModel {
  std::string email;
  std::string next;
  std::string erro;
  std::string aviso;
  FieldErrors erros;
};

struct RegistrationPageModel {
  std::string nome;
  std::string email;
  std::string next;
  std::string erro;
  FieldErrors erros;
};

// The "create a room" form as typed, to show again beside its errors.
struct RoomFormModel {
  std::string nome;
  std::string descricao;
  std::string membros;
  bool privada = false;
  std::string erro;
  FieldErrors erros;
};

class PageViews final {
 public:
  PageViews(std::unique_ptr<TemplateSet> templates, const Config& config)
      : templates_(std::move(templates)), config_(config) {}

  Response Login(int status, const LoginPageModel& model);
  Response Registration(int status, const RegistrationPageModel& model);
  Response RoomList(int status, const Session& session, const RoomListing& rooms, const RoomFormModel& form);
  // aviso_membro: the answer to an invitation, shown beside the form.
  Response Room(const Session& session, const RoomPageData& page, const std::string& erro_membro,
                const std::string& aviso_membro);
  // GET /chat/buscar (search_views.cc).
  Response Search(int status, const Session& session, const SearchPageModel& model);
  // 403, 404, 500 have their own templates; other codes use erro.mustache.
  Response Error(int status, const Session* session, const std::string& message);

 private:
  Response Render(int status, const std::string& page, const kainjow::mustache::data& data,
                  const std::string& titulo, const Session* session, const std::string& script,
                  const std::string& classe_main);

  std::unique_ptr<TemplateSet> templates_;
  const Config& config_;
};

}  // namespace papo
