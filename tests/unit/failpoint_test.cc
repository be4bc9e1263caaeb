// Failpoint() runs in a child process: armed, the child must die of SIGKILL
// (what kill -9 does); otherwise it must carry on.
#include "common/failpoint.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>

namespace lockstep {
namespace {

// Each death test re-executes this binary ("threadsafe" style) instead of
// only forking, so the child reads LOCKSTEP_FAILPOINT afresh, whatever an
// earlier test in this process did. Failpoint() is never called here outside
// a death statement.
class FailpointTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
  void TearDown() override { ::unsetenv("LOCKSTEP_FAILPOINT"); }
  static void Arm(const char* name) { ::setenv("LOCKSTEP_FAILPOINT", name, 1); }
};

TEST_F(FailpointTest, ArmedNameKillsTheProcessWithSigkill) {
  Arm("after_shadow_created");
  EXPECT_EXIT(Failpoint("after_shadow_created"), ::testing::KilledBySignal(SIGKILL), "");
}

TEST_F(FailpointTest, UnsetVariableDoesNothing) {
  ::unsetenv("LOCKSTEP_FAILPOINT");
  EXPECT_EXIT(
      {
        Failpoint("after_shadow_created");
        Failpoint("");
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

// name:stop stops the process instead (hang tests, resume_test); another
// name with the suffix, or the suffix alone, does nothing.
TEST_F(FailpointTest, AStopSuffixOnlyStopsItsOwnName) {
  Arm("after_cutover_prepared:stop");
  EXPECT_EXIT(
      {
        Failpoint("after_cutover");
        Failpoint("after_cutover_prepared:");
        Failpoint("cutover_prepared");
        Failpoint("");
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(FailpointTest, OtherNamesDoNothing) {
  Arm("after_copying_started");
  EXPECT_EXIT(
      {
        Failpoint("after_shadow_created");
        Failpoint("after_copying");  // a prefix is not the name
        Failpoint("after_copying_started_late");
        Failpoint("");
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(FailpointTest, EmptyVariableArmsNothing) {
  Arm("");
  EXPECT_EXIT(
      {
        Failpoint("");
        Failpoint("after_shadow_created");
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST_F(FailpointTest, VariableIsReadOnceOnTheFirstCall) {
  Arm("after_shadow_created");
  EXPECT_EXIT(
      {
        Failpoint("elsewhere");  // the first call reads the variable
        ::unsetenv("LOCKSTEP_FAILPOINT");
        Failpoint("after_shadow_created");
        std::_Exit(0);
      },
      ::testing::KilledBySignal(SIGKILL), "");
}

}  // namespace
}  // namespace lockstep
