// TemplateSet: every mustache template of templates/ (compiled in), parsed
// once. kainjow's render() is not const, so each worker thread owns a set.
#pragma once

#include <kainjow/mustache.hpp>

#include <map>
#include <memory>
#include <string>

#include "common/result.h"

namespace papo {

class TemplateSet final {
 public:
  // Parses every template; InvalidArgument names the first that fails.
  static Result<std::unique_ptr<TemplateSet>> Load();

  // Renders `page` with `data`, then the layout with the page as
  // {{{conteudo}}} and the layout fields of `layout`.
  std::string RenderPage(const std::string& page, const kainjow::mustache::data& data,
                         kainjow::mustache::data layout);

 private:
  TemplateSet() = default;
  std::map<std::string, std::unique_ptr<kainjow::mustache::mustache>> templates_;
};

}  // namespace papo
