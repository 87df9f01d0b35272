#include "common/form.h"

#include <gtest/gtest.h>

namespace papo {
namespace {

TEST(FormTest, DecodesPercentAndPlus) {
  auto fields = ParseForm("mensagem=Ol%C3%A1+mundo&sala_id=1");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->GetOr("mensagem", ""), "Olá mundo");
  EXPECT_EQ(fields->GetOr("sala_id", ""), "1");
}

TEST(FormTest, FormValuesAreTextAndTypesAreKept) {
  auto fields = ParseForm("a=1");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->TypeOf("a"), FieldType::kText);
  EXPECT_EQ(fields->TypeOf("absent"), FieldType::kText);
  fields->Add("b", "1", FieldType::kBoolean);
  EXPECT_EQ(fields->TypeOf("b"), FieldType::kBoolean);
  EXPECT_EQ(fields->GetOr("b", ""), "1");
}

TEST(FormTest, KeepsFirstOfRepeatedNames) {
  auto fields = ParseForm("a=1&a=2");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->GetOr("a", ""), "1");
}

TEST(FormTest, NameWithoutValueIsEmpty) {
  auto fields = ParseForm("lista&x=");
  ASSERT_TRUE(fields.ok());
  EXPECT_TRUE(fields->Has("lista"));
  EXPECT_EQ(fields->GetOr("lista", "?"), "");
  EXPECT_EQ(fields->GetOr("x", "?"), "");
}

TEST(FormTest, IgnoresEmptyPairs) {
  auto fields = ParseForm("&&a=1&");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->size(), 1u);
}

TEST(FormTest, RejectsTruncatedEscape) {
  EXPECT_FALSE(ParseForm("a=%4").ok());
  EXPECT_FALSE(ParseForm("a=%").ok());
}

TEST(FormTest, RejectsNonHexEscape) { EXPECT_FALSE(ParseForm("a=%zz").ok()); }

TEST(FormTest, DecodesEncodedSeparators) {
  auto fields = ParseForm("q=a%26b%3Dc");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ(fields->GetOr("q", ""), "a&b=c");
}

TEST(FormTest, PercentEncodeRoundTrips) {
  std::string original = "Ana Lúcia & <b>/?";
  auto decoded = PercentDecode(PercentEncode(original));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, original);
  EXPECT_EQ(PercentEncode("a b"), "a%20b");
}

}  // namespace
}  // namespace papo
