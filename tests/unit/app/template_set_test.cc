#include "fcgi-app/views/template_set.h"

#include <gtest/gtest.h>

namespace papo {
namespace {

TEST(TemplateSetTest, EveryTemplateParses) {
  auto set = TemplateSet::Load();
  ASSERT_TRUE(set.ok()) << set.status().ToString();
}

TEST(TemplateSetTest, UserTextIsEscaped) {
  auto set = TemplateSet::Load();
  ASSERT_TRUE(set.ok());
  kainjow::mustache::data page;
  page.set("mensagem", "<script>alert(\"x\")</script>");
  kainjow::mustache::data layout;
  layout.set("titulo", "<b>t</b>");
  std::string html = (*set)->RenderPage("erro-404", page, layout);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<title>&lt;b&gt;t&lt;/b&gt; · papo</title>"), std::string::npos);
}

}  // namespace
}  // namespace papo
