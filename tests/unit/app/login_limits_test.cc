#include "fcgi-app/services/login_limits.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "fcgi-app/services/local_rate_limiter.h"

namespace papo {
namespace {

class LoginLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    config_.login_rate_limit = 3;
    config_.ip_rate_limit = 2;
  }
  Config config_;
  LocalRateLimiter limiter_;
  PasswordHashSlots slots_{1, 1};
  LoginLimits limits_{limiter_, slots_, config_};
};

TEST_F(LoginLimitsTest, EmailKeyIsTheHashOfTheCaseFoldedAddress) {
  std::string key = LoginLimits::EmailKey("Ana@Exemplo.COM");
  EXPECT_EQ(key, LoginLimits::EmailKey("ana@exemplo.com"));
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(key.find("ana"), std::string::npos);
  EXPECT_NE(key, LoginLimits::EmailKey("bia@exemplo.com"));
}

TEST_F(LoginLimitsTest, AnEmailIsLockedAfterItsFailedLogins) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(limits_.EmailLocked("ana@exemplo.com").has_value());
    limits_.CountFailedLogin("ana@exemplo.com");
  }
  auto locked = limits_.EmailLocked("ANA@exemplo.com");
  ASSERT_TRUE(locked.has_value());
  EXPECT_EQ(locked->code, Status::Code::kResourceExhausted);
  EXPECT_GE(locked->retry_after_seconds, 1);
  EXPECT_LE(locked->retry_after_seconds, LoginLimits::kEmailWindowSeconds);
  EXPECT_NE(locked->message.find("Aguarde"), std::string::npos);
  EXPECT_FALSE(limits_.EmailLocked("bia@exemplo.com").has_value());
}

TEST_F(LoginLimitsTest, AnAddressIsRefusedPastItsAttempts) {
  EXPECT_FALSE(limits_.CountAttempt("10.0.0.1").has_value());
  EXPECT_FALSE(limits_.CountAttempt("10.0.0.1").has_value());
  auto refused = limits_.CountAttempt("10.0.0.1");
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->code, Status::Code::kResourceExhausted);
  EXPECT_LE(refused->retry_after_seconds, LoginLimits::kAddressWindowSeconds);
  EXPECT_FALSE(limits_.CountAttempt("10.0.0.2").has_value());
}

TEST_F(LoginLimitsTest, ZeroTurnsTheLimitsOff) {
  config_.login_rate_limit = 0;
  config_.ip_rate_limit = 0;
  for (int i = 0; i < 50; ++i) {
    limits_.CountFailedLogin("ana@exemplo.com");
    EXPECT_FALSE(limits_.CountAttempt("10.0.0.1").has_value());
  }
  EXPECT_FALSE(limits_.EmailLocked("ana@exemplo.com").has_value());
}

TEST_F(LoginLimitsTest, BusyIsA503WithRetryAfter) {
  AuthRefusal busy = LoginLimits::Busy();
  EXPECT_EQ(busy.code, Status::Code::kUnavailable);
  EXPECT_GE(busy.retry_after_seconds, 1);
  auto held = limits_.HashSlot();
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(slots_.free_slots(), 0);
}

}  // namespace
}  // namespace papo
