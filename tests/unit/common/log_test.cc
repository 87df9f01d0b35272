#include "common/log.h"

#include <gtest/gtest.h>

namespace papo {
namespace {

TEST(LogTest, PlainValuesAreNotQuoted) {
  std::string out;
  AppendLogValue(out, "sala_42");
  EXPECT_EQ(out, "sala_42");
}

TEST(LogTest, ValuesWithSpacesOrQuotesAreQuotedAndEscaped) {
  std::string out;
  AppendLogValue(out, "a \"b\"\nc");
  EXPECT_EQ(out, R"("a \"b\"\nc")");
}

TEST(LogTest, EmptyValueIsQuoted) {
  std::string out;
  AppendLogValue(out, "");
  EXPECT_EQ(out, "\"\"");
}

TEST(LogTest, EqualsSignIsQuotedSoLinesStayParseable) {
  std::string out;
  AppendLogValue(out, "a=b");
  EXPECT_EQ(out, "\"a=b\"");
}

TEST(LogTest, ParsesLevels) {
  LogLevel level = LogLevel::kInfo;
  EXPECT_TRUE(ParseLogLevel("warn", level));
  EXPECT_EQ(level, LogLevel::kWarn);
  EXPECT_FALSE(ParseLogLevel("loud", level));
}

}  // namespace
}  // namespace papo
