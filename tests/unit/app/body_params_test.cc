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

TEST(BodyParamsTest, FormValuesAreText) {
  auto fields = ParseBodyParams(Post("application/x-www-form-urlencoded", "sala_id=1&digitando=true"));
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->TypeOf("sala_id"), FieldType::kText);
  EXPECT_EQ(fields->TypeOf("digitando"), FieldType::kText);
}

TEST(BodyParamsTest, JsonValuesKeepTheirType) {
  auto fields = ParseBodyParams(Post("application/json", R"({"sala_id":7,"digitando":true,"mensagem":"oi","n":null})"));
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->GetOr("sala_id", ""), "7");
  EXPECT_EQ(fields->TypeOf("sala_id"), FieldType::kInteger);
  EXPECT_EQ(fields->GetOr("digitando", ""), "1");
  EXPECT_EQ(fields->TypeOf("digitando"), FieldType::kBoolean);
  EXPECT_EQ(fields->GetOr("mensagem", ""), "oi");
  EXPECT_EQ(fields->TypeOf("mensagem"), FieldType::kText);
  EXPECT_TRUE(fields->Has("n"));
  EXPECT_EQ(fields->TypeOf("n"), FieldType::kNull);
}

TEST(BodyParamsTest, JsonFalseIsABooleanZero) {
  auto fields = ParseBodyParams(Post("application/json", R"({"digitando":false})"));
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->GetOr("digitando", ""), "0");
  EXPECT_EQ(fields->TypeOf("digitando"), FieldType::kBoolean);
}

TEST(BodyParamsTest, JsonNumberStringIsStillText) {
  auto fields = ParseBodyParams(Post("application/json", R"({"sala_id":"1"})"));
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->TypeOf("sala_id"), FieldType::kText);
}

TEST(BodyParamsTest, JsonIntegralFloatIsAnInteger) {
  auto fields = ParseBodyParams(Post("application/json", R"({"a":1.0,"b":2e1,"c":-3.0})"));
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->TypeOf("a"), FieldType::kInteger);
  EXPECT_EQ(fields->GetOr("a", ""), "1");
  EXPECT_EQ(fields->GetOr("b", ""), "20");
  EXPECT_EQ(fields->GetOr("c", ""), "-3");
}

TEST(BodyParamsTest, JsonFractionAndHugeNumbersAreNotIntegers) {
  auto fields = ParseBodyParams(Post("application/json", R"({"a":1.5,"b":1.5e3,"c":1e300,"d":18446744073709551615})"));
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->TypeOf("a"), FieldType::kNumber);
  EXPECT_EQ(fields->TypeOf("b"), FieldType::kInteger);  // 1500
  EXPECT_EQ(fields->TypeOf("c"), FieldType::kNumber);
  EXPECT_EQ(fields->TypeOf("d"), FieldType::kNumber);
}

TEST(BodyParamsTest, JsonArraysAndObjectsKeepTheirType) {
  auto fields = ParseBodyParams(Post("application/json", R"({"a":["x"],"o":{"k":"v"}})"));
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->TypeOf("a"), FieldType::kArray);
  EXPECT_EQ(fields->TypeOf("o"), FieldType::kObject);
  EXPECT_EQ(fields->GetOr("a", "absent"), "");
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
