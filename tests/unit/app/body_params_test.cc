#include "fcgi-app/http/body_params.h"

#include <gtest/gtest.h>

namespace papo {
namespace {

Request Post(std::string type, std::string body) {
  Request request;
  request.method = "POST";
  request.content_type = std::move(type);
  request.body = std::move(body);
  return request;
}

TEST(BodyParamsTest, FormBody) {
  auto fields = ParseBodyParams(Post("application/x-www-form-urlencoded; charset=UTF-8", "sala_id=1&mensagem=a+b"));
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->GetOr("mensagem", ""), "a b");
}

TEST(BodyParamsTest, JsonObjectWithNumbersAndBooleans) {
  auto fields = ParseBodyParams(Post("application/json", R"({"sala_id":7,"digitando":true,"mensagem":"oi"})"));
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->GetOr("sala_id", ""), "7");
  EXPECT_EQ(fields->GetOr("digitando", ""), "1");
  EXPECT_EQ(fields->GetOr("mensagem", ""), "oi");
}

TEST(BodyParamsTest, JsonFloatsAndNestedValuesDoNotPassAsValid) {
  auto fields = ParseBodyParams(Post("application/json", R"({"sala_id":1.5,"x":[1]})"));
  ASSERT_TRUE(fields.ok());
  EXPECT_NE(fields->GetOr("sala_id", ""), "1");
}

TEST(BodyParamsTest, MalformedJsonIsAnError) {
  EXPECT_FALSE(ParseBodyParams(Post("application/json", "{")).ok());
  EXPECT_FALSE(ParseBodyParams(Post("application/json", "[1,2]")).ok());
}

TEST(BodyParamsTest, InvalidUtf8InJsonIsAnError) {
  EXPECT_FALSE(ParseBodyParams(Post("application/json", "{\"m\":\"\xFF\"}")).ok());
}

TEST(BodyParamsTest, UnsupportedTypeIsAnError) {
  EXPECT_FALSE(ParseBodyParams(Post("multipart/form-data; boundary=x", "--x")).ok());
}

TEST(BodyParamsTest, EmptyBodyHasNoFields) {
  auto fields = ParseBodyParams(Post("application/json", ""));
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->size(), 0u);
}

}  // namespace
}  // namespace papo
