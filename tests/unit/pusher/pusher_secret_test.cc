#include "sse-pusher/pusher_secret.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace papo::pusher {
namespace {

constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef";

TEST(PusherSecretTest, TheSameSecretMatches) {
  EXPECT_TRUE(PusherSecretMatches(kSecret, std::string(kSecret)));
}

TEST(PusherSecretTest, AMissingHeaderNeverMatches) {
  EXPECT_FALSE(PusherSecretMatches(kSecret, std::nullopt));
}

TEST(PusherSecretTest, AnEmptyHeaderDoesNotMatch) {
  EXPECT_FALSE(PusherSecretMatches(kSecret, std::string_view()));
}

TEST(PusherSecretTest, OneDifferentByteAnywhereDoesNotMatch) {
  for (size_t i = 0; i < kSecret.size(); ++i) {
    std::string wrong(kSecret);
    wrong[i] = wrong[i] == 'x' ? 'y' : 'x';
    EXPECT_FALSE(PusherSecretMatches(kSecret, wrong)) << "byte " << i;
  }
}

TEST(PusherSecretTest, APrefixOrALongerValueDoesNotMatch) {
  EXPECT_FALSE(PusherSecretMatches(kSecret, kSecret.substr(0, kSecret.size() - 1)));
  EXPECT_FALSE(PusherSecretMatches(kSecret, std::string(kSecret) + "0"));
}

TEST(PusherSecretTest, CaseMatters) {
  std::string upper(kSecret);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_FALSE(PusherSecretMatches(kSecret, upper));
}

TEST(PusherSecretTest, ShortSecretsAreRefusedNamingTheVariable) {
  Status status = ValidatePusherSecret("short-secret");
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("PAPO_PUSHER_SECRET"), std::string::npos);
  EXPECT_FALSE(ValidatePusherSecret(std::string(257, 'a')).ok());
  EXPECT_TRUE(ValidatePusherSecret(std::string(256, 'a')).ok());
}

TEST(PusherSecretTest, CharactersNginxWouldNeedToQuoteAreRefused) {
  for (const char* bad : {"0123456789abcdef ", "0123456789abcdef;", "0123456789abcdef\"", "0123456789abcdef$x",
                          "0123456789abcdef\r\nX: y"}) {
    EXPECT_FALSE(ValidatePusherSecret(bad).ok()) << bad;
  }
}

TEST(PusherSecretTest, HexAndBase64SecretsAreAccepted) {
  EXPECT_TRUE(ValidatePusherSecret(kSecret).ok());
  EXPECT_TRUE(ValidatePusherSecret("q1w2E3r4+t5y6/U7i8o9p0==").ok());
}

}  // namespace
}  // namespace papo::pusher
