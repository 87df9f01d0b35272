#include "fcgi-app/views/template_set.h"

#include "common/embedded_file.h"
#include "common/log.h"

namespace papo {

const std::vector<EmbeddedFile>& TemplateFiles();  // generated from templates/*.mustache

Result<std::unique_ptr<TemplateSet>> TemplateSet::Load() {
  std::unique_ptr<TemplateSet> set(new TemplateSet());
  for (const auto& file : TemplateFiles()) {
    std::string name(file.name);
    if (auto dot = name.rfind('.'); dot != std::string::npos) name.resize(dot);
    auto parsed = std::make_unique<kainjow::mustache::mustache>(std::string(file.contents));
    if (!parsed->is_valid()) {
      return Status::InvalidArgument("template " + std::string(file.name) + ": " + parsed->error_message());
    }
    set->templates_.emplace(std::move(name), std::move(parsed));
  }
  if (!set->templates_.count("layout")) return Status::InvalidArgument("template layout.mustache is missing");
  return set;
}

std::string TemplateSet::RenderPage(const std::string& page, const kainjow::mustache::data& data,
                                    kainjow::mustache::data layout) {
  auto it = templates_.find(page);
  if (it == templates_.end()) {
    Log(LogLevel::kError, "template_missing").Kv("template", page);
    return "<!doctype html><title>papo</title><p>Erro interno.</p>";
  }
  layout.set("conteudo", it->second->render(data));
  return templates_.at("layout")->render(layout);
}

}  // namespace papo
